"""The office's review: register, reject (SUG-EXCLUDED), convert motion ↔ suggestion."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.rules.profiles import EXCLUDED_BEIJING, EXCLUDED_COMMON
from renda.suggestions.actions.registration import NOTIFY_PURPOSE, convert, register, reject
from renda.suggestions.actions.submission import confirm_cosign, submit
from renda.suggestions.choices import ExcludedGround, Kind, State
from renda.suggestions.models import Suggestion

from .test_submission import (
    BETWEEN_SESSIONS,
    SHANGHAI,
    drafted,
    make_deputies,
    motion_with,
    submitted,
)

EXPLANATION = "该事项属于个人诉求，建议通过信访渠道反映。"


# --- Register -----------------------------------------------------------------------------------
def test_register_accepts_a_submission_tells_the_deputy_and_audits(world):
    s = submitted(world)
    s = register(s, by=world["affairs"])
    assert s.state == State.REGISTERED
    assert s.registered_by == world["affairs"] and s.registered_at is not None
    assert Notification.objects.filter(recipient=world["deputy"], title__contains="Registered")
    assert AuditEvent.objects.filter(verb="suggestion.registered", object_id=str(s.pk)).exists()


def test_register_starts_the_notify_period_from_the_profile(world):
    """SUG-NOTIFY: zhejiang 7 days from acceptance (PERIOD-START: the day itself not counted)."""
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        s = register(submitted(world), by=world["affairs"])
    deadline = s.notify_deadline
    assert deadline.purpose == NOTIFY_PURPOSE
    assert (deadline.start, deadline.kind, deadline.amount) == (date(2026, 3, 2), "days", 7)
    assert deadline.due == date(2026, 3, 9)
    assert world["affairs"] in deadline.watchers.all()


def test_register_notify_period_follows_the_congress_profile(world):
    """SUG-NOTIFY: chongqing counts 10 working days."""
    world.city.rule_profile = "chongqing"
    world.city.save()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        s = register(submitted(world), by=world["affairs"])
    assert (s.notify_deadline.kind, s.notify_deadline.amount) == ("working_days", 10)
    assert s.notify_deadline.due == date(2026, 3, 16)


@pytest.mark.parametrize(
    "username", ["deputy", "deputy2", "committee", "leader", "supervisor", "county_affairs"]
)
def test_only_the_office_of_the_congress_registers(world, username):
    s = submitted(world, cosigners=[world["deputy2"]])
    with pytest.raises(Forbidden):
        register(s, by=world[username])
    assert Suggestion.objects.get(pk=s.pk).state == State.SUBMITTED


def test_an_administrator_may_register(world):
    assert register(submitted(world), by=world["admin"]).state == State.REGISTERED


def test_registering_a_draft_or_twice_is_a_conflict_naming_the_state(world):
    draft = drafted(world)
    with pytest.raises(DomainError, match=r"state: draft") as exc:
        register(draft, by=world["affairs"])
    assert exc.value.status == 409 and type(exc.value) is DomainError
    s = register(submitted(world), by=world["affairs"])
    with pytest.raises(DomainError, match=r"state: registered"):
        register(s, by=world["affairs"])


@pytest.mark.django_db(transaction=True)
def test_two_clerks_registering_at_once_one_wins_the_other_gets_409(world):
    s = submitted(world)
    from conftest import make_user
    from renda.accounts.models import RoleAssignment

    clerk2 = make_user("affairs2")
    RoleAssignment.objects.create(user=clerk2, role="deputy_affairs", congress=world.city)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work(user, action):
        try:
            barrier.wait(timeout=20)
            action(user)
            outcomes.append("done")
        except DomainError as exc:
            outcomes.append(f"{exc.status}:{exc.detail}")
        finally:
            connection.close()

    def do_register(u):
        return register(s, by=u)

    def do_reject(u):
        return reject(s, ground="no_content", explanation=EXPLANATION, by=u)

    threads = [
        threading.Thread(target=work, args=(world["affairs"], do_register)),
        threading.Thread(target=work, args=(clerk2, do_reject)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2 and "done" in outcomes
    loser = next(o for o in outcomes if o != "done")
    assert loser.startswith("409:")
    final = Suggestion.objects.get(pk=s.pk).state
    assert f"state: {final}" in loser
    verbs = AuditEvent.objects.filter(
        object_id=str(s.pk), verb__in=["suggestion.registered", "suggestion.rejected"]
    )
    assert verbs.count() == 1


# --- Reject (SUG-EXCLUDED) ----------------------------------------------------------------------
@pytest.mark.parametrize("ground", EXCLUDED_COMMON)
def test_sug_excluded_each_zhejiang_ground_rejects_and_tells_the_deputy(world, ground):
    """SUG-EXCLUDED: every ground of the zhejiang profile is accepted, the deputy gets the
    ground's label and the explanation."""
    s = reject(submitted(world), ground=ground, explanation=EXPLANATION, by=world["affairs"])
    assert s.state == State.REJECTED
    assert (s.rejection_ground, s.rejection_explanation) == (ground, EXPLANATION)
    note = Notification.objects.get(recipient=world["deputy"], title__contains="Not accepted")
    assert str(ExcludedGround(ground).label) in note.body and EXPLANATION in note.body
    event = AuditEvent.objects.get(verb="suggestion.rejected", object_id=str(s.pk))
    assert event.data == {"ground": ground}


@pytest.mark.parametrize("ground", ["legal_consultation", "petition"])
def test_sug_excluded_beijing_grounds_are_refused_under_zhejiang(world, ground):
    """SUG-EXCLUDED: 北京 adds legal consultation and petitions; zhejiang does not know them."""
    s = submitted(world)
    with pytest.raises(InvalidInput, match="ground: must be one of"):
        reject(s, ground=ground, explanation=EXPLANATION, by=world["affairs"])
    assert Suggestion.objects.get(pk=s.pk).state == State.SUBMITTED


@pytest.mark.parametrize("ground", EXCLUDED_BEIJING)
def test_sug_excluded_beijing_profile_accepts_its_grounds(world, ground):
    """SUG-EXCLUDED: under the beijing profile all eight grounds apply."""
    world.city.rule_profile = "beijing"
    world.city.save()
    s = reject(submitted(world), ground=ground, explanation=EXPLANATION, by=world["affairs"])
    assert s.rejection_ground == ground


@pytest.mark.parametrize("ground", ["", "unknown", "NO_CONTENT", None, 3])
def test_sug_excluded_unknown_ground_is_refused(world, ground):
    """SUG-EXCLUDED: only the profile's codes."""
    with pytest.raises(InvalidInput, match="ground"):
        reject(submitted(world), ground=ground, explanation=EXPLANATION, by=world["affairs"])


@pytest.mark.parametrize(
    "explanation, message",
    [
        ("", "explanation: An explanation is required"),
        ("   ", "explanation: An explanation is required"),
        (None, "explanation: An explanation is required"),
        ("字" * 20_001, "explanation: at most 20000"),
        ("a\x00", "explanation: must not contain NUL"),
    ],
)
def test_sug_excluded_requires_a_written_explanation(world, explanation, message):
    """SUG-EXCLUDED: the reason is told to the deputy in writing: it cannot be empty."""
    s = submitted(world)
    with pytest.raises(InvalidInput, match=message):
        reject(s, ground="no_content", explanation=explanation, by=world["affairs"])
    assert Suggestion.objects.get(pk=s.pk).state == State.SUBMITTED
    assert not Notification.objects.filter(recipient=world["deputy"], title__contains="Not acc")


def test_reject_only_by_the_office_and_only_from_submitted(world):
    s = submitted(world)
    with pytest.raises(Forbidden):
        reject(s, ground="no_content", explanation=EXPLANATION, by=world["deputy"])
    register(s, by=world["affairs"])
    with pytest.raises(DomainError, match="state: registered"):
        reject(s, ground="no_content", explanation=EXPLANATION, by=world["affairs"])


# --- Convert ------------------------------------------------------------------------------------
def test_convert_a_motion_to_a_suggestion_renumbers_it_in_place(world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        submitted(world)  # 2026-0001 is taken
        motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
        assert motion.number == "议案2026-0001"
        s = convert(motion, by=world["affairs"])
    assert (s.pk, s.kind, s.state, s.number) == (
        motion.pk,
        Kind.SUGGESTION,
        "submitted",
        "2026-0002",
    )
    event = AuditEvent.objects.get(verb="suggestion.converted", object_id=str(s.pk))
    assert event.data == {
        "from_kind": "motion",
        "from_number": "议案2026-0001",
        "to_kind": "suggestion",
        "to_number": "2026-0002",
    }
    assert Notification.objects.filter(recipient=world["deputy"], title__contains="2026-0002")
    # ...and it is then registered like any other submission.
    assert register(s, by=world["affairs"]).state == State.REGISTERED


def test_convert_back_to_a_motion_takes_a_new_motion_number(world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
        s = convert(convert(motion, by=world["affairs"]), by=world["affairs"])
    assert s.kind == Kind.MOTION and s.number == "议案2026-0002"  # numbers never repeat


def test_convert_a_suggestion_to_a_motion_needs_its_confirmed_cosigners(world):
    """MOTION-COSIGN also holds for a suggestion the office turns into a motion."""
    deputies = make_deputies(world.city, 10)
    s = submitted(world, cosigners=deputies)
    for d in deputies[:9]:
        confirm_cosign(s, by=d)
    with pytest.raises(InvalidInput, match="1 more is needed"):
        convert(s, by=world["affairs"])
    after = Suggestion.objects.get(pk=s.pk)
    assert (after.kind, after.number) == (Kind.SUGGESTION, s.number)
    confirm_cosign(s, by=deputies[9])
    assert convert(s, by=world["affairs"]).kind == Kind.MOTION


def test_convert_only_by_the_office_from_submitted(world):
    s = submitted(world)
    with pytest.raises(Forbidden):
        convert(s, by=world["deputy"])
    register(s, by=world["affairs"])
    with pytest.raises(DomainError, match="state: registered"):
        convert(s, by=world["affairs"])
