"""Who holds which role where. Pure predicates; object checks raise NotFound for both cases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404

from .choices import Role
from .hot_reads import load_roles
from .models import RoleAssignment


def role_assignments(user: Any) -> list[RoleAssignment]:
    """The user's roles, loaded once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_renda_roles", None)
    if cached is None:
        cached = load_roles(user.pk)
        user._renda_roles = cached
    return cached


def roles_of(user: Any) -> set[str]:
    return {ra.role for ra in role_assignments(user)}


def has_role(user: Any, role: str | Iterable[str], congress: Any = None) -> bool:
    wanted = {role} if isinstance(role, str) else set(role)
    for ra in role_assignments(user):
        if ra.role in wanted and (
            congress is None or ra.congress_id == getattr(congress, "pk", congress)
        ):
            return True
    return False


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ADMIN)


def office_congress_ids(user: Any) -> set[int] | None:
    """The congresses whose deputy-affairs office the user works in; None: all (administrator)."""
    if is_admin(user):
        return None
    return {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.role == Role.DEPUTY_AFFAIRS and ra.congress_id
    }


def can_manage_accounts(user: Any) -> bool:
    return is_admin(user)


def can_edit_calendar(user: Any) -> bool:
    """Only administrators enter the State Council's annual schedule (CALENDAR-UNKNOWN-YEAR)."""
    return is_admin(user)


def mask_phone(phone: str) -> str:
    """13800138000 -> 138****8000: enough to recognise a number, not to call it."""
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def visible_phone(viewer: Any, person: Any) -> str:
    """A phone number is personal data: whole to the person and administrators, masked otherwise."""
    phone = getattr(person, "phone", "") or ""
    if not phone:
        return ""
    if is_admin(viewer) or getattr(viewer, "pk", None) == person.pk:
        return phone
    return mask_phone(phone)


def require_account_admin(user: Any) -> None:
    """Account administration pages exist only for administrators: 404 for everyone else."""
    if not can_manage_accounts(user):
        raise Http404


def get_user_for_admin(viewer: Any, pk: int) -> Any:
    """The account, or 404 whether it is missing or the viewer is not an administrator."""
    from .models import User

    require_account_admin(viewer)
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def get_assignment_for_admin(viewer: Any, user: Any, pk: int) -> RoleAssignment:
    """One of this person's role assignments, or 404."""
    require_account_admin(viewer)
    ra = RoleAssignment.objects.filter(pk=pk, user=user).select_related("congress", "unit").first()
    if ra is None:
        raise Http404
    return ra
