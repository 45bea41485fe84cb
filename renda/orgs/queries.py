"""Reads about congresses and units, restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, QuerySet, Value, When

from renda.accounts.choices import Role
from renda.accounts.permissions import is_admin, role_assignments

from .choices import UnitKind
from .models import Congress, HandlingUnit

# Staff who work across a congress and the congresses below it (DOMAIN.md §1).
ORG_STAFF_ROLES = frozenset({Role.DEPUTY_AFFAIRS, Role.COMMITTEE, Role.LEADER, Role.GOV_SUPERVISOR})
UNIT_STAFF_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_HEAD})


def _with_descendants(ids: set[int]) -> set[int]:
    """The congresses and every congress below them (at most five levels: a few queries)."""
    found = set(ids)
    frontier = set(ids)
    while frontier:
        frontier = set(
            Congress.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def congresses_visible_to(user: Any) -> QuerySet[Congress]:
    """Administrators see all; staff see the congresses they work in and every one below."""
    qs = Congress.objects.all()
    if is_admin(user):
        return qs
    ids = {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.congress_id and ra.role in ORG_STAFF_ROLES
    }
    if not ids:
        return qs.none()
    return qs.filter(pk__in=_with_descendants(ids))


def units_visible_to(user: Any) -> QuerySet[HandlingUnit]:
    """Units of the congresses the user may see, plus the units the user works for."""
    own_units = {
        ra.unit_id for ra in role_assignments(user) if ra.unit_id and ra.role in UNIT_STAFF_ROLES
    }
    visible = HandlingUnit.objects.filter(congress__in=congresses_visible_to(user))
    if own_units:
        visible = visible | HandlingUnit.objects.filter(pk__in=own_units)
    return visible.select_related("congress")


def congress_overview(user: Any) -> QuerySet[Congress]:
    return (
        congresses_visible_to(user)
        .select_related("parent")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("division_code")
    )


# Government departments first, as the clerks' own lists have them.
KIND_ORDER = Case(
    *(When(kind=kind, then=Value(i)) for i, kind in enumerate(UnitKind.values)),
    default=Value(len(UnitKind.values)),
)


def units_of(congress: Congress) -> QuerySet[HandlingUnit]:
    return congress.units.order_by(KIND_ORDER, "name")
