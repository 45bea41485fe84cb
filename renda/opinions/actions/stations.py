"""The station registry (代表联络站/点) and reception days (接待日): every write, each in one
transaction with its audit event (issue 5 §1).

The congress's deputy-affairs office keeps the registry; it and a station's own staff keep the
station's reception days. A reception day is planned, then marked held (once it has started)
or cancelled; only a planned one is edited. Opinions' facts are not touched here: the station
performance reads reception days live (few rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment, User
from renda.audit.actions import record_event
from renda.deputies.actions.activities import record_held_reception
from renda.deputies.models import Deputyship
from renda.errors import DomainError, InvalidInput, require
from renda.orgs.models import Congress

from ..choices import ReceptionState, StationKind
from ..models import ReceptionDay, Station
from ..permissions_stations import can_keep_receptions_of, can_manage_stations


@dataclass
class StationData:
    """A station's registry entry as the office enters it."""

    name: str
    kind: str = StationKind.STATION
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    opening_hours: str = ""
    phone: str = ""
    active: bool = True
    deputies: Iterable[Deputyship] = ()
    staff: Iterable[User] = ()


FIELDS = ("name", "kind", "address", "latitude", "longitude", "opening_hours", "phone", "active")


def _check_people(congress: Congress, deputies: list[Deputyship], staff: list[User]) -> None:
    if any(d.congress_id != congress.pk for d in deputies):
        raise InvalidInput(_("deputies: only deputies of this congress."))
    staff_ids = {u.pk for u in staff}
    allowed = set(
        RoleAssignment.objects.filter(
            user_id__in=staff_ids, role=Role.STATION_STAFF, congress=congress
        ).values_list("user_id", flat=True)
    )
    if staff_ids - allowed:
        raise InvalidInput(_("staff: only people with the station-staff role in this congress."))


def _check_place(data: StationData) -> None:
    if not data.name.strip():
        raise InvalidInput(_("name: required."))
    if data.kind not in StationKind.values:
        raise InvalidInput(_("kind: unknown."))
    if (data.latitude is None) != (data.longitude is None):
        raise InvalidInput(_("latitude: give both coordinates or neither."))
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise InvalidInput(_("latitude: between -90 and 90."))
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise InvalidInput(_("longitude: between -180 and 180."))


def _entry(station: Station) -> dict[str, Any]:
    return {
        **{f: getattr(station, f) for f in FIELDS},
        "deputies": sorted(station.deputies.values_list("pk", flat=True)),
        "staff": sorted(station.staff.values_list("pk", flat=True)),
    }


def _save(station: Station, data: StationData) -> None:
    deputies, staff = list(data.deputies), list(data.staff)
    _check_place(data)
    _check_people(station.congress, deputies, staff)
    for f in FIELDS:
        value = getattr(data, f)
        setattr(station, f, value.strip() if isinstance(value, str) else value)
    try:
        with transaction.atomic():
            station.save()
    except IntegrityError:
        raise InvalidInput(_("name: this congress already has a station of that name.")) from None
    station.deputies.set(deputies)
    station.staff.set(staff)


@transaction.atomic
def create_station(congress: Congress, data: StationData, *, by: User) -> Station:
    """Add a station or point to the congress's registry (issue 5 §1)."""
    require(can_manage_stations(by, congress.pk))
    station = Station(congress=congress)
    _save(station, data)
    record_event(station, "station.created", by=by, data=_entry(station))
    return station


@transaction.atomic
def update_station(station: Station, data: StationData, *, by: User) -> Station:
    """Change a station's registry entry (deactivating it takes it off the public site)."""
    station = Station.objects.select_for_update().select_related("congress").get(pk=station.pk)
    require(can_manage_stations(by, station.congress_id))
    before = _entry(station)
    _save(station, data)
    after = _entry(station)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        record_event(station, "station.updated", by=by, data={"changed": changed})
    return station


def _check_day(
    station: Station, starts_at: datetime, ends_at: datetime, deputies: list[Deputyship]
) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput(_("starts: give the time with its time zone."))
    if ends_at < starts_at:
        raise InvalidInput(_("ends: must not be before the start."))
    if (ends_at - starts_at).days >= 1:
        raise InvalidInput(_("ends: a reception day lasts less than a day."))
    if any(d.congress_id != station.congress_id for d in deputies):
        raise InvalidInput(_("deputies: only deputies of this station's congress."))


def _lock_day(day: ReceptionDay, by: User) -> ReceptionDay:
    locked = ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)
    require(can_keep_receptions_of(by, locked.station))
    return locked


def _require_planned(day: ReceptionDay) -> None:
    if day.state != ReceptionState.PLANNED:
        raise DomainError(
            _("This reception day is %(state)s already.") % {"state": day.get_state_display()}
            + f" (state: {day.state})",
            code="wrong_state",
        )


def _day_entry(day: ReceptionDay) -> dict[str, Any]:
    return {
        "station": day.station_id,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "deputies": sorted(day.deputies.values_list("pk", flat=True)),
        "state": day.state,
        "note": day.note,
    }


@transaction.atomic
def plan_reception_day(
    station: Station,
    *,
    starts_at: datetime,
    ends_at: datetime,
    deputies: Iterable[Deputyship],
    note: str = "",
    by: User,
) -> ReceptionDay:
    """Plan a reception day (接待日) with the deputies on duty."""
    require(can_keep_receptions_of(by, station))
    chosen = list(deputies)
    _check_day(station, starts_at, ends_at, chosen)
    day = ReceptionDay.objects.create(
        station=station, starts_at=starts_at, ends_at=ends_at, note=note.strip()
    )
    day.deputies.set(chosen)
    record_event(day, "reception_day.planned", by=by, data=_day_entry(day))
    return day


@transaction.atomic
def update_reception_day(
    day: ReceptionDay,
    *,
    starts_at: datetime,
    ends_at: datetime,
    deputies: Iterable[Deputyship],
    note: str = "",
    by: User,
) -> ReceptionDay:
    """Change a planned reception day (time, deputies on duty, note)."""
    day = _lock_day(day, by)
    _require_planned(day)
    chosen = list(deputies)
    _check_day(day.station, starts_at, ends_at, chosen)
    before = _day_entry(day)
    day.starts_at, day.ends_at, day.note = starts_at, ends_at, note.strip()
    day.save(update_fields=["starts_at", "ends_at", "note"])
    day.deputies.set(chosen)
    after = _day_entry(day)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        record_event(day, "reception_day.updated", by=by, data={"changed": changed})
    return day


@transaction.atomic
def mark_reception_held(day: ReceptionDay, *, note: str = "", by: User) -> ReceptionDay:
    """Mark a planned reception day held (counted in the station's performance); not before
    it has started. Each deputy on duty gets a duty record of kind reception (DOMAIN.md §3.5)
    through the day's activity (renda.deputies: record_held_reception)."""
    day = _lock_day(day, by)
    _require_planned(day)
    if day.starts_at > timezone.now():
        raise DomainError(_("A reception day is marked held only once it has started."))
    day.state = ReceptionState.HELD
    if note.strip():
        day.note = note.strip()
    # The deputies on duty get their duty record (kind reception) through the day's activity.
    station = day.station
    day.activity = record_held_reception(
        station.congress,
        title=_("Reception day at %(station)s") % {"station": station.name},
        location=station.address or station.name,
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        deputyship_ids=day.deputies.values_list("pk", flat=True),
        activity=day.activity,
        by=by,
    )
    day.save(update_fields=["state", "note", "activity"])
    record_event(
        day, "reception_day.held", by=by, data={"note": day.note, "activity": day.activity.pk}
    )
    return day


@transaction.atomic
def cancel_reception_day(day: ReceptionDay, *, note: str, by: User) -> ReceptionDay:
    """Cancel a planned reception day, with the reason (shown with it)."""
    day = _lock_day(day, by)
    _require_planned(day)
    if not note.strip():
        raise InvalidInput(_("note: say why it is cancelled."))
    day.state = ReceptionState.CANCELLED
    day.note = note.strip()
    day.save(update_fields=["state", "note"])
    record_event(day, "reception_day.cancelled", by=by, data={"note": day.note})
    return day
