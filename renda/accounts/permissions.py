"""Who holds which role where. Pure predicates; object checks raise NotFound for both cases."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .choices import Role
from .models import RoleAssignment


def role_assignments(user: Any) -> list[RoleAssignment]:
    """The user's roles, loaded once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_renda_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("congress", "unit"))
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


def can_manage_accounts(user: Any) -> bool:
    return is_admin(user)


def can_edit_calendar(user: Any) -> bool:
    """Only administrators enter the State Council's annual schedule (CALENDAR-UNKNOWN-YEAR)."""
    return is_admin(user)
