"""Accounts API: sign in for a token, and who am I."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from . import actions
from .auth import SignInRefused
from .permissions import role_assignments
from .two_factor import has_two_factor_device

router = Router()


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)
    otp: str | None = Field(
        default=None, max_length=12, description="The six-digit code when two-factor sign-in is on"
    )


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
    "/auth/token",
    response={200: TokenOut},
    auth=None,
    summary="Sign in for a bearer token",
    description=(
        "Errors: 401 wrong username or password (error=invalid_credentials), missing or wrong "
        "two-factor code (otp_required, otp_invalid); 403 a web-only step is owed "
        "(password_change_required, two_factor_setup_required); 429 sign-in paused after "
        "repeated failures (too_many_requests); 422 invalid input."
    ),
)
def create_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    # django-axes counts failures here (per username and per address) through authenticate();
    # a locked-out client gets 429 from AxesMiddleware whatever this view answers.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise SignInRefused(
            _("Wrong username or password."), code="invalid_credentials", status=401
        )
    token, row = actions.sign_in_for_token(user, otp=payload.otp)
    # A successful sign-in: django-axes resets this account's and address's failure count.
    user_logged_in.send(sender=type(user), request=request, user=user)
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
