"""Every write to accounts: one function per verb, one transaction, one audit event."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import InvalidInput, require

from .auth import token_digest
from .choices import UNIT_ROLES, Role
from .models import ApiToken, RoleAssignment, SecurityPolicy, User
from .permissions import can_manage_accounts


def _check_password(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password") from exc


@transaction.atomic
def create_user(
    *,
    username: str,
    full_name: str,
    initial_password: str,
    by: Any,
    email: str = "",
    phone: str = "",
) -> User:
    """An administrator creates an account with an initial password that must be changed."""
    require(can_manage_accounts(by), _("Only administrators create accounts."))
    username = username.strip()
    if not username or len(username) > 150:
        raise InvalidInput(_("A username is required (at most 150 characters)."))
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("The username %(name)s is taken.") % {"name": username}, code="taken")
    user = User(username=username, full_name=full_name.strip(), email=email, phone=phone)
    _check_password(initial_password, user)
    user.set_password(initial_password)
    user.must_change_password = True
    user.save()
    record_event(user, "account.created", by=by, data={"username": username})
    return user


@transaction.atomic
def set_initial_password(user: User, *, password: str, by: Any) -> User:
    """An administrator resets a password; the person must choose a new one at next sign-in."""
    require(can_manage_accounts(by), _("Only administrators reset passwords."))
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ApiToken.objects.filter(user=user).delete()
    record_event(user, "account.password_reset", by=by)
    return user


@transaction.atomic
def change_password(user: User, *, old_password: str, new_password: str) -> User:
    """The person changes their own password (clears the forced-change flag)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise InvalidInput(_("The current password is not correct."), code="wrong_password")
    if old_password == new_password:
        raise InvalidInput(_("The new password must differ from the current one."))
    _check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record_event(user, "account.password_changed", by=user)
    return user


@transaction.atomic
def assign_role(
    user: User, *, role: str, congress: Any = None, unit: Any = None, by: Any
) -> RoleAssignment:
    """Give a person a role in a congress (and unit, for unit roles)."""
    require(can_manage_accounts(by), _("Only administrators assign roles."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role})
    if role in UNIT_ROLES and unit is None:
        raise InvalidInput(_("This role acts for a handling unit: name the unit."))
    if unit is not None and congress is None:
        congress = unit.congress
    if role != Role.ADMIN and congress is None:
        raise InvalidInput(_("Name the congress this role is held in."))
    ra, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, congress=congress, unit=unit
    )
    if created:
        record_event(
            user,
            "account.role_assigned",
            by=by,
            data={
                "role": role,
                "congress": getattr(congress, "pk", None),
                "unit": getattr(unit, "pk", None),
            },
        )
    return ra


@transaction.atomic
def set_security_policy(*, role: str, require_two_factor: bool, by: Any) -> SecurityPolicy:
    """An administrator requires (or stops requiring) TOTP two-factor sign-in for a role."""
    require(can_manage_accounts(by), _("Only administrators set security policy."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role})
    policy, _created = SecurityPolicy.objects.select_for_update().get_or_create(role=role)
    policy.require_two_factor = require_two_factor
    policy.save(update_fields=["require_two_factor"])
    record_event(
        policy,
        "security.policy_set",
        by=by,
        data={"role": role, "require_two_factor": require_two_factor},
    )
    return policy


@transaction.atomic
def issue_api_token(user: User) -> tuple[str, ApiToken]:
    """A bearer token for the API; the plain token is returned once and only its digest kept."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        digest=token_digest(token),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    record_event(user, "account.api_token_issued", by=user, data={"expires": row.expires_at})
    return token, row


@transaction.atomic
def record_sign_in(user: User, *, second_factor: bool) -> None:
    record_event(user, "account.signed_in", by=user, data={"second_factor": second_factor})


@transaction.atomic
def confirm_totp_device(user: User, device: Any) -> None:
    """The person has proved their new authenticator works: it now guards their sign-in."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(user, "account.two_factor_enabled", by=user)
