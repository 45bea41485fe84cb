"""Who may do what in the receiving part. Citizens need no account: submitting, tracking and
rating are open to everyone (limited per address and phone). Recording a visit or a call, seeing
the name and phone a citizen left, and printing a station's code: the station's own staff, the
congress's deputy-affairs office, administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, office_congress_ids

from .models import Opinion, Station


def is_office_of(user: Any, congress_id: int) -> bool:
    """The deputy-affairs office of this congress, or an administrator."""
    return is_admin(user) or has_role(user, Role.DEPUTY_AFFAIRS, congress=congress_id)


def is_staff_of(user: Any, station: Station) -> bool:
    """Station staff work at the stations they are listed for (Station.staff)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return station.staff.filter(pk=user.pk).exists()


def can_record_at(user: Any, station: Station) -> bool:
    """Recording an opinion from a visit or a call at this station."""
    if not getattr(user, "is_authenticated", False) or not station.active:
        return False
    return is_office_of(user, station.congress_id) or is_staff_of(user, station)


def stations_for_recording(user: Any) -> QuerySet[Station]:
    """The active stations this person records opinions for (the staff form's choices)."""
    qs = Station.objects.filter(active=True).select_related("congress")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    offices = office_congress_ids(user)
    if offices is None:
        return qs
    return qs.filter(congress_id__in=offices) | qs.filter(staff=user)


def can_use_recording(user: Any) -> bool:
    return stations_for_recording(user).exists()


def can_print_code(user: Any, station: Station) -> bool:
    """The station code (联络站码) to print: the station's staff and the office."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_office_of(user, station.congress_id) or is_staff_of(user, station)


def can_see_contact(user: Any, opinion: Opinion) -> bool:
    """The name and phone on an opinion: its station's staff and the office (units and deputies
    are decided by the handling part)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_office_of(user, opinion.congress_id):
        return True
    return opinion.station_id is not None and is_staff_of(user, opinion.station)
