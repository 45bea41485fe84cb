from __future__ import annotations

from typing import Any

from django.http import Http404

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin

from .models import Congress, HandlingUnit
from .queries import congresses_visible_to

STAFF_ROLES = {Role.DEPUTY_AFFAIRS, Role.COMMITTEE, Role.LEADER, Role.GOV_SUPERVISOR}


def can_browse_orgs(user: Any) -> bool:
    return is_admin(user) or has_role(user, STAFF_ROLES)


def get_congress_for_user(user: Any, pk: int) -> Congress:
    """The congress, or 404 whether it is missing or not visible to this user."""
    if not can_browse_orgs(user):
        raise Http404
    congress = congresses_visible_to(user).filter(pk=pk).first()
    if congress is None:
        raise Http404
    return congress


def get_unit_for_user(user: Any, pk: int) -> HandlingUnit:
    unit = HandlingUnit.objects.select_related("congress").filter(pk=pk).first()
    if unit is None:
        raise Http404
    get_congress_for_user(user, unit.congress_id)
    return unit
