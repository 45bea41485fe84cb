"""Who may see and change congresses and units. Objects: the same 404 for missing and forbidden."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from renda.accounts.permissions import has_role, is_admin

from .models import Congress, HandlingUnit
from .queries import ORG_STAFF_ROLES, congresses_visible_to, units_visible_to

# Primary keys beyond a signed 64-bit integer cannot exist (SQLite would raise on them).
MAX_PK = 2**63 - 1


def can_browse_orgs(user: Any) -> bool:
    """The congress list is for administrators and the staff who work across congresses."""
    return is_admin(user) or has_role(user, ORG_STAFF_ROLES)


def can_manage_orgs(user: Any) -> bool:
    """Only administrators set up congresses, terms, sessions and units (DOMAIN.md §1)."""
    return is_admin(user)


def get_congress_for_user(user: Any, pk: int) -> Congress:
    """The congress, or 404 whether it is missing or not visible to this user."""
    if not (0 < pk <= MAX_PK) or not can_browse_orgs(user):
        raise Http404
    congress = congresses_visible_to(user).filter(pk=pk).select_related("parent").first()
    if congress is None:
        raise Http404
    return congress


def get_unit_for_user(user: Any, pk: int) -> HandlingUnit:
    """The unit, or 404: staff see their congresses' units; unit staff see their own unit."""
    if not (0 < pk <= MAX_PK):
        raise Http404
    unit = units_visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit
