"""Every write to accounts: one function per verb, one transaction, one audit event."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, NotFound, require

from .auth import SignInRefused, token_digest
from .choices import UNIT_ROLES, Role
from .models import ApiToken, RoleAssignment, SecurityPolicy, User
from .permissions import can_manage_accounts
from .two_factor import has_two_factor_device, pending_device, two_factor_required, verify_code

PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,18}[0-9]$")
MAX_PASSWORD_LENGTH = 4096


def _check_password(password: str, user: User | None) -> None:
    if not isinstance(password, str) or not password:
        raise InvalidInput(_("Enter a password."), code="weak_password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(_("The password is too long."), code="weak_password")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), code="weak_password") from exc


def _clean_profile(*, full_name: str, email: str, phone: str) -> tuple[str, str, str]:
    full_name, email, phone = full_name.strip(), email.strip(), phone.strip()
    if len(full_name) > 100:
        raise InvalidInput(_("The full name is too long (at most 100 characters)."))
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(_("Enter a valid email address.")) from exc
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(_("Enter a phone number of digits (6 to 20), e.g. 13800138000."))
    return full_name, email, phone


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
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise InvalidInput(
            _("A username may contain only letters, digits and @ . + - _ characters.")
        ) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("The username %(name)s is taken.") % {"name": username}, code="taken")
    full_name, email, phone = _clean_profile(full_name=full_name, email=email, phone=phone)
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    _check_password(initial_password, user)
    user.set_password(initial_password)
    user.must_change_password = True
    user.save()
    record_event(user, "account.created", by=by, data={"username": username})
    return user


@transaction.atomic
def set_initial_password(user: User, *, password: str, by: Any) -> User:
    """An administrator resets a password; the person must choose a new one at next sign-in.

    Their API tokens end at once, and their open sessions too (the session hash changes).
    """
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
    """The person changes their own password (clears the forced-change flag).

    API tokens issued under the old password end: whoever had the old one loses them too.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise InvalidInput(_("The current password is not correct."), code="wrong_password")
    if old_password == new_password:
        raise InvalidInput(_("The new password must differ from the current one."))
    _check_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    ApiToken.objects.filter(user=user).delete()
    record_event(user, "account.password_changed", by=user)
    return user


@transaction.atomic
def assign_role(
    user: User, *, role: str, congress: Any = None, unit: Any = None, by: Any
) -> RoleAssignment:
    """Give a person a role in a congress (and unit, for unit roles). Giving it twice is a no-op."""
    require(can_manage_accounts(by), _("Only administrators assign roles."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role})
    if role in UNIT_ROLES and unit is None:
        raise InvalidInput(_("This role acts for a handling unit: name the unit."))
    if role not in UNIT_ROLES and unit is not None:
        raise InvalidInput(_("Only handling-unit roles name a unit."))
    if unit is not None:
        if congress is not None and congress.pk != unit.congress_id:
            raise InvalidInput(_("That unit belongs to another congress."))
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
def remove_role(assignment: RoleAssignment, *, by: Any) -> None:
    """Take a role away. The last administrator's admin role stays: someone must manage accounts."""
    require(can_manage_accounts(by), _("Only administrators remove roles."))
    ra = RoleAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if ra is None:
        raise NotFound(_("That role was already removed."))
    if ra.role == Role.ADMIN:
        # Lock every admin assignment (no DISTINCT: PostgreSQL refuses it with FOR UPDATE) so
        # two administrators removing each other at once cannot both succeed.
        admins = {
            a.user_id
            for a in RoleAssignment.objects.select_for_update()
            .filter(role=Role.ADMIN, user__is_active=True)
            .only("user_id")
        }
        if admins == {ra.user_id}:
            raise DomainError(
                _("This is the last administrator: make someone else administrator first."),
                code="last_admin",
            )
    data = {"role": ra.role, "congress": ra.congress_id, "unit": ra.unit_id}
    user = ra.user
    ra.delete()
    record_event(user, "account.role_removed", by=by, data=data)


@transaction.atomic
def set_security_policy(*, role: str, require_two_factor: bool, by: Any) -> SecurityPolicy:
    """An administrator requires (or stops requiring) TOTP two-factor sign-in for a role."""
    require(can_manage_accounts(by), _("Only administrators set security policy."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role: %(role)s") % {"role": role})
    policy = SecurityPolicy.objects.select_for_update().filter(role=role).first()
    if policy is None:
        policy = SecurityPolicy(role=role, require_two_factor=False)
    if policy.require_two_factor == require_two_factor:
        return policy  # nothing changes: nothing to record
    policy.require_two_factor = require_two_factor
    policy.save()
    record_event(
        policy,
        "security.policy_set",
        by=by,
        data={"role": role, "require_two_factor": require_two_factor},
    )
    return policy


@transaction.atomic
def reset_two_factor(user: User, *, by: Any) -> int:
    """An administrator removes a person's authenticators (a lost phone).

    At next sign-in they set up a new one if a role requires it. Returns how many were removed.
    """
    require(can_manage_accounts(by), _("Only administrators reset two-factor sign-in."))
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    ApiToken.objects.filter(user=user).delete()
    record_event(user, "account.two_factor_reset", by=by, data={"devices": removed})
    return removed


@transaction.atomic
def unlock_sign_in(user: User, *, by: Any) -> int:
    """An administrator lifts a sign-in lockout on this account (django-axes failure records)."""
    from axes.models import AccessAttempt

    require(can_manage_accounts(by), _("Only administrators unlock accounts."))
    removed = AccessAttempt.objects.filter(username=user.get_username()).delete()[0]
    record_event(user, "account.unlocked", by=by, data={"attempts": removed})
    return removed


@transaction.atomic
def start_two_factor_setup(user: User) -> TOTPDevice:
    """The authenticator being set up: a new random secret, unconfirmed until a code proves it."""
    if has_two_factor_device(user):
        raise DomainError(_("Two-factor sign-in is already on for your account."))
    device = pending_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def confirm_two_factor(user: User, *, code: str) -> TOTPDevice:
    """The person proves their new authenticator works: from now on it guards their sign-in.

    The code is checked outside the write transaction so that a wrong code's throttle count,
    which django-otp saves, is not rolled back with the refusal.
    """
    if has_two_factor_device(user):
        raise DomainError(_("Two-factor sign-in is already on for your account."))
    device = pending_device(user)
    code = (code or "").strip().replace(" ", "")
    if device is None or not code.isdigit() or not device.verify_token(code):
        raise InvalidInput(
            _("That code is not right. Check the time on your phone and try again."),
            code="invalid_otp",
        )
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record_event(user, "account.two_factor_enabled", by=user)
    return device


@transaction.atomic
def issue_api_token(user: User, *, second_factor: bool = False) -> tuple[str, ApiToken]:
    """A bearer token for the API; the plain token is returned once and only its digest kept."""
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        digest=token_digest(token),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    ApiToken.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    record_event(
        user,
        "account.api_token_issued",
        by=user,
        data={"expires": row.expires_at, "second_factor": second_factor},
    )
    return token, row


def sign_in_for_token(user: User, *, otp: str | None) -> tuple[str, ApiToken]:
    """Issue an API token to a person whose password was checked, if nothing else is owed.

    Order as on the web: the second factor first (when the person has one), then a forced
    password change, then a role's two-factor requirement — the last two are done in the web UI.
    Not one transaction on purpose: a wrong code's throttle count must be kept (django-otp
    commits it) even though the request is refused.
    """
    second_factor = has_two_factor_device(user)
    if second_factor:
        if not otp:
            raise SignInRefused(
                _("This account uses two-factor sign-in: send the six-digit code as otp."),
                code="otp_required",
                status=401,
            )
        if verify_code(user, otp) is None:
            raise SignInRefused(
                _("The two-factor code (otp) is not right, or was already used."),
                code="otp_invalid",
                status=401,
            )
    if user.must_change_password:
        raise SignInRefused(
            _("You must change your initial password: sign in to the web interface first."),
            code="password_change_required",
            status=403,
        )
    if not second_factor and two_factor_required(user):
        raise SignInRefused(
            _("Your role requires two-factor sign-in: set it up in the web interface first."),
            code="two_factor_setup_required",
            status=403,
        )
    return issue_api_token(user, second_factor=second_factor)


@transaction.atomic
def record_sign_in(user: User, *, second_factor: bool, channel: str = "web") -> None:
    """Audit a sign-in step (password on the web or API, or the second factor)."""
    record_event(
        user,
        "account.signed_in",
        by=user,
        data={"second_factor": second_factor, "channel": channel},
    )
