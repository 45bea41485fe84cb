"""API authentication: bearer tokens (issued by POST /api/v1/auth/token) or the browser session."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from .models import ApiToken


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; expired or unknown tokens are refused with 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session (htmx calls), with Django's CSRF check on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        # A session still owing a password change or a second factor cannot use the API.
        from .gate import gate_for

        if gate_for(request) is not None:
            return None
        return user


__all__ = ["APIKeyCookie", "BearerTokenAuth", "SessionAuth", "token_digest"]
