"""assign(): SUG-DEADLINE, SUG-RETURN, SUG-CO-OPINION and SUG-NOTIFY at assignment; the input
it refuses; who may assign; two office clerks assigning at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.orgs.models import HandlingUnit
from renda.suggestions.actions.assignment import assign
from renda.suggestions.models import Assignment, Suggestion

from .assignment_builders import assigned, assignment_of, at, registered

# 2026-02-01 + 3 months = 2026-05-01, Labour Day (rest days 1–5 May) → 2026-05-06;
# + 6 months = 2026-08-01, a Saturday → Monday 2026-08-03.
FEB_1 = date(2026, 2, 1)


def _assign(world, s, leads=("edu",), cos=(), by="affairs", **kw):
    return assign(
        s,
        lead_units=[getattr(world, u) for u in leads],
        co_units=[getattr(world, u) for u in cos],
        by=world[by],
        **kw,
    )


def test_sug_deadline_three_months_moves_past_labour_day_holiday(world):
    """SUG-DEADLINE via the legal calendar: 3 months from 2026-02-01 ends on 1 May, a statutory
    rest day, so the answer is due on the first working day after the holiday (PERIOD-REST-DAY)."""
    with at(FEB_1):
        s = assigned(world)
    a = assignment_of(s, world.edu)
    assert a.answer_deadline.due == date(2026, 5, 6)
    assert a.answer_deadline.start == FEB_1
    assert not a.answer_deadline.provisional
    assert "PERIOD-REST-DAY" in a.answer_deadline.rules
    assert a.answer_deadline.purpose == "answer"
    assert not s.is_complex


def test_sug_deadline_complex_gets_six_months_past_the_weekend(world):
    """SUG-DEADLINE: a suggestion wide in scope or hard to handle gets 6 months (profile);
    2026-08-01 is a Saturday, so the answer is due on Monday 2026-08-03."""
    with at(FEB_1):
        s = assigned(world, complex=True)
    assert s.is_complex
    assert assignment_of(s, world.edu).answer_deadline.due == date(2026, 8, 3)


def test_sug_deadline_into_an_unknown_year_is_provisional(world):
    """SUG-DEADLINE + CALENDAR-UNKNOWN-YEAR: 3 months from late November 2026 reach into 2027,
    whose schedule is not entered: the due date is provisional."""
    with at(date(2026, 11, 20)):
        s = assigned(world)
    assert assignment_of(s, world.edu).answer_deadline.provisional


def test_sug_return_and_co_opinion_deadlines_start_at_assignment(world):
    """SUG-RETURN: every unit's return window (zhejiang: 10 days); SUG-CO-OPINION: co-units'
    opinion deadline (zhejiang: 2 months); co-units have no answer deadline of their own."""
    with at(date(2026, 3, 2)):
        s = assigned(world, cos=("transport",))
    lead, co = assignment_of(s, world.edu), assignment_of(s, world.transport)
    assert (lead.role, co.role) == ("lead", "co")
    assert lead.return_deadline.due == date(2026, 3, 12)
    assert co.return_deadline.due == date(2026, 3, 12)
    assert lead.co_opinion_deadline is None
    assert co.answer_deadline is None
    # 2026-05-02 is inside the Labour Day holiday (1–5 May) → 2026-05-06.
    assert co.co_opinion_deadline.due == date(2026, 5, 6)


def test_profiles_chongqing_counts_working_days(world):
    """Profiles: chongqing's return window is 10 working days (zhejiang: 10 days). From
    2026-04-30 the Labour Day holiday is skipped and Saturday 9 May (a swapped working day)
    counts: 2026-05-18. Its co-unit period is 30 working days."""
    world.city.rule_profile = "chongqing"
    world.city.save()
    with at(date(2026, 4, 30)):
        s = assigned(world, cos=("transport",))
    lead, co = assignment_of(s, world.edu), assignment_of(s, world.transport)
    assert lead.return_deadline.due == date(2026, 5, 18)
    assert lead.return_deadline.kind == "working_days"
    assert "PERIOD-WORKDAYS" in lead.return_deadline.rules
    assert co.co_opinion_deadline.kind == "working_days"
    assert co.co_opinion_deadline.amount == 30
    # The answer period stays 3 months (the national rule in every profile).
    assert lead.answer_deadline.kind == "months"


def test_profiles_zhejiang_same_day_counts_calendar_days(world):
    """Profiles: the same assignment day under zhejiang: 10 days → Sunday 10 May → 11 May."""
    with at(date(2026, 4, 30)):
        s = assigned(world)
    assert assignment_of(s, world.edu).return_deadline.due == date(2026, 5, 11)


def test_sug_notify_lead_deputy_told_the_units_at_once(world):
    """SUG-NOTIFY: the lead deputy is told which units were assigned, in the same transaction;
    the time is recorded and the notify deadline (7 days from registration, zhejiang) kept."""
    with at(FEB_1):
        s = assigned(world, cos=("transport",))
    s.refresh_from_db()
    assert s.state == "assigned"
    assert s.deputy_notified_at is not None
    assert s.notify_deadline.due == date(2026, 2, 9)  # 8 Feb is a Sunday
    told = Notification.objects.filter(recipient=world["deputy"], title__contains="assigned")
    assert told.count() == 1
    assert "市教育局" in told[0].body and "市交通运输局" in told[0].body
    event = AuditEvent.objects.get(verb="suggestion.assigned", object_id=str(s.pk))
    assert event.data["notified_in_time"] is True
    assert event.data["notify_due"] == "2026-02-09"


def test_units_people_are_told_and_watch_their_deadlines(world):
    """The unit's clerks and heads watch its deadlines and are told of the assignment."""
    with at(FEB_1):
        s = assigned(world, cos=("transport",))
    lead = assignment_of(s, world.edu)
    assert set(lead.answer_deadline.watchers.all()) == {world["edu_clerk"], world["edu_head"]}
    assert set(lead.return_deadline.watchers.all()) == {world["edu_clerk"], world["edu_head"]}
    co = assignment_of(s, world.transport)
    assert set(co.co_opinion_deadline.watchers.all()) == {world["transport_clerk"]}
    for name in ("edu_clerk", "edu_head", "transport_clerk"):
        assert Notification.objects.filter(
            recipient=world[name], title__contains="Assigned"
        ).exists()
    assert not Notification.objects.filter(recipient=world["deputy2"]).exists()


def test_assign_defaults_to_todays_local_date(world):
    """assigned_on defaults to today in Asia/Shanghai: at 01:00 local time (17:00 UTC the day
    before) the assignment is dated the local day."""
    with at(FEB_1, hour=1):
        s = assigned(world)
    assert assignment_of(s, world.edu).assigned_on == FEB_1


def test_back_dated_assignment_is_allowed_and_audited_with_the_date(world):
    """Back-dating for data entry: deadlines run from the given date; the audit says so."""
    with at(date(2026, 1, 20)):
        s = registered(world)
    with at(date(2026, 2, 10)):
        _assign(world, s, assigned_on=FEB_1)
    a = assignment_of(s, world.edu)
    assert a.assigned_on == FEB_1
    assert a.answer_deadline.due == date(2026, 5, 6)
    data = AuditEvent.objects.get(verb="suggestion.assigned").data
    assert data["assigned_on"] == "2026-02-01"
    assert data["back_dated"] is True
    assert data["entered_on"] == "2026-02-10"


@pytest.mark.parametrize(
    "day, words",
    [(date(2026, 2, 11), "future"), (date(2026, 1, 19), "before the suggestion was submitted")],
)
def test_assignment_date_out_of_range_is_refused(world, day, words):
    with at(date(2026, 1, 20)):
        s = registered(world)
    with at(date(2026, 2, 10)), pytest.raises(InvalidInput) as exc:
        _assign(world, s, assigned_on=day)
    assert "assigned_on" in exc.value.detail and words in exc.value.detail
    assert not Assignment.objects.exists()


def test_the_submission_day_itself_is_allowed(world):
    with at(date(2026, 1, 20)):
        s = registered(world)
    with at(date(2026, 2, 10)):
        _assign(world, s, assigned_on=date(2026, 1, 20))
    assert assignment_of(s, world.edu).assigned_on == date(2026, 1, 20)


def _other_units(world):
    county_unit = HandlingUnit.objects.create(congress=world.county, name="区教育局")
    closed = HandlingUnit.objects.create(congress=world.city, name="市已撤销局", active=False)
    return county_unit, closed


@pytest.mark.parametrize(
    "case, field",
    [
        ("no_lead", "lead_units"),
        ("both", "co_units"),
        ("duplicate", "lead_units"),
        ("unknown", "lead_units"),
        ("other_congress", "lead_units"),
        ("inactive", "co_units"),
        ("not_ids", "lead_units"),
        ("not_bool", "complex"),
    ],
)
def test_bad_units_are_refused_and_nothing_is_written(world, case, field):
    """At least one lead; active units of the suggestion's congress only; no unit both lead and
    co-unit; no duplicates. A refusal names the field and writes nothing."""
    county_unit, closed = _other_units(world)
    s = registered(world)
    edu, transport = world.edu.pk, world.transport.pk
    kwargs = {
        "no_lead": {"lead_units": [], "co_units": [edu]},
        "both": {"lead_units": [edu], "co_units": [transport, edu]},
        "duplicate": {"lead_units": [edu, edu]},
        "unknown": {"lead_units": [edu, 999_999]},
        "other_congress": {"lead_units": [county_unit.pk]},
        "inactive": {"lead_units": [edu], "co_units": [closed.pk]},
        "not_ids": {"lead_units": ["市教育局"]},
        "not_bool": {"lead_units": [edu], "complex": "yes"},
    }[case]
    with pytest.raises(InvalidInput) as exc:
        assign(s, by=world["affairs"], **kwargs)
    assert exc.value.detail.startswith(field)
    s.refresh_from_db()
    assert s.state == "registered"
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(verb="suggestion.assigned").exists()
    assert not Notification.objects.filter(recipient=world["deputy"], title__contains="assigned")


def test_assign_twice_is_a_conflict_naming_the_state(world):
    s = assigned(world)
    with pytest.raises(DomainError) as exc:
        _assign(world, s, leads=("transport",))
    assert exc.value.status == 409
    assert "assigned" in exc.value.detail
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("username", ["deputy", "edu_clerk", "edu_head", "committee", "leader"])
def test_only_the_office_assigns(world, username):
    s = registered(world)
    with pytest.raises(Forbidden):
        _assign(world, s, by=username)
    assert not Assignment.objects.exists()


def test_another_congress_office_may_not_assign(world):
    s = registered(world)
    with pytest.raises(Forbidden):
        _assign(world, s, by="county_affairs")


def test_admin_may_assign(world):
    s = registered(world)
    _assign(world, s, by="admin")
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"


@pytest.mark.django_db(transaction=True)
def test_two_clerks_assigning_at_once_one_wins_the_other_gets_409(world):
    """Two office clerks assign the same suggestion at the same moment: one assignment is made,
    the other clerk gets a 409 naming the state; nothing is done twice."""
    from conftest import make_user
    from renda.accounts.models import RoleAssignment

    other = make_user("affairs2")
    RoleAssignment.objects.create(user=other, role="deputy_affairs", congress=world.city)
    s = registered(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work(user, unit):
        try:
            barrier.wait(timeout=10)
            assign(Suggestion.objects.get(pk=s.pk), lead_units=[unit], by=user)
            outcomes.append("assigned")
        except DomainError as exc:
            outcomes.append(f"{exc.status}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=(world["affairs"], world.edu)),
        threading.Thread(target=work, args=(other, world.transport)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["409", "assigned"]
    assert Assignment.objects.filter(suggestion=s).count() == 1
    assert AuditEvent.objects.filter(verb="suggestion.assigned").count() == 1
    assert (
        Notification.objects.filter(recipient=world["deputy"], title__contains="assigned").count()
        == 1
    )
