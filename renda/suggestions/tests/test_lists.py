"""The suggestion lists at scale (issue 3, "Benchmark"; docs/performance.md "Suggestions at
scale"): the assignments' copies of their suggestion's state, year and sequence stay in step
through every action, and `listed_suggestions` (the API list) gives exactly the rows, order and
count of the plain visibility query for every role and filter."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from conftest import WORLD_USERS
from renda.accounts.models import RoleAssignment
from renda.suggestions import counts
from renda.suggestions.actions.assignment import decide_return, request_return, send_co_opinion
from renda.suggestions.actions.registration import register
from renda.suggestions.actions.submission import submit
from renda.suggestions.choices import State
from renda.suggestions.models import Assignment, Suggestion, SuggestionCount
from renda.suggestions.queries import listed_suggestions, suggestions_visible_to
from renda.suggestions.tests.answer_builders import (
    assignment_of,
    at,
    give_answer,
    handled,
    rate,
    signed_off,
)

from .test_returns import MAR_2
from .test_submission import BETWEEN_SESSIONS, drafted, motion_with, submitted


def _out_of_step(suggestion: Suggestion) -> list[tuple[Any, ...]]:
    """The suggestion's assignments whose copies differ from it (none, when in step)."""
    s = Suggestion.objects.get(pk=suggestion.pk)
    assert s.assignments.exists()
    return [
        (a.pk, a.suggestion_state, a.suggestion_year, a.suggestion_sequence)
        for a in s.assignments.all()
        if (a.suggestion_state, a.suggestion_year, a.suggestion_sequence)
        != (s.state, s.year, s.sequence)
    ]


def test_copies_follow_the_suggestion_through_its_whole_life(world):
    """Assigned → being reassigned (a return request, SUG-RETURN) → assigned again (refused) →
    answered → being handled again (dissatisfied, SUG-REHANDLE) → answered → closed: after each
    step every assignment (returned ones too) carries the suggestion's state, year, sequence."""
    seen = []

    def check(expected: str) -> None:
        s = Suggestion.objects.get(pk=suggestion.pk)
        assert s.state == expected
        assert _out_of_step(s) == []
        assert counts.difference() == {}  # the office's list counts
        assert SuggestionCount.objects.get(state=expected).n == 1
        seen.append(s.state)

    with at(MAR_2):
        suggestion = handled(world, cos=("transport",), sign=False)
        check(State.ASSIGNED)
        ask = request_return(
            assignment_of(suggestion, world.edu), reason="应由交通部门办理。", by=world["edu_clerk"]
        )
        check(State.REASSIGNING)
        decide_return(ask, approve=False, note="属于贵单位职责。", by=world["affairs"])
        check(State.ASSIGNED)
        send_co_opinion(
            assignment_of(suggestion, world.transport),
            text="建议增开线路。",
            by=world["transport_clerk"],
        )
        check(State.ASSIGNED)
        signed_off(world, suggestion, "edu")
        give_answer(world, suggestion, "edu", category="A")
        check(State.ANSWERED)
        rate(world, suggestion, "edu", rating="dissatisfied")
        check(State.REHANDLING)
        signed_off(world, suggestion, "edu")
        give_answer(world, suggestion, "edu", category="A", text="重新办理：已增开线路。")
        check(State.ANSWERED)
        rate(world, suggestion, "edu", rating="satisfied")
        check(State.CLOSED)
    assert seen == ["assigned", "reassigning", "assigned", "assigned", "answered", "rehandling"] + [
        "answered",
        "closed",
    ]


def test_copies_of_a_returned_and_reassigned_suggestion(world):
    """SUG-RETURN approved with a new lead unit: the returned row and the new one both in step."""
    with at(MAR_2):
        suggestion = handled(world, sign=False)
        ask = request_return(
            assignment_of(suggestion, world.edu), reason="应由交通部门办理。", by=world["edu_clerk"]
        )
        decide_return(ask, approve=True, new_lead_units=[world.transport.pk], by=world["affairs"])
    assert Assignment.objects.filter(suggestion=suggestion).count() == 2
    assert _out_of_step(suggestion) == []
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.ASSIGNED


def _due_out_of_step(suggestion: Suggestion) -> list[tuple[Any, ...]]:
    """The suggestion's assignments (returned ones too) whose `due` copy differs from the due
    date of the deadline the unit works to (none, when in step); the kept counts in step."""
    rows = Assignment.objects.filter(suggestion=suggestion).select_related(
        "answer_deadline", "co_opinion_deadline"
    )
    assert rows.exists()
    assert counts.difference() == {}  # the unit queue's and the office's list counts too
    out = []
    for a in rows:
        deadline = a.answer_deadline if a.role == "lead" else a.co_opinion_deadline
        assert deadline is not None
        if a.due != deadline.due:
            out.append((a.pk, a.unit_id, a.role, a.due, deadline.due))
    return out


def test_due_copies_follow_the_deadlines_through_assign_return_rehandle_and_the_calendar(world):
    """The unit queue's copy of each assignment's due date (Assignment.due) equals the deadline
    it works to after every step that sets or moves one: assigned (SUG-DEADLINE, and
    SUG-CO-OPINION for the co-unit), a return approved with a new lead unit (SUG-RETURN), sent
    back after a dissatisfied rating (SUG-REHANDLE), and the 2027 holiday schedule entered, which
    moves the provisional deadlines (CALENDAR-UNKNOWN-YEAR, PERIOD-REST-DAY)."""
    from renda.calendar.actions import enter_schedule
    from renda.calendar.schedule import HolidayPeriod, SwappedWorkday
    from renda.orgs.models import HandlingUnit
    from renda.suggestions.actions.assignment import assign

    from .assignment_builders import registered

    health = HandlingUnit.objects.create(
        congress=world.city, name="市卫生健康委", kind="government"
    )
    with at(date(2026, 12, 8)):
        suggestion = assign(
            registered(world),
            lead_units=[world.transport],
            co_units=[health],
            by=world["affairs"],
        )
        assert _due_out_of_step(suggestion) == []
        co = assignment_of(suggestion, health)
        assert (co.due, co.co_opinion_deadline.provisional) == (date(2027, 2, 8), True)
    with at(date(2026, 12, 9)):
        ask = request_return(
            assignment_of(suggestion, world.transport),
            reason="应由教育部门办理。",
            by=world["transport_clerk"],
        )
        assert _due_out_of_step(suggestion) == []
        decide_return(ask, approve=True, new_lead_units=[world.edu.pk], by=world["affairs"])
        assert _due_out_of_step(suggestion) == []
        assert assignment_of(suggestion, world.edu).due == date(2027, 3, 9)
    with at(date(2026, 12, 20)):
        signed_off(world, suggestion, "edu")
        give_answer(world, suggestion, "edu", category="A")
        assert _due_out_of_step(suggestion) == []
    with at(date(2026, 12, 21)):
        rate(world, suggestion, "edu", rating="dissatisfied")
        edu = assignment_of(suggestion, world.edu)
        assert edu.answer_deadline.purpose == "rehandle"
        assert (edu.due, edu.answer_deadline.provisional) == (date(2027, 1, 21), True)
        assert _due_out_of_step(suggestion) == []
    with at(date(2026, 12, 22)):
        done = enter_schedule(
            2027,
            [
                HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 3)),
                HolidayPeriod("测试假日", date(2027, 1, 21), date(2027, 1, 22)),
                HolidayPeriod("春节", date(2027, 2, 6), date(2027, 2, 13)),
            ],
            [SwappedWorkday(date(2027, 2, 14), "春节调休")],
            by=world["admin"],
        )
        assert done.moved >= 2
    assert _due_out_of_step(suggestion) == []
    # The moved days themselves: Thursday 21 January is now a holiday (then the weekend), and
    # Monday 8 February falls in the Spring Festival (Sunday 14 February is a working day).
    assert assignment_of(suggestion, world.edu).due == date(2027, 1, 25)
    assert assignment_of(suggestion, health).due == date(2027, 2, 14)


def test_the_unit_queue_is_in_due_order_of_the_copies(world):
    """The open part of the unit's queue: soonest due first (the `due` copy), ties by id."""
    from renda.suggestions.queries import UnitQueue

    with at(date(2026, 3, 2)):
        later = handled(world, sign=False)
    with at(date(2026, 2, 2)):
        sooner = handled(world, sign=False)
    with at(date(2026, 3, 2)):
        same_day = handled(world, sign=False)
    rows = UnitQueue(world["edu_clerk"])[0:10]
    assert [a.suggestion_id for a in rows] == [sooner.pk, later.pk, same_day.pk]
    # 2 February + 3 months is 2 May, in the May Day holiday (1–5 May 2026): the 6th.
    assert [a.due for a in rows] == [date(2026, 5, 6), date(2026, 6, 2), date(2026, 6, 2)]


def test_the_unit_queue_counts_come_from_the_kept_counts(world, spread):
    """The unit queue's counts (all but the returned, and the open ones) are the kept unit
    counts (UnitQueueCount) and equal a count of the assignments; a wrong kept count shows."""
    from renda.suggestions.models import UnitQueueCount
    from renda.suggestions.queries import UnitQueue

    assert counts.difference() == {}
    for username, unit in (("edu_clerk", world.edu), ("transport_clerk", world.transport)):
        queue = UnitQueue(world[username])
        mine = Assignment.objects.filter(unit=unit).exclude(state="returned")
        assert queue.count() == mine.count() > 0
        assert queue._count()["open"] == mine.filter(state="active").count()
        with CaptureQueriesContext(connection) as ctx:
            UnitQueue(world[username]).count()
        assert UnitQueueCount._meta.db_table in ctx.captured_queries[0]["sql"]
    UnitQueueCount.objects.filter(unit_id=world.edu.pk, state="answered").update(n=F("n") + 3)
    assert UnitQueue(world["edu_clerk"]).count() == (
        Assignment.objects.filter(unit=world.edu).exclude(state="returned").count() + 3
    )


def test_seed_scale_writes_the_copies(world):
    from renda.suggestions.scale import Options, seed_scale

    seed_scale(Options(suggestions=300, deputies=2, units=3, years=1, seed=3), progress=print)
    rows = Assignment.objects.select_related("suggestion")
    assert rows.count() > 20
    assert [
        a.pk
        for a in rows
        if (a.suggestion_state, a.suggestion_year, a.suggestion_sequence)
        != (a.suggestion.state, a.suggestion.year, a.suggestion.sequence)
    ] == []
    # The due copy: the answer deadline's (the re-handling one once sent back) for a lead unit,
    # the opinion deadline's for a co-unit.
    rows = rows.select_related("answer_deadline", "co_opinion_deadline")
    assert [
        a.pk
        for a in rows
        if a.due != (a.answer_deadline if a.role == "lead" else a.co_opinion_deadline).due
    ] == []
    assert rows.filter(role="co").exists() and rows.filter(suggestion_state="rehandling").exists()


# --- listed_suggestions: the same rows, order and count as the plain query -------------------


@pytest.fixture
def spread(world):
    """Suggestions in several states, years and units, drafts and a motion included; `affairs` is
    also a deputy of the county congress with a suggestion there (a personal arm outside the
    office's broad one)."""
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        made = [drafted(world, cosigners=[world["deputy2"]])]
        made += [submitted(world, title=f"关于第{i}号路口的建议") for i in range(4)]
        register(made[1], by=world["affairs"])
        register(made[2], by=world["affairs"])
    with at(MAR_2):
        made.append(handled(world, cos=("transport",)))
        made.append(handled(world, leads=("transport",)))
        done = handled(world)
        give_answer(world, done, "edu")
        made.append(done)
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        motion = motion_with(world, confirmed=10)
        made.append(submit(motion, by=motion.lead_deputy))
    RoleAssignment.objects.create(user=world["affairs"], role="deputy", congress=world.county)
    for user in world.users.values():
        user.__dict__.pop("_renda_roles", None)  # roles are cached on the user object
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        made.append(drafted(world, by="affairs", congress=world.county))
    return made


def _plain(user: Any, state=None, year=None, unit=None, q=None, kind=None) -> list[int]:
    """The reference: the visibility query with the filters ANDed on, default order."""
    qs = suggestions_visible_to(user)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=unit).exclude(
                    state="returned"
                )
            )
        )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    return list(qs.values_list("id", flat=True))


@pytest.mark.parametrize("username", WORLD_USERS)
def test_listed_suggestions_match_the_plain_query_for_every_role(world, spread, username):
    user = world[username]
    units = [None, world.edu.pk, world.transport.pk]
    filters = [
        {},
        {"state": State.ASSIGNED},
        {"state": State.DRAFT},
        {"state": State.SUBMITTED, "year": 2026},
        {"year": 2026},
        {"year": 2025},
        {"q": "路口"},
        {"kind": "motion"},
        {"kind": "suggestion", "state": State.SUBMITTED},
        {"kind": "suggestion", "year": 2026},
        {"kind": "motion", "state": State.SUBMITTED, "year": 2026},
    ]
    for unit in units:
        for f in filters:
            expected = _plain(user, unit=unit, **f)
            narrow = Q(title__icontains=f["q"]) | Q(number__icontains=f["q"]) if "q" in f else None
            listing = listed_suggestions(
                user,
                state=f.get("state"),
                year=f.get("year"),
                kind=f.get("kind"),
                unit=unit,
                narrow=narrow,
            )
            got = [s.pk for s in listing[0:100]]
            assert got == expected, (username, unit, f)
            assert listing.count() == len(expected), (username, unit, f)
            # Paging: the second page of two is the rest, in order.
            assert [s.pk for s in listing[2:100]] == expected[2:], (username, unit, f)


def _count_sql(listing: Any) -> str:
    with CaptureQueriesContext(connection) as ctx:
        listing.count()
    assert len(ctx.captured_queries) == 1
    return ctx.captured_queries[0]["sql"]


def test_the_office_and_admin_counts_come_from_the_list_counts(world, spread):
    """The office's and an administrator's lists filtered by state, year and kind only: the count
    is read from the kept list counts (SuggestionCount), and equals the plain count; anything
    else (a unit, a search, a unit clerk's list) is counted from the suggestions."""
    table = SuggestionCount._meta.db_table
    assert counts.difference() == {}
    for username in ("admin", "committee", "leader", "supervisor"):
        user = world[username]
        for f in ({}, {"state": State.SUBMITTED, "year": 2026}, {"kind": "motion"}):
            listing = listed_suggestions(user, **f)
            assert table in _count_sql(listing), (username, f)
            assert listing.count() == len(_plain(user, **f)) > 0, (username, f)
    q = Q(title__icontains="路口")
    assert table not in _count_sql(listed_suggestions(world["leader"], narrow=q))
    assert table not in _count_sql(listed_suggestions(world["leader"], unit=world.edu.pk))
    assert table not in _count_sql(listed_suggestions(world["edu_clerk"]))
    # The office clerk's own county draft is outside the office's arm: the plain count.
    assert table not in _count_sql(listed_suggestions(world["affairs"]))


def test_a_wrong_list_count_shows_in_the_count_and_verify_stats_names_it(world, spread):
    """The served count really is the kept one (a test that could not fail otherwise), and
    `verify_stats` finds the difference; `rebuild_stats_facts` repairs it."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    before = listed_suggestions(world["leader"], state=State.SUBMITTED).count()
    SuggestionCount.objects.filter(state=State.SUBMITTED, kind="suggestion").update(n=F("n") + 5)
    assert listed_suggestions(world["leader"], state=State.SUBMITTED).count() == before + 5
    with pytest.raises(CommandError) as failed:
        call_command("verify_stats", stdout=StringIO())
    assert "List counts differ" in str(failed.value) and "submitted" in str(failed.value)
    call_command("rebuild_stats_facts", stdout=StringIO())
    assert counts.difference() == {}
    assert listed_suggestions(world["leader"], state=State.SUBMITTED).count() == before


def test_an_office_clerk_who_is_a_deputy_elsewhere_sees_both(world, spread, api):
    """The office's broad arm alone would miss the clerk's own county draft: the personal arm is
    added back when it has a match outside the broad one."""
    own = spread[-1]
    ids = {r["id"] for r in api("affairs").get("/suggestions", page_size=100).json()["items"]}
    assert own.pk in ids
    assert {s.pk for s in spread if s.state != State.DRAFT} <= ids
    assert spread[0].pk not in ids  # someone else's draft


def test_unit_list_reads_the_copies_in_order(world, spread, api):
    """The clerk's own unit: page and count from the assignments, newest number first."""
    body = api("edu_clerk").get("/suggestions", unit=world.edu.pk, page_size=100).json()
    expected = _plain(world["edu_clerk"], unit=world.edu.pk)
    assert [r["id"] for r in body["items"]] == expected and body["count"] == len(expected) == 2
    assigned = api("edu_clerk").get("/suggestions", unit=world.edu.pk, state="assigned").json()
    answered = api("edu_clerk").get("/suggestions", unit=world.edu.pk, state="answered").json()
    assert assigned["count"] == 1 and answered["count"] == 1
    assert assigned["items"][0]["state"] == "assigned"
    # Another unit's list: only what the clerk sees anyway (the one the edu bureau co-handles).
    other = api("edu_clerk").get("/suggestions", unit=world.transport.pk).json()
    assert [r["id"] for r in other["items"]] == [spread[5].pk] and other["count"] == 1
