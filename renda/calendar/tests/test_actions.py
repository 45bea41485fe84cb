"""Entering a year's schedule, and the deadlines that move with it."""

from __future__ import annotations

from datetime import date

import pytest

from renda.audit.models import AuditEvent
from renda.audit.queries import history_of, verify_chain
from renda.calendar.actions import enter_schedule, set_deadline
from renda.calendar.models import CalendarYear, Deadline, SpecialDay
from renda.calendar.periods import CALENDAR_UNKNOWN_YEAR, PERIOD_REST_DAY
from renda.calendar.queries import calendar_gaps
from renda.calendar.schedule import HolidayPeriod, SwappedWorkday
from renda.errors import Forbidden, InvalidInput
from renda.notifications.models import Notification

pytestmark = pytest.mark.django_db

# A made-up 2027 schedule for the tests (the real one is not published as these tests are written).
NEW_YEAR_2027 = [HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 3))]
SPRING_2027 = [
    HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 3)),
    HolidayPeriod("春节", date(2027, 2, 6), date(2027, 2, 13)),
]
SWAPS_2027 = [SwappedWorkday(date(2027, 2, 14), "春节调休")]


def verbs(obj):
    return [e.verb for e in history_of(obj)]


@pytest.fixture
def moving(world):
    """A provisional deadline on a unit, due on 2027-01-01 (unknown year), watched by two."""
    return set_deadline(
        owner=world.edu,
        purpose="answer",
        start=date(2026, 12, 31),
        kind="days",
        amount=1,
        watchers=[world["edu_clerk"], world["edu_head"]],
        by=world["affairs"],
    )


def test_set_deadline_computes_and_audits(world, moving):
    """CALENDAR-UNKNOWN-YEAR: a deadline reaching into 2027 is stored provisional."""
    assert moving.due == date(2027, 1, 1)
    assert moving.provisional is True
    assert CALENDAR_UNKNOWN_YEAR in moving.rules
    assert moving.owner == world.edu
    assert set(moving.watchers.all()) == {world["edu_clerk"], world["edu_head"]}
    assert verbs(moving) == ["deadline.set"]


def test_set_deadline_again_resets_the_same_row(world, moving):
    """One deadline per owner and purpose: an extension updates it."""
    again = set_deadline(
        owner=world.edu,
        purpose="answer",
        start=date(2026, 3, 2),
        kind="months",
        amount=3,
        by=world["affairs"],
    )
    assert again.pk == moving.pk
    assert Deadline.objects.count() == 1
    assert (again.due, again.provisional) == (date(2026, 6, 2), False)
    assert set(again.watchers.all()) == {world["edu_clerk"], world["edu_head"]}  # kept
    assert verbs(again) == ["deadline.reset", "deadline.set"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "weeks", "amount": 1},
        {"kind": "days", "amount": 0},
        {"kind": "months", "amount": 10_000},
        {"kind": "days", "amount": 1, "purpose": ""},
        {"kind": "days", "amount": 1, "purpose": "x" * 101},
    ],
)
def test_set_deadline_refuses_bad_input(world, kwargs):
    args = {"purpose": "answer", "start": date(2026, 3, 2), **kwargs}
    with pytest.raises(InvalidInput):
        set_deadline(**args)
    assert not Deadline.objects.exists()


def test_enter_schedule_recomputes_provisional_deadlines_and_tells_watchers(world, moving):
    """CALENDAR-UNKNOWN-YEAR, PERIOD-REST-DAY: entering 2027 moves the deadline from Friday
    2027-01-01 (now a holiday) past the weekend to Monday 2027-01-04, final; the watchers are
    told and both the year and the deadline are audited."""
    done = enter_schedule(2027, SPRING_2027, SWAPS_2027, by=world["admin"])
    assert (done.changed, done.recomputed, done.updated, done.moved) == (True, 1, 1, 1)

    moving.refresh_from_db()
    assert moving.due == date(2027, 1, 4)
    assert moving.provisional is False
    assert PERIOD_REST_DAY in moving.rules and CALENDAR_UNKNOWN_YEAR not in moving.rules

    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.entered_by) == ("admin", world["admin"])
    assert SpecialDay.objects.filter(year=2027, kind="rest").count() == 3 + 8
    assert SpecialDay.objects.get(date=date(2027, 2, 14)).kind == "workday"

    event = history_of(year)[0]
    assert event.verb == "calendar.schedule_entered"
    assert event.data["deadlines_moved"] == 1
    recomputed = history_of(moving)[0]
    assert recomputed.verb == "deadline.recomputed"
    assert recomputed.actor == world["admin"]
    assert (recomputed.data["old_due"], recomputed.data["due"]) == ("2027-01-01", "2027-01-04")

    told = Notification.objects.filter(title__contains="answer")
    assert {n.recipient for n in told} == {world["edu_clerk"], world["edu_head"]}
    assert all("2027-01-04" in n.title for n in told)
    assert verify_chain()[1] is None


def test_deadline_that_becomes_final_without_moving_is_not_announced(world):
    """CALENDAR-UNKNOWN-YEAR: Tuesday 2027-01-05 stays the due day; only the flag changes."""
    deadline = set_deadline(
        purpose="notify", start=date(2027, 1, 4), kind="days", amount=1, watchers=[world["deputy"]]
    )
    assert deadline.provisional
    done = enter_schedule(2027, NEW_YEAR_2027, [], by=world["admin"])
    deadline.refresh_from_db()
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 5), False)
    assert (done.updated, done.moved) == (1, 0)
    assert not Notification.objects.exists()
    assert verbs(deadline)[0] == "deadline.recomputed"


def test_deadlines_in_other_years_are_left_alone(world, moving):
    """CALENDAR-UNKNOWN-YEAR: only deadlines reaching into the entered year are looked at; one
    reaching on into 2028 stays provisional."""
    final = set_deadline(purpose="final", start=date(2026, 3, 2), kind="days", amount=5)
    onward = set_deadline(
        purpose="onward", start=date(2027, 12, 20), kind="working_days", amount=15
    )
    assert onward.due.year == 2028 and onward.provisional
    done = enter_schedule(2027, NEW_YEAR_2027, [], by=world["admin"])
    assert done.recomputed == 2  # moving and onward
    onward.refresh_from_db()
    assert onward.provisional is True
    assert verbs(final) == ["deadline.set"]


def test_entering_the_same_schedule_twice_changes_nothing(world, moving):
    """POST twice is harmless: the second time writes, audits and notifies nothing."""
    enter_schedule(2027, SPRING_2027, SWAPS_2027, by=world["admin"])
    events, notes = AuditEvent.objects.count(), Notification.objects.count()
    done = enter_schedule(2027, SPRING_2027, SWAPS_2027, by=world["admin"])
    assert done.changed is False
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notes)


def test_correcting_a_known_year_recomputes_final_deadlines_too(world):
    """PERIOD-REST-DAY: a correction to a known year (as the State Council extended the 2020
    Spring Festival) moves deadlines that were final, and tells their watchers."""
    deadline = set_deadline(
        purpose="reply", start=date(2026, 3, 2), kind="days", amount=8, watchers=[world["deputy"]]
    )
    assert (deadline.due, deadline.provisional) == (date(2026, 3, 10), False)
    from renda.calendar.queries import year_detail

    detail = year_detail(2026)
    extra = HolidayPeriod("测试假日", date(2026, 3, 10), date(2026, 3, 10))
    done = enter_schedule(2026, [*detail.holidays, extra], detail.workdays, by=world["admin"])
    deadline.refresh_from_db()
    assert deadline.due == date(2026, 3, 11)
    assert done.moved == 1
    assert Notification.objects.filter(recipient=world["deputy"]).count() == 1


@pytest.mark.parametrize("username", ["affairs", "deputy", "edu_clerk", "nobody"])
def test_only_administrators_enter_the_schedule(world, username):
    with pytest.raises(Forbidden):
        enter_schedule(2027, NEW_YEAR_2027, [], by=world[username])
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    "holidays, workdays, message",
    [
        ([], [], "at least one holiday"),
        ([HolidayPeriod("元旦", date(2026, 12, 31), date(2027, 1, 1))], [], "must be in 2027"),
        ([HolidayPeriod("春节", date(2027, 2, 13), date(2027, 2, 6))], [], "before the first"),
        ([HolidayPeriod("长假", date(2027, 1, 1), date(2027, 3, 1))], [], "at most 31 days"),
        (
            [*NEW_YEAR_2027, HolidayPeriod("又一个", date(2027, 1, 3), date(2027, 1, 4))],
            [],
            "already part of",
        ),
        (NEW_YEAR_2027, [SwappedWorkday(date(2027, 2, 15), "x")], "Saturday or a Sunday"),
        (NEW_YEAR_2027, [SwappedWorkday(date(2027, 1, 2), "x")], "also listed as a holiday"),
        (
            NEW_YEAR_2027,
            [SwappedWorkday(date(2027, 2, 14), "x"), SwappedWorkday(date(2027, 2, 14), "y")],
            "listed twice",
        ),
    ],
)
def test_invalid_schedules_are_refused_and_nothing_is_written(world, holidays, workdays, message):
    with pytest.raises(InvalidInput, match=message):
        enter_schedule(2027, holidays, workdays, by=world["admin"])
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not SpecialDay.objects.filter(year=2027).exists()


def test_calendar_gaps_list_years_in_use_that_are_missing(world):
    """CALENDAR-UNKNOWN-YEAR: this year always; next year from November on, or as soon as a
    provisional deadline falls due in it; never a year that is entered."""
    assert calendar_gaps(date(2026, 6, 1)) == []
    assert calendar_gaps(date(2026, 11, 1)) == [2027]
    assert calendar_gaps(date(2027, 3, 1)) == [2027]
    set_deadline(purpose="x", start=date(2026, 5, 1), kind="months", amount=9)
    assert calendar_gaps(date(2026, 6, 1)) == [2027]
    enter_schedule(2027, NEW_YEAR_2027, [], by=world["admin"])
    assert calendar_gaps(date(2026, 11, 1)) == []
    assert calendar_gaps(date(2027, 11, 1)) == [2028]


@pytest.mark.django_db(transaction=True)
def test_two_administrators_entering_a_new_year_at_once_one_wins_cleanly():
    """CALENDAR-UNKNOWN-YEAR: two saves of a new year at the same moment give one schedule and
    one clear refusal (DomainError → 409 / a message), never a server error."""
    import threading

    from django.db import connection

    from conftest import make_user
    from renda.accounts.models import RoleAssignment
    from renda.errors import DomainError

    admins = []
    for name in ("admin_a", "admin_b"):
        user = make_user(name)
        RoleAssignment.objects.create(user=user, role="admin")
        admins.append(user)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user):
        try:
            barrier.wait(timeout=10)
            enter_schedule(
                2031,
                [HolidayPeriod("元旦", date(2031, 1, 1), date(2031, 1, 1))],
                [],
                by=user,
            )
            outcomes.append("saved")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u,)) for u in admins]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert "saved" in outcomes
    assert sorted(outcomes) in (["refused", "saved"], ["saved", "saved"])
    assert CalendarYear.objects.filter(year=2031).count() == 1
    assert SpecialDay.objects.filter(year=2031).count() == 1
    assert verify_chain()[1] is None
