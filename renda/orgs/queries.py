"""Reads about congresses and units, restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from renda.accounts.permissions import is_admin, role_assignments

from .models import Congress, HandlingUnit


def congresses_visible_to(user: Any) -> QuerySet[Congress]:
    """Administrators see all; staff see the congresses they hold a role in and those below."""
    qs = Congress.objects.all()
    if is_admin(user):
        return qs
    ids = {ra.congress_id for ra in role_assignments(user) if ra.congress_id}
    if not ids:
        return qs.none()
    return qs.filter(pk__in=ids) | qs.filter(parent_id__in=ids)


def congress_overview(user: Any) -> QuerySet[Congress]:
    return (
        congresses_visible_to(user)
        .select_related("parent")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("division_code")
    )


def units_of(congress: Congress) -> QuerySet[HandlingUnit]:
    return congress.units.order_by("kind", "name")
