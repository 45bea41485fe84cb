"""API authentication: bearer tokens (issued by POST /api/v1/auth/token) or the browser session."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from renda.errors import DomainError

from .hot_reads import load_user_with_roles
from .models import ApiToken

MAX_TOKEN_LENGTH = 200


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignInRefused(DomainError):
    """Right password, but no API token yet: a second factor or a web-only step is owed.

    The API answers with `status` (401 or 403) and `code` (otp_required, otp_invalid,
    password_change_required, two_factor_setup_required).
    """

    def __init__(self, detail: str, *, code: str, status: int) -> None:
        super().__init__(detail, code=code)
        self.status = status


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; expired or unknown tokens are refused with 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active or row.user.must_change_password:
            return None
        request.user = row.user
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session (htmx calls), with Django's CSRF check on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        # A session still owing a second factor, a password change or 2FA set-up has no API.
        from .gate import gate_for

        if gate_for(request) is not None:
            return None
        return user


class ModelBackend(DjangoModelBackend):
    """Django's model backend; the user of each signed-in request is read in plain SQL, with
    their roles (`hot_reads.load_user_with_roles`): the same row and checks as Django's own
    get_user, and the roles every page's navigation needs, in one query."""

    def get_user(self, user_id: Any) -> Any:
        user = load_user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


__all__ = [
    "BearerTokenAuth",
    "ModelBackend",
    "SessionAuth",
    "SignInRefused",
    "token_digest",
]
