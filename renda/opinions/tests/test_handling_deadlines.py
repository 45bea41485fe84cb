"""The opinions' daily deadline job (OP-DEADLINE): the referred unit is warned the profile's
`opinion_warning_days` (5 and 1) before its answer is due, once each; an overdue referral is
marked and escalated to the unit's head, the station and the office, once; two workers at once
on a real database never send twice."""

from __future__ import annotations

import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from renda.audit.models import AuditEvent
from renda.notifications.models import Notification
from renda.opinions.actions.handling import answer_referral, triage
from renda.opinions.models import Referral
from renda.opinions.tasks import check_opinion_deadlines, run_opinion_deadline_checks

from .handling_builders import at, opinion

DUE = date(2026, 10, 23)  # referred Monday 2026-09-28: 15 working days across National Day


@pytest.fixture
def referred(world):
    op = opinion(world)
    with at(date(2026, 9, 28)):
        triage(op, "refer", unit=world.edu.pk, by=world["station"])
    assert op.referrals.get().due == DUE
    return op


def _told(user, text):
    return Notification.objects.filter(recipient=user, title__contains=text).count()


def test_warnings_5_and_1_days_before_once_each(world, referred):
    assert check_opinion_deadlines(date(2026, 10, 17)).warned == 0
    assert check_opinion_deadlines(date(2026, 10, 18)).warned == 1
    assert _told(world["edu_clerk"], "due in 5 days") == 1
    assert _told(world["edu_head"], "due in 5 days") == 1
    assert check_opinion_deadlines(date(2026, 10, 18)).warned == 0
    assert check_opinion_deadlines(date(2026, 10, 20)).warned == 0
    assert check_opinion_deadlines(date(2026, 10, 22)).warned == 1
    assert _told(world["edu_clerk"], "due in 1 days") == 1
    assert check_opinion_deadlines(DUE).warned == 0
    assert _told(world["transport_clerk"], "due in") == 0
    assert AuditEvent.objects.filter(verb="opinion.referral_warning").count() == 2


def test_a_missed_warning_day_still_warns_once(world, referred):
    assert check_opinion_deadlines(date(2026, 10, 20)).warned == 1
    assert _told(world["edu_clerk"], "due in 3 days") == 1
    assert check_opinion_deadlines(date(2026, 10, 21)).warned == 0


def test_overdue_is_marked_and_escalated_once(world, referred):
    assert check_opinion_deadlines(DUE).overdue == 0
    run = check_opinion_deadlines(date(2026, 10, 24))
    assert (run.overdue, run.escalated, run.failed) == (1, 1, 0)
    ref = referred.referrals.get()
    assert ref.overdue_since == date(2026, 10, 24) and ref.escalated_at is not None
    assert _told(world["edu_clerk"], "Overdue") == 1
    assert _told(world["edu_head"], "Not answered in time") == 1
    assert _told(world["edu_clerk"], "Not answered in time") == 0
    assert _told(world["station"], "Not answered in time") == 1
    assert _told(world["affairs"], "Not answered in time") == 1
    run = check_opinion_deadlines(date(2026, 10, 25))
    assert (run.overdue, run.escalated) == (0, 0)


def test_an_answered_referral_is_left_alone(world, referred):
    answer_referral(referred, text="已处理。", by=world["edu_clerk"])
    run = check_opinion_deadlines(date(2026, 10, 22))
    assert run.warned == 0
    run = check_opinion_deadlines(date(2026, 11, 1))
    assert (run.overdue, run.escalated) == (0, 0)


def test_the_command_and_the_task(world, referred):
    out = StringIO()
    call_command("check_opinion_deadlines", "--today", "2026-10-24", stdout=out)
    assert "overdue 1, escalated 1" in out.getvalue()
    result = run_opinion_deadline_checks.call()
    assert set(result) == {"warned", "overdue", "escalated", "failed"}


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_everything_once(world):
    """OP-DEADLINE: each claim is a compare-and-swap on the referral row; two concurrent runs
    on a real (file) database send each warning, overdue mark and escalation once in all."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the in-memory SQLite test database serialises threads on one shared cache")
    early, later = opinion(world), opinion(world)
    with at(date(2026, 9, 28)):
        triage(early, "refer", unit=world.edu.pk, by=world["station"])
    with at(date(2026, 10, 8)):
        triage(later, "refer", unit=world.transport.pk, by=world["station"])
    day = date(2026, 10, 27)
    assert early.referrals.get().due < day
    assert 0 <= (later.referrals.get().due - day).days <= 5
    runs, errors = [], []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            runs.append(check_opinion_deadlines(day))
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
    assert sum(r.warned for r in runs) == 1
    assert sum(r.overdue for r in runs) == 1
    assert sum(r.escalated for r in runs) == 1
    for verb in ("referral_warning", "referral_overdue", "referral_escalated"):
        assert AuditEvent.objects.filter(verb=f"opinion.{verb}").count() == 1, verb
    assert _told(world["edu_head"], "Not answered in time") == 1
    assert _told(world["transport_clerk"], "due in") == 1
    assert Referral.objects.filter(escalated_at__isnull=False).count() == 1
