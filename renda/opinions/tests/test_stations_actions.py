"""The station registry and reception days: actions, their audit events and their rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.deputies import tallies
from renda.deputies.choices import ActivityState, DutyKind
from renda.deputies.models import Deputyship, DutyRecord, DutyTally
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.opinions.actions.stations import (
    StationData,
    cancel_reception_day,
    create_station,
    mark_reception_held,
    plan_reception_day,
    update_reception_day,
    update_station,
)
from renda.opinions.choices import ReceptionState
from renda.opinions.permissions_stations import stations_managed_by


def _data(world: Any, **extra: Any) -> StationData:
    return StationData(
        name=extra.pop("name", "城东代表联络站"),
        address="城东路1号",
        latitude=Decimal("28.000001"),
        longitude=Decimal("120.600002"),
        opening_hours="工作日 9:00–17:00",
        phone="0577-88880000",
        deputies=Deputyship.objects.filter(congress=world.city)[:2],
        staff=[world["station"]],
        **extra,
    )


def _verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("verb", flat=True))


def test_office_creates_and_updates_a_station_with_audit(world: Any) -> None:
    st = create_station(world.city, _data(world), by=world["affairs"])
    assert st.staff.get() == world["station"] and st.deputies.count() == 2
    update_station(st, _data(world, name="城东联络站", active=False), by=world["affairs"])
    st.refresh_from_db()
    assert (st.name, st.active) == ("城东联络站", False)
    assert _verbs()[-2:] == ["station.created", "station.updated"]
    changed = AuditEvent.objects.filter(verb="station.updated").get().data["changed"]
    assert set(changed) == {"name", "active"}


@pytest.mark.parametrize(
    "username", ["station", "deputy", "edu_clerk", "committee", "county_affairs"]
)
def test_only_the_congress_office_keeps_the_registry(world: Any, username: str) -> None:
    with pytest.raises(Forbidden):
        create_station(world.city, _data(world), by=world[username])


def test_registry_rejects_bad_entries(world: Any) -> None:
    create_station(world.city, _data(world), by=world["affairs"])
    with pytest.raises(InvalidInput, match="already has"):
        create_station(world.city, _data(world), by=world["affairs"])
    with pytest.raises(InvalidInput, match="staff"):
        create_station(
            world.city,
            StationData(name="甲", address="x", staff=[world["deputy"]]),
            by=world["affairs"],
        )
    with pytest.raises(InvalidInput, match="latitude"):
        create_station(
            world.city,
            StationData(name="乙", address="x", latitude=Decimal("28")),
            by=world["affairs"],
        )
    with pytest.raises(InvalidInput, match="deputies"):
        create_station(
            world.county,
            StationData(name="丙", address="x", deputies=Deputyship.objects.all()[:1]),
            by=world["county_affairs"],
        )


def test_station_staff_keep_their_own_stations_reception_days(world: Any) -> None:
    mine = create_station(world.city, _data(world), by=world["affairs"])
    other = create_station(world.city, _data(world, name="城西联络点"), by=world["affairs"])
    other.staff.clear()
    assert list(stations_managed_by(world["station"])) == [mine]
    start = timezone.now() + timedelta(days=3)
    deputies = list(Deputyship.objects.filter(congress=world.city)[:1])
    day = plan_reception_day(
        mine,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        deputies=deputies,
        by=world["station"],
    )
    assert day.state == ReceptionState.PLANNED and list(day.deputies.all()) == deputies
    with pytest.raises(Forbidden):
        plan_reception_day(
            other,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            deputies=[],
            by=world["station"],
        )
    with pytest.raises(Forbidden):
        plan_reception_day(
            mine,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            deputies=[],
            by=world["deputy"],
        )


def test_reception_day_lifecycle(world: Any) -> None:
    st = create_station(world.city, _data(world), by=world["affairs"])
    start = timezone.now() + timedelta(days=1)
    day = plan_reception_day(
        st, starts_at=start, ends_at=start + timedelta(hours=2), deputies=[], by=world["affairs"]
    )
    with pytest.raises(DomainError, match="once it has started"):
        mark_reception_held(day, by=world["station"])
    earlier = timezone.now() - timedelta(hours=1)
    update_reception_day(
        day,
        starts_at=earlier,
        ends_at=earlier + timedelta(hours=2),
        deputies=Deputyship.objects.filter(congress=world.city)[:1],
        note="上午",
        by=world["station"],
    )
    mark_reception_held(day, note="接待群众12人次", by=world["station"])
    day.refresh_from_db()
    assert day.state == ReceptionState.HELD and day.note == "接待群众12人次"
    with pytest.raises(DomainError) as err:
        cancel_reception_day(day, note="下雨", by=world["affairs"])
    assert err.value.code == "wrong_state"
    second = plan_reception_day(
        st, starts_at=start, ends_at=start + timedelta(hours=2), deputies=[], by=world["affairs"]
    )
    with pytest.raises(InvalidInput, match="why"):
        cancel_reception_day(second, note=" ", by=world["affairs"])
    cancel_reception_day(second, note="台风预警", by=world["affairs"])
    assert _verbs()[-6:] == [
        "reception_day.updated",
        "activity.created",  # the deputies' activity for the day (its duty records)
        "activity.closed",
        "reception_day.held",
        "reception_day.planned",
        "reception_day.cancelled",
    ]


def test_a_held_reception_day_gives_each_deputy_on_duty_a_reception_duty_record(
    world: Any,
) -> None:
    """DOMAIN.md §3.5: receiving citizens at a station is a duty. Marking the day held writes,
    through the deputies' activity (kind reception, linked as ReceptionDay.activity), one duty
    record per deputy on duty, counted in their tallies (what the record and DEP-SCORE read)."""
    st = create_station(world.city, _data(world), by=world["affairs"])
    on_duty = list(Deputyship.objects.filter(congress=world.city, status="active")[:2])
    start = timezone.now() - timedelta(hours=2)
    day = plan_reception_day(
        st,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        deputies=on_duty,
        by=world["affairs"],
    )
    mark_reception_held(day, by=world["station"])
    day.refresh_from_db()
    activity = day.activity
    assert activity is not None
    assert (activity.kind, activity.state, activity.congress_id) == (
        DutyKind.RECEPTION,
        ActivityState.CLOSED,
        world.city.pk,
    )
    records = DutyRecord.objects.filter(activity=activity)
    assert sorted(r.deputyship_id for r in records) == sorted(d.pk for d in on_duty)
    assert {r.kind for r in records} == {DutyKind.RECEPTION}
    assert {r.occurred_on for r in records} == {timezone.localdate(start)}
    for deputy in on_duty:
        tally = DutyTally.objects.get(deputyship=deputy, kind=DutyKind.RECEPTION, year=start.year)
        assert tally.n == 1
    assert tallies.check([d.pk for d in on_duty]) == []
    # Nobody on duty is "absent": the staff marked the day held, so they were there.
    assert not DutyRecord.objects.filter(activity=activity, kind=DutyKind.ABSENCE).exists()


def test_reception_day_times_are_checked(world: Any) -> None:
    st = create_station(world.city, _data(world), by=world["affairs"])
    start = datetime(2026, 5, 6, 1, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="ends"):
        plan_reception_day(
            st,
            starts_at=start,
            ends_at=start - timedelta(hours=1),
            deputies=[],
            by=world["affairs"],
        )
    with pytest.raises(InvalidInput, match="ends"):
        plan_reception_day(
            st,
            starts_at=start,
            ends_at=start + timedelta(days=2),
            deputies=[],
            by=world["affairs"],
        )


def test_every_station_verb_has_words() -> None:
    from renda.opinions.verbs import EVENT_LABELS

    for verb in (
        "station.created",
        "station.updated",
        "reception_day.planned",
        "reception_day.updated",
        "reception_day.held",
        "reception_day.cancelled",
    ):
        assert verb in EVENT_LABELS
