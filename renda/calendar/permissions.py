"""Who may see and edit the legal calendar."""

from __future__ import annotations

from typing import Any

from renda.accounts.choices import Role
from renda.accounts.permissions import can_edit_calendar, has_role, is_admin

__all__ = ["can_edit_calendar", "can_view_calendar"]

# The offices whose work runs on deadlines see the calendar (read-only); administrators edit it.
VIEW_ROLES = frozenset({Role.DEPUTY_AFFAIRS, Role.UNIT_CLERK, Role.UNIT_HEAD})


def can_view_calendar(user: Any) -> bool:
    return is_admin(user) or has_role(user, VIEW_ROLES)
