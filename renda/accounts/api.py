"""Accounts API: sign in for a token, and who am I."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from . import actions
from .gate import has_two_factor_device, two_factor_required
from .permissions import role_assignments

router = Router()


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)
    otp: str | None = Field(default=None, max_length=12, description="TOTP code when 2FA is on")


class TokenOut(Schema):
    token: str
    expires: datetime


class Ref(Schema):
    id: int
    name: str


class RoleOut(Schema):
    role: str
    label: str
    congress: Ref | None
    unit: Ref | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    phone: str
    must_change_password: bool
    two_factor: bool
    roles: list[RoleOut]


@router.post(
    "/auth/token", response={200: TokenOut}, auth=None, summary="Sign in for a bearer token"
)
def create_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # django-axes counts this failure; a locked-out client gets 429 from its middleware.
        raise HttpError(401, _("Wrong username or password."))
    if has_two_factor_device(user):
        from django_otp import match_token

        if not payload.otp or match_token(user, payload.otp.strip()) is None:
            raise HttpError(401, _("A valid two-factor code (otp) is required for this account."))
    elif two_factor_required(user):
        raise HttpError(
            403, _("Your role requires two-factor sign-in: set it up in the web interface first.")
        )
    token, row = actions.issue_api_token(user)
    return TokenOut(token=token, expires=row.expires_at)


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        must_change_password=user.must_change_password,
        two_factor=has_two_factor_device(user),
        roles=[
            RoleOut(
                role=ra.role,
                label=str(ra.get_role_display()),
                congress=Ref(id=ra.congress.pk, name=ra.congress.name) if ra.congress else None,
                unit=Ref(id=ra.unit.pk, name=ra.unit.name) if ra.unit else None,
            )
            for ra in role_assignments(user)
        ],
    )
