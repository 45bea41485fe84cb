"""Handling: contacts with the deputy, co-unit opinions (SUG-CO-OPINION) and the unit head's
sign-off ("一把手"负责制) that a lead unit's answer needs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import make_user
from renda.accounts.models import RoleAssignment
from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions.assignment import (
    decide_return,
    log_contact,
    request_return,
    send_co_opinion,
    sign_off,
)
from renda.suggestions.models import Contact, CoOpinion

from .assignment_builders import assigned, assignment_of, at

MAR_2 = date(2026, 3, 2)


@pytest.fixture
def s(world):
    with at(MAR_2):
        return assigned(world, cos=("transport",))


# --- contacts -------------------------------------------------------------------------------
@pytest.mark.parametrize("stage", ["before", "during", "after"])
@pytest.mark.parametrize("method", ["phone", "visit", "meeting", "other"])
def test_unit_logs_contacts_at_each_stage(world, s, stage, method):
    with at(date(2026, 3, 10)):
        c = log_contact(
            assignment_of(s, world.edu),
            stage=stage,
            method=method,
            happened_on=date(2026, 3, 9),
            note="与代表电话沟通办理思路",
            by=world["edu_clerk"],
        )
    assert (c.stage, c.method, c.recorded_by) == (stage, method, world["edu_clerk"])
    assert AuditEvent.objects.filter(verb="suggestion.contact_logged").count() == 1


def test_contact_on_the_assignment_day_and_today_are_allowed(world, s):
    with at(date(2026, 3, 10)):
        for day in (MAR_2, date(2026, 3, 10)):
            log_contact(
                assignment_of(s, world.edu),
                stage="before",
                method="visit",
                happened_on=day,
                by=world["edu_head"],
            )
    assert Contact.objects.count() == 2


@pytest.mark.parametrize(
    "field, kwargs",
    [
        ("happened_on", {"happened_on": date(2026, 3, 11)}),  # tomorrow
        ("happened_on", {"happened_on": date(2026, 3, 1)}),  # before the unit received it
        ("happened_on", {"happened_on": "2026-03-05"}),  # not a date
        ("stage", {"stage": "later"}),
        ("method", {"method": "pigeon"}),
        ("note", {"note": "x" * 100_000}),
    ],
)
def test_bad_contacts_are_refused(world, s, field, kwargs):
    args = {"stage": "during", "method": "phone", "happened_on": date(2026, 3, 5), "note": ""}
    args.update(kwargs)
    with at(date(2026, 3, 10)), pytest.raises(InvalidInput) as exc:
        log_contact(assignment_of(s, world.edu), by=world["edu_clerk"], **args)
    assert exc.value.detail.startswith(field)
    assert not Contact.objects.exists()


@pytest.mark.parametrize("username", ["transport_clerk", "affairs", "deputy"])
def test_only_the_units_people_log_its_contacts(world, s, username):
    with at(MAR_2), pytest.raises(Forbidden):
        log_contact(
            assignment_of(s, world.edu),
            stage="before",
            method="phone",
            happened_on=MAR_2,
            by=world[username],
        )


# --- co-unit opinions (SUG-CO-OPINION) ------------------------------------------------------
def _co(world, s):
    return assignment_of(s, world.transport)


def test_sug_co_opinion_on_the_last_day_is_not_late(world, s):
    """SUG-CO-OPINION: an opinion on the due day (zhejiang: 2 months → 2026-05-06 after Labour
    Day) is on time; the lead unit's people are told; the co-unit's part is done."""
    due = _co(world, s).co_opinion_deadline.due
    assert due == date(2026, 5, 6)
    with at(due, hour=23):
        o = send_co_opinion(_co(world, s), text="建议增设两条线路。", by=world["transport_clerk"])
    assert o.late is False
    assert _co(world, s).state == "answered"
    for name in ("edu_clerk", "edu_head"):
        assert Notification.objects.filter(
            recipient=world[name], title__contains="Opinion"
        ).exists()
    assert not Notification.objects.filter(recipient=world["deputy"], title__contains="Opinion")


def test_sug_co_opinion_after_the_due_day_is_taken_and_flagged_late(world, s):
    """SUG-CO-OPINION: the day after the due date the opinion is still taken, marked late."""
    due = _co(world, s).co_opinion_deadline.due
    with at(due + timedelta(days=1), hour=0):
        o = send_co_opinion(_co(world, s), text="迟到的意见", by=world["transport_clerk"])
    assert o.late is True
    assert "(late)" in Notification.objects.filter(recipient=world["edu_clerk"]).latest("pk").title
    event = AuditEvent.objects.get(verb="suggestion.co_opinion_sent")
    assert event.data["late"] is True and event.data["due"] == "2026-05-06"


def test_sug_co_opinion_once_per_co_unit(world, s):
    with at(MAR_2):
        send_co_opinion(_co(world, s), text="意见", by=world["transport_clerk"])
        with pytest.raises(DomainError) as exc:
            send_co_opinion(_co(world, s), text="再次", by=world["transport_clerk"])
    assert exc.value.code == "already_sent"
    assert CoOpinion.objects.count() == 1


def test_a_lead_unit_does_not_send_a_co_opinion(world, s):
    with at(MAR_2), pytest.raises(DomainError) as exc:
        send_co_opinion(assignment_of(s, world.edu), text="意见", by=world["edu_clerk"])
    assert exc.value.code == "not_a_co_unit"


@pytest.mark.parametrize("text", ["", "  ", "x" * 100_000])
def test_co_opinion_text_required_and_bounded(world, s, text):
    with at(MAR_2), pytest.raises(InvalidInput) as exc:
        send_co_opinion(_co(world, s), text=text, by=world["transport_clerk"])
    assert exc.value.detail.startswith("text")


@pytest.mark.parametrize("username", ["edu_clerk", "edu_head", "affairs", "deputy"])
def test_only_the_co_units_people_send_its_opinion(world, s, username):
    with at(MAR_2), pytest.raises(Forbidden):
        send_co_opinion(_co(world, s), text="意见", by=world[username])


def test_co_opinion_while_the_suggestion_is_being_reassigned_is_allowed(world, s):
    with at(MAR_2):
        request_return(assignment_of(s, world.edu), reason="非本单位职责", by=world["edu_clerk"])
        send_co_opinion(_co(world, s), text="意见", by=world["transport_clerk"])
    assert CoOpinion.objects.count() == 1


# --- sign-off ("一把手"负责制) ----------------------------------------------------------------
def test_unit_head_signs_off(world, s):
    with at(date(2026, 4, 1)):
        a = sign_off(assignment_of(s, world.edu), by=world["edu_head"])
    assert a.signed_off_by == world["edu_head"]
    assert a.signed_off_at is not None
    assert assignment_of(s, world.edu).signed_off_at == a.signed_off_at
    assert AuditEvent.objects.filter(verb="suggestion.signed_off").count() == 1


def test_signing_off_twice_is_a_conflict_naming_the_day(world, s):
    with at(date(2026, 4, 1)):
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
    with at(date(2026, 4, 2)), pytest.raises(DomainError) as exc:
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
    assert exc.value.code == "already_signed_off" and "2026-04-01" in exc.value.detail


@pytest.mark.parametrize("username", ["edu_clerk", "affairs", "admin", "deputy"])
def test_only_the_head_signs_off(world, s, username):
    with at(MAR_2), pytest.raises(Forbidden):
        sign_off(assignment_of(s, world.edu), by=world[username])


def test_a_head_of_one_unit_and_clerk_of_another_signs_off_only_his_own(world, s):
    """The head of 市教育局 who is also a clerk of 市交通运输局 is not that unit's head."""
    RoleAssignment.objects.create(
        user=world["edu_head"], role="unit_clerk", congress=world.city, unit=world.transport
    )
    with at(MAR_2), pytest.raises(Forbidden):
        sign_off(_co(world, s), by=world["edu_head"])


def test_a_returned_unit_cannot_sign_off(world, s):
    head = make_user("transport_head")
    RoleAssignment.objects.create(
        user=head, role="unit_head", congress=world.city, unit=world.transport
    )
    with at(MAR_2):
        r = request_return(_co(world, s), reason="非本单位职责", by=world["transport_clerk"])
        decide_return(r, approve=True, by=world["affairs"])
        returned = s.assignments.get(unit=world.transport)
        with pytest.raises(DomainError):
            sign_off(returned, by=head)


def test_the_answer_needs_the_heads_sign_off(world, s):
    """The answers phase sends a lead unit's answer only after its head signed off."""
    answers = pytest.importorskip("renda.suggestions.actions.answers")
    with at(date(2026, 4, 1)):
        with pytest.raises(DomainError) as exc:
            answers.answer(s, unit=world.edu, category="A", text="已采纳。", by=world["edu_clerk"])
        assert "sign off" in exc.value.detail
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
        answers.answer(s, unit=world.edu, category="A", text="已采纳。", by=world["edu_clerk"])
    assert assignment_of(s, world.edu).state == "answered"
