"""The daily deadline job (issue 3 point 9): warnings before the answer deadline (SUG-DEADLINE),
overdue marking and escalation, no feedback after the window (SUG-FEEDBACK), closing — and
two workers at once never send anything twice."""

from __future__ import annotations

import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from renda.audit.models import AuditEvent
from renda.notifications.models import Notification
from renda.suggestions.models import Evaluation, Suggestion
from renda.suggestions.tasks import check_deadlines, run_deadline_checks

from .answer_builders import answered, assignment_of, at, handled, rate

MARCH_2 = date(2026, 3, 2)  # assigned that Monday: the answer is due 2026-06-02 (3 months)
DUE = date(2026, 6, 2)


@pytest.fixture
def sug(world):
    with at(MARCH_2):
        s = handled(world)
    assert assignment_of(s, world.edu).answer_deadline.due == DUE
    return s


def _warnings(user, days_left=None):
    qs = Notification.objects.filter(recipient=user, title__contains="due in")
    if days_left is not None:
        qs = qs.filter(title__contains=f"due in {days_left} days")
    return qs.count()


def test_warnings_go_out_15_and_3_days_before_once_each(world, sug):
    """SUG-DEADLINE: the unit is warned 15 and 3 days before the answer is due, once each."""
    assert check_deadlines(date(2026, 5, 17)).warned == 0
    assert check_deadlines(date(2026, 5, 18)).warned == 1
    assert _warnings(world["edu_clerk"], 15) == 1 and _warnings(world["edu_head"], 15) == 1
    assert check_deadlines(date(2026, 5, 18)).warned == 0
    assert check_deadlines(date(2026, 5, 25)).warned == 0
    assert check_deadlines(date(2026, 5, 30)).warned == 1
    assert check_deadlines(date(2026, 6, 1)).warned == 0
    assert _warnings(world["edu_clerk"]) == 2
    assert _warnings(world["deputy"]) == 0


def test_a_missed_warning_day_still_warns_once(world, sug):
    """A job that did not run on the 15th day before warns on its next run, and only once."""
    assert check_deadlines(date(2026, 5, 25)).warned == 1
    assert _warnings(world["edu_clerk"], 8) == 1
    assert check_deadlines(date(2026, 5, 26)).warned == 0
    assert check_deadlines(date(2026, 5, 31)).warned == 1  # the 3-day one


def test_warning_days_are_a_setting(world, sug, settings):
    settings.SUGGESTION_WARNING_DAYS = (7,)
    assert check_deadlines(date(2026, 5, 18)).warned == 0
    assert check_deadlines(date(2026, 5, 26)).warned == 1


def test_overdue_is_marked_once_and_escalated_to_head_and_office(world, sug):
    """Point 9: the day after the due date the assignment is overdue; the head and the office
    are told once."""
    assert check_deadlines(DUE).overdue == 0
    assert check_deadlines(date(2026, 6, 3)).overdue == 1
    a = assignment_of(sug, world.edu)
    assert a.overdue_since == date(2026, 6, 3)
    for who in ("edu_head", "edu_clerk", "affairs"):
        assert Notification.objects.filter(recipient=world[who], title__startswith="Overdue")
    assert not Notification.objects.filter(recipient=world["county_affairs"])
    assert check_deadlines(date(2026, 6, 4)).overdue == 0
    assert AuditEvent.objects.filter(verb="suggestion.overdue").count() == 1


def test_answered_units_are_not_overdue(world):
    with at(MARCH_2):
        answered(world)
    assert check_deadlines(date(2026, 6, 3)).overdue == 0


def test_no_feedback_is_recorded_after_the_window_and_the_suggestion_closes(world):
    """SUG-FEEDBACK: the job records no feedback (never satisfied) and closes."""
    with at(MARCH_2):
        s = answered(world)
    assert check_deadlines(date(2026, 3, 23)).no_feedback == 0
    run = check_deadlines(date(2026, 3, 24))
    assert run.no_feedback == 1 and run.failed == 0
    assert Evaluation.objects.get().rating == "no_feedback"
    assert Suggestion.objects.get(pk=s.pk).state == "closed"
    assert check_deadlines(date(2026, 3, 25)).no_feedback == 0


def test_a_rehandling_deadline_gets_its_own_warnings(world):
    """SUG-REHANDLE: the new deadline (2026-04-10) is warned about like the first."""
    with at(MARCH_2):
        s = answered(world)
    with at(date(2026, 3, 10)):
        rate(world, s, rating="dissatisfied")
    assert check_deadlines(date(2026, 3, 26)).warned == 1
    event = AuditEvent.objects.get(verb="suggestion.deadline_warning")
    assert event.data["due"] == "2026-04-10" and event.data["days"] == 15


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_warning_and_escalation_once(world):
    """Point 9: every item is claimed atomically; two concurrent runs act once in all."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the in-memory SQLite test database serialises threads on one shared cache")
    with at(MARCH_2):
        handled(world)  # due 2026-06-02: warned on 05-18
    with at(date(2026, 2, 2)):
        handled(world)  # due in early May: overdue on 05-18
    runs, errors = [], []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            runs.append(check_deadlines(date(2026, 5, 18)))
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
    assert sum(r.warned for r in runs) == 1 and sum(r.overdue for r in runs) == 1
    assert sum(r.failed for r in runs) == 0
    assert _warnings(world["edu_clerk"], 15) == 1
    assert (
        Notification.objects.filter(recipient=world["affairs"], title__startswith="Overdue").count()
        == 1
    )
    assert AuditEvent.objects.filter(verb="suggestion.deadline_warning").count() == 1
    assert AuditEvent.objects.filter(verb="suggestion.overdue").count() == 1


def test_the_command_and_the_task_run_the_same_job(world, sug):
    out = StringIO()
    call_command("check_deadlines", "--today", "2026-05-18", stdout=out)
    assert "warned 1" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("check_deadlines", "--today", "18/05/2026")
    with at(date(2026, 6, 3)):
        result = run_deadline_checks.call()
    assert result == {
        "warned": 0,
        "overdue": 1,
        "escalated": 0,
        "co_warned": 0,
        "co_late": 0,
        "no_feedback": 0,
        "closed": 0,
        "failed": 0,
    }
