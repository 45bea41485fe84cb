"""The deadline job's escalation (issue 3 point 9) and co-units' opinion deadlines
(SUG-CO-OPINION): who is told when an answer is overdue, the second escalation step, warnings
and late marks for co-units — each claimed atomically so two workers never send twice."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from renda.audit.models import AuditEvent
from renda.notifications.models import Notification
from renda.suggestions.actions.assignment import send_co_opinion
from renda.suggestions.actions.deadlines import mark_overdue
from renda.suggestions.actions.key import mark_key
from renda.suggestions.models import Assignment
from renda.suggestions.tasks import check_deadlines

from .answer_builders import assignment_of, at, give_answer, handled, rate

MARCH_2 = date(2026, 3, 2)  # assigned that Monday: the answer is due 2026-06-02 (3 months)
DUE = date(2026, 6, 2)
OVERDUE_ON = date(2026, 6, 3)


def _told(user, prefix: str) -> int:
    return Notification.objects.filter(recipient=user, title__startswith=prefix).count()


@pytest.fixture
def sug(world):
    with at(MARCH_2):
        s = handled(world)
    assert assignment_of(s, world.edu).answer_deadline.due == DUE
    return s


@pytest.fixture
def with_co(world):
    """Lead: education bureau; co-unit: transport bureau (its opinion due in 2 months)."""
    with at(MARCH_2):
        s = handled(world, cos=("transport",))
    co = assignment_of(s, world.transport)
    assert co.role == "co" and co.co_opinion_deadline is not None
    return s, co.co_opinion_deadline.due


# --- The first step: who is told the day after the due date --------------------------------
def test_overdue_tells_the_government_supervision_office_of_a_government_unit(world, sug):
    """Point 9: an overdue answer of a government unit goes to the government supervision
    office (政府督查室) too, once."""
    assert check_deadlines(OVERDUE_ON).overdue == 1
    assert _told(world["supervisor"], "Overdue") == 1
    assert _told(world["affairs"], "Overdue") == 1
    assert _told(world["committee"], "Overdue") == 0  # not a key suggestion
    assert _told(world["leader"], "Overdue") == 0
    assert check_deadlines(OVERDUE_ON + timedelta(days=1)).overdue == 0
    assert _told(world["supervisor"], "Overdue") == 1


def test_overdue_of_a_court_is_not_for_the_government_supervision_office(world, sug):
    """The government supervision office supervises government units only (DOMAIN.md §1)."""
    world.edu.kind = "court"
    world.edu.save(update_fields=["kind"])
    assert check_deadlines(OVERDUE_ON).overdue == 1
    assert _told(world["supervisor"], "Overdue") == 0
    assert _told(world["affairs"], "Overdue") == 1


def test_overdue_key_suggestion_tells_its_supervising_leader_and_committee(world, sug):
    """Point 9 and SUG-KEY: a key suggestion's supervisor and committee are told too."""
    mark_key(
        sug, supervisor=world["leader"], committee="教育科学文化卫生委员会", by=world["affairs"]
    )
    assert check_deadlines(OVERDUE_ON).overdue == 1
    for who in ("leader", "committee", "supervisor", "affairs", "edu_head", "edu_clerk"):
        assert _told(world[who], "Overdue") == 1, who
    assert _told(world["county_affairs"], "Overdue") == 0


# --- The second step ---------------------------------------------------------------------------
def test_an_answer_still_overdue_15_days_later_is_escalated_once_to_the_head(world, sug):
    """Point 9: the second step goes to the unit head by name, the office and the government
    supervision office, 15 days (SUGGESTION_ESCALATION_DAYS) after the overdue mark, once."""
    assert check_deadlines(OVERDUE_ON).overdue == 1
    assert check_deadlines(OVERDUE_ON + timedelta(days=14)).escalated == 0
    run = check_deadlines(OVERDUE_ON + timedelta(days=15))
    assert run.escalated == 1 and run.failed == 0
    a = assignment_of(sug, world.edu)
    assert a.escalated_at == OVERDUE_ON + timedelta(days=15)
    prefix = "Still not answered 16 days after the deadline"
    for who in ("edu_head", "affairs", "supervisor"):
        assert _told(world[who], prefix) == 1, who
    assert _told(world["edu_clerk"], prefix) == 0  # the head, by name
    assert check_deadlines(OVERDUE_ON + timedelta(days=16)).escalated == 0
    event = AuditEvent.objects.get(verb="suggestion.overdue_escalated")
    assert event.data["overdue_since"] == OVERDUE_ON.isoformat()
    assert event.data["days_late"] == 16


def test_escalation_days_are_a_setting_and_zero_turns_the_step_off(world, sug, settings):
    check_deadlines(OVERDUE_ON)
    settings.SUGGESTION_ESCALATION_DAYS = 0
    assert check_deadlines(OVERDUE_ON + timedelta(days=30)).escalated == 0
    settings.SUGGESTION_ESCALATION_DAYS = 5
    assert check_deadlines(OVERDUE_ON + timedelta(days=4)).escalated == 0
    assert check_deadlines(OVERDUE_ON + timedelta(days=5)).escalated == 1


def test_an_answer_sent_late_is_not_escalated(world, sug):
    check_deadlines(OVERDUE_ON)
    with at(OVERDUE_ON + timedelta(days=3)):
        give_answer(world, sug)
    assert check_deadlines(OVERDUE_ON + timedelta(days=20)).escalated == 0


def test_a_rehandling_deadline_starts_warnings_and_escalation_afresh(world, sug):
    """SUG-REHANDLE: the new deadline gets its own warnings, overdue mark and escalation."""
    check_deadlines(DUE - timedelta(days=3))  # the 3-day warning
    check_deadlines(OVERDUE_ON)
    check_deadlines(OVERDUE_ON + timedelta(days=15))
    a = assignment_of(sug, world.edu)
    assert (a.warned_days, a.overdue_since) == (3, OVERDUE_ON) and a.escalated_at
    with at(date(2026, 6, 20)):
        give_answer(world, sug)
    with at(date(2026, 6, 22)):
        rate(world, sug, rating="dissatisfied")
    a = assignment_of(sug, world.edu)
    assert (a.warned_days, a.overdue_since, a.escalated_at) == (None, None, None)
    new_due = a.answer_deadline.due
    assert check_deadlines(new_due - timedelta(days=15)).warned == 1
    assert check_deadlines(new_due + timedelta(days=1)).overdue == 1
    assert check_deadlines(new_due + timedelta(days=16)).escalated == 1


# --- Co-units' opinions (SUG-CO-OPINION) -------------------------------------------------------
def test_a_co_unit_is_warned_before_its_opinion_is_due_once_each(world, with_co):
    """SUG-CO-OPINION: the co-unit is warned on the same days as answers, once each."""
    s, due = with_co
    assert check_deadlines(due - timedelta(days=16)).co_warned == 0
    assert check_deadlines(due - timedelta(days=15)).co_warned == 1
    assert check_deadlines(due - timedelta(days=14)).co_warned == 0
    assert check_deadlines(due - timedelta(days=3)).co_warned == 1
    assert check_deadlines(due).co_warned == 0
    assert _told(world["transport_clerk"], "Your opinion on") == 2
    assert _told(world["edu_clerk"], "Your opinion on") == 0
    assert AuditEvent.objects.filter(verb="suggestion.co_opinion_warning").count() == 2
    assert assignment_of(s, world.transport).warned_days == 3


def test_a_late_co_opinion_is_marked_and_the_lead_unit_told_once(world, with_co):
    """SUG-CO-OPINION: the day after the opinion was due it is marked late; the lead unit's
    people (and the co-unit) are told once; the opinion is still taken, marked late."""
    s, due = with_co
    assert check_deadlines(due).co_late == 0
    assert check_deadlines(due + timedelta(days=1)).co_late == 1
    co = assignment_of(s, world.transport)
    assert co.overdue_since == due + timedelta(days=1)
    for who in ("edu_clerk", "edu_head", "transport_clerk"):
        assert _told(world[who], "Late: 市交通运输局") == 1, who
    assert _told(world["deputy"], "Late") == 0
    assert check_deadlines(due + timedelta(days=2)).co_late == 0
    assert AuditEvent.objects.filter(verb="suggestion.co_opinion_late").count() == 1
    with at(due + timedelta(days=3)):
        opinion = send_co_opinion(co, text="同意主办单位意见。", by=world["transport_clerk"])
    assert opinion.late


def test_a_co_unit_that_sent_its_opinion_is_neither_warned_nor_late(world, with_co):
    s, due = with_co
    with at(due - timedelta(days=20)):
        send_co_opinion(
            assignment_of(s, world.transport), text="无不同意见。", by=world["transport_clerk"]
        )
    assert check_deadlines(due - timedelta(days=15)).co_warned == 0
    assert check_deadlines(due + timedelta(days=1)).co_late == 0


def test_no_co_opinion_deadline_work_once_the_lead_has_answered(world, with_co):
    """The opinion serves the lead's answer: once the suggestion is answered, nothing is due."""
    s, due = with_co
    with at(due - timedelta(days=20)):
        give_answer(world, s)
    run = check_deadlines(due + timedelta(days=1))
    assert (run.co_warned, run.co_late) == (0, 0)


# --- Two workers at once ---------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_escalate_and_handle_co_opinions_once(world):
    """Point 9, SUG-CO-OPINION: each claim is a compare-and-swap; two concurrent runs send
    each escalation, co-unit warning and late mark once in all."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the in-memory SQLite test database serialises threads on one shared cache")
    with at(date(2026, 1, 5)):
        early = handled(world, cos=("transport",))
    with at(MARCH_2):
        later = handled(world, cos=("transport",))
    lead = assignment_of(early, world.edu)
    day = lead.answer_deadline.due + timedelta(days=16)
    assert mark_overdue(lead.pk, today=day - timedelta(days=15))
    # What the concurrent run finds: the early one's escalation and late opinion, the later
    # one's opinion due within 15 days.
    assert assignment_of(early, world.transport).co_opinion_deadline.due < day
    left = (assignment_of(later, world.transport).co_opinion_deadline.due - day).days
    assert 0 <= left <= 15
    runs, errors = [], []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            runs.append(check_deadlines(day))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.failed for r in runs) == 0
    assert sum(r.escalated for r in runs) == 1
    assert sum(r.co_late for r in runs) == 1
    assert sum(r.co_warned for r in runs) == 1
    for verb in ("overdue_escalated", "co_opinion_late", "co_opinion_warning"):
        assert AuditEvent.objects.filter(verb=f"suggestion.{verb}").count() == 1, verb
    assert _told(world["edu_head"], "Still not answered") == 1
    assert _told(world["transport_clerk"], "Your opinion on") == 1
    assert Assignment.objects.filter(escalated_at=day).count() == 1
