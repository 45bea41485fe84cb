"""Who may manage stations and reception days, and see station performance. Pure predicates
and scoped querysets; an object the person may not manage is a 404 (as missing).

- The congress's deputy-affairs office (and administrators) keep the station registry and every
  station's reception days.
- A station's own staff (Station.staff) keep that station's reception days, nothing else.
- Station performance: office roles of the congress (deputy affairs, committees, leaders,
  government supervision) and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, office_congress_ids, role_assignments
from renda.suggestions.queries import OFFICE_ROLES

from .models import ReceptionDay, Station


def station_stats_congresses(user: Any) -> set[int] | None:
    """The congresses whose station performance the user may see (None: all, administrator)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_admin(user):
        return None
    return {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.role in OFFICE_ROLES and ra.congress_id
    }


def can_view_station_stats(user: Any) -> bool:
    congresses = station_stats_congresses(user)
    return congresses is None or bool(congresses)


def can_manage_stations(user: Any, congress_id: int | None = None) -> bool:
    """The registry of `congress_id` (or any congress, when None)."""
    if not getattr(user, "is_authenticated", False):
        return False
    offices = office_congress_ids(user)
    if offices is None:
        return True
    return bool(offices) if congress_id is None else congress_id in offices


def can_open_station_pages(user: Any) -> bool:
    """The registry's office, and station staff (for their stations' reception days): roles
    only, so the header's menu entry follows the same rule."""
    return can_manage_stations(user) or has_role(user, Role.STATION_STAFF)


def stations_managed_by(user: Any) -> QuerySet[Station]:
    """Stations whose reception days the user keeps: every station of their office's congress,
    and the stations they staff."""
    if not getattr(user, "is_authenticated", False):
        return Station.objects.none()
    offices = office_congress_ids(user)
    if offices is None:
        return Station.objects.all()
    return Station.objects.filter(Q(congress__in=offices) | Q(staff=user)).distinct()


def can_keep_reception_days(user: Any) -> bool:
    return stations_managed_by(user).exists()


def get_station_for_office(user: Any, pk: int) -> Station:
    """A station whose registry entry the user may edit, else 404."""
    station = Station.objects.select_related("congress").filter(pk=pk).first()
    if station is None or not can_manage_stations(user, station.congress_id):
        raise Http404
    return station


def get_station_for_receptions(user: Any, pk: int) -> Station:
    station = stations_managed_by(user).filter(pk=pk).select_related("congress").first()
    if station is None:
        raise Http404
    return station


def can_keep_receptions_of(user: Any, station: Station) -> bool:
    return stations_managed_by(user).filter(pk=station.pk).exists()


def get_reception_day_for(user: Any, pk: int) -> ReceptionDay:
    day = (
        ReceptionDay.objects.filter(pk=pk, station__in=stations_managed_by(user))
        .select_related("station", "station__congress")
        .first()
    )
    if day is None:
        raise Http404
    return day
