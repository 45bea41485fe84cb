"""Builders for the public part's tests: duty records, session activities with attendance,
standing-committee members, delegations and groups, on the root conftest's `world`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from conftest import make_user
from renda.deputies import tallies
from renda.deputies.models import (
    Activity,
    Attendance,
    Delegation,
    DeputyGroup,
    Deputyship,
    DutyRecord,
    GroupMembership,
    LeaveRequest,
    Person,
)
from renda.orgs.models import Session, StandingCommitteeMembership


def deputyship_of(world: Any, username: str) -> Deputyship:
    return Deputyship.objects.get(person__user=world[username], congress=world.city)


def duty(d: Deputyship, kind: str, on: date, title: str = "", **extra: Any) -> DutyRecord:
    """A record written straight into the table, counted in its tally as the actions do."""
    tallies.add(d, kind, on.year)
    return DutyRecord.objects.create(
        deputyship=d,
        kind=kind,
        occurred_on=on,
        year=on.year,
        title=title or kind,
        source=extra.pop("source", "manual"),
        **extra,
    )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def activity(
    world: Any, *, kind: str, day: date, session: Session | None = None, title: str = ""
) -> Activity:
    return Activity.objects.create(
        congress=world.city,
        kind=kind,
        title=title or f"{kind} {day}",
        starts_at=_at(day, 9),
        ends_at=_at(day, 17),
        checkin_opens_at=_at(day, 8),
        checkin_closes_at=_at(day, 10),
        session=session,
        organiser=world["affairs"],
        state="closed",
    )


def session(world: Any, number: int, day: date) -> Session:
    return Session.objects.create(term=world.term, number=number, start_date=day, end_date=day)


def absent(world: Any, d: Deputyship, s: Session, *, leave: str | None = None) -> Attendance:
    """An unexcused absence (outcome `absent`) at an activity of session `s`; with `leave`, a
    leave request in that state for the same activity."""
    act = activity(world, kind="session", day=s.start_date, session=s, title=f"第{s.number}次会议")
    if leave:
        LeaveRequest.objects.create(activity=act, deputyship=d, reason="出差", state=leave)
    return Attendance.objects.create(activity=act, deputyship=d, outcome="absent")


def sc_membership(world: Any, username: str = "sc_member") -> StandingCommitteeMembership:
    return StandingCommitteeMembership.objects.create(
        congress=world.city, term=world.term, user=world[username], start_date=world.term.start_date
    )


def extra_deputy(
    world: Any, name: str, *, delegation: Delegation | None = None, status: str = "active"
) -> Deputyship:
    """One more city deputy of the world's term (no role: the registry is not under test)."""
    user = make_user(f"dep-{name}", full_name=name)
    person = Person.objects.create(user=user, name=name)
    return Deputyship.objects.create(
        person=person,
        congress=world.city,
        term=world.term,
        electoral_unit="示范区",
        delegation=delegation,
        status=status,
        public_fields=["gender"],
    )


def delegation(world: Any, name: str) -> Delegation:
    return Delegation.objects.create(congress=world.city, term=world.term, name=name)


def group(world: Any, name: str, *members: Deputyship) -> DeputyGroup:
    g = DeputyGroup.objects.create(congress=world.city, name=name)
    for m in members:
        GroupMembership.objects.create(group=g, deputyship=m)
    return g


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
