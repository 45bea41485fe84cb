"""Reads about suggestions, always restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from renda.accounts.choices import Role
from renda.accounts.permissions import is_admin, role_assignments

from .choices import AssignmentState, State
from .models import Suggestion

# Roles that see every suggestion (past the draft) of the congresses they hold the role in.
OFFICE_ROLES = frozenset({Role.DEPUTY_AFFAIRS, Role.COMMITTEE, Role.LEADER, Role.GOV_SUPERVISOR})
UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_HEAD})


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    """Office staff: their congresses' suggestions past the draft. Units: those assigned to
    their unit (not ones they returned). Deputies: their own and those they co-sign or are asked
    to co-sign. Drafts: only their lead deputy and the invited co-signers."""
    qs = Suggestion.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_admin(user):
        return qs.exclude(state=State.DRAFT)
    office_congresses = set()
    units = set()
    for ra in role_assignments(user):
        if ra.role in OFFICE_ROLES and ra.congress_id:
            office_congresses.add(ra.congress_id)
        if ra.role in UNIT_ROLES and ra.unit_id:
            units.add(ra.unit_id)
    visible = Q(lead_deputy=user) | Q(sponsors__deputy=user, sponsors__declined_at__isnull=True)
    if office_congresses:
        visible |= Q(congress_id__in=office_congresses) & ~Q(state=State.DRAFT)
    if units:
        visible |= (
            Q(
                assignments__unit_id__in=units,
            )
            & ~Q(assignments__state=AssignmentState.RETURNED)
            & ~Q(state=State.DRAFT)
        )
    return qs.filter(visible).distinct()


def unit_ids_of(user: Any) -> set[int]:
    return {ra.unit_id for ra in role_assignments(user) if ra.role in UNIT_ROLES and ra.unit_id}
