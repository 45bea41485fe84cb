"""Return requests (SUG-RETURN): the window and its last day, the reason, the office's decision
(approve and re-assign, or refuse), and two office clerks deciding at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connections

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions import assignment as actions
from renda.suggestions.actions.assignment import assign, decide_return, request_return
from renda.suggestions.models import Assignment, ReturnRequest, Suggestion

from .assignment_builders import assigned, assignment_of, at

MAR_2 = date(2026, 3, 2)  # zhejiang: the 10-day window closes on 2026-03-12 (a Thursday)
WINDOW_CLOSES = date(2026, 3, 12)


@pytest.fixture
def s(world):
    with at(MAR_2):
        return assigned(world, cos=("transport",))


def _ask(world, s, unit="edu", by="edu_clerk", reason="本建议涉及公交线路，应由交通部门办理。"):
    return request_return(assignment_of(s, getattr(world, unit)), reason=reason, by=world[by])


def test_sug_return_last_day_of_the_window_is_allowed(world, s):
    """SUG-RETURN: the window's last day still counts."""
    with at(WINDOW_CLOSES, hour=23):
        r = _ask(world, s)
    assert r.state == "pending"
    assert Suggestion.objects.get(pk=s.pk).state == "reassigning"
    assert AuditEvent.objects.filter(verb="suggestion.return_requested").count() == 1
    assert Notification.objects.filter(
        recipient=world["affairs"], title__contains="return"
    ).exists()


def test_sug_return_day_after_the_window_is_refused_with_the_date_it_closed(world, s):
    """SUG-RETURN: after the window the request is refused (409) with the date it closed; nothing
    is written and the suggestion stays assigned."""
    with at(WINDOW_CLOSES + timedelta(days=1), hour=0), pytest.raises(DomainError) as exc:
        _ask(world, s)
    assert exc.value.status == 409
    assert exc.value.code == "return_window_closed"
    assert "2026-03-12" in exc.value.detail
    assert not ReturnRequest.objects.exists()
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"


def test_sug_return_chongqing_window_counts_working_days(world):
    """SUG-RETURN, chongqing profile: 10 working days from 2026-04-30 end on 2026-05-18
    (the Labour Day holiday does not count; Saturday 9 May, a working day, does)."""
    world.city.rule_profile = "chongqing"
    world.city.save()
    with at(date(2026, 4, 30)):
        s = assigned(world)
    with at(date(2026, 5, 19)), pytest.raises(DomainError) as exc:
        _ask(world, s)
    assert "2026-05-18" in exc.value.detail
    with at(date(2026, 5, 18)):
        _ask(world, s)
    assert Suggestion.objects.get(pk=s.pk).state == "reassigning"


@pytest.mark.parametrize(
    "reason", ["", "   \n", "x" * 100_000, None], ids=["empty", "blank", "huge", "none"]
)
def test_sug_return_needs_a_reason_of_sensible_length(world, s, reason):
    with at(MAR_2), pytest.raises(InvalidInput) as exc:
        _ask(world, s, reason=reason)
    assert exc.value.detail.startswith("reason")
    assert not ReturnRequest.objects.exists()
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"


def test_html_in_a_reason_is_stored_as_plain_text(world, s):
    text = '<script>alert("x")</script> 不属于本单位职责'
    with at(MAR_2):
        r = _ask(world, s, reason=text)
    assert ReturnRequest.objects.get(pk=r.pk).reason == text


@pytest.mark.parametrize("username", ["transport_clerk", "affairs", "deputy", "admin"])
def test_only_the_units_own_people_ask(world, s, username):
    with at(MAR_2), pytest.raises(Forbidden):
        _ask(world, s, by=username)


def test_the_unit_head_may_ask_too(world, s):
    with at(MAR_2):
        _ask(world, s, by="edu_head")
    assert ReturnRequest.objects.count() == 1


def test_asking_twice_while_one_waits_is_a_conflict(world, s):
    with at(MAR_2):
        _ask(world, s)
        with pytest.raises(DomainError) as exc:
            _ask(world, s, by="edu_head")
    assert exc.value.code == "already_requested"
    assert ReturnRequest.objects.count() == 1


def test_a_co_unit_may_ask_while_another_request_waits(world, s):
    with at(MAR_2):
        _ask(world, s)
        _ask(world, s, unit="transport", by="transport_clerk")
    assert ReturnRequest.objects.filter(state="pending").count() == 2


def test_approve_with_new_lead_units_reassigns_with_deadlines_from_today(world, s):
    """SUG-RETURN approved: the unit's assignment is returned, the new lead unit gets deadlines
    counted from the decision day (SUG-DEADLINE), the deputy is told (SUG-NOTIFY), the unit that
    returned it is told, and the suggestion is assigned again."""
    from renda.orgs.models import HandlingUnit

    health = HandlingUnit.objects.create(congress=world.city, name="市卫生健康委")
    with at(MAR_2):
        r = _ask(world, s)
    with at(date(2026, 3, 5)):
        decide_return(r, approve=True, new_lead_units=[health.pk], by=world["affairs"])
    s.refresh_from_db()
    assert s.state == "assigned"
    old = Assignment.objects.get(suggestion=s, unit=world.edu)
    assert old.state == "returned"
    new = assignment_of(s, health)
    assert (new.role, new.assigned_on) == ("lead", date(2026, 3, 5))
    assert new.answer_deadline.start == date(2026, 3, 5)
    assert new.answer_deadline.due == date(2026, 6, 5)
    assert new.return_deadline.due == date(2026, 3, 16)  # 15 March is a Sunday
    r.refresh_from_db()
    assert (r.state, r.decided_by) == ("approved", world["affairs"])
    assert Notification.objects.filter(
        recipient=world["edu_clerk"], title__contains="Return approved"
    ).exists()
    told = Notification.objects.filter(recipient=world["deputy"], title__contains="assigned")
    assert told.count() == 2 and "市卫生健康委" in told.order_by("-pk")[0].body
    assert AuditEvent.objects.filter(verb="suggestion.return_approved").count() == 1


def test_approve_without_a_remaining_lead_asks_for_new_lead_units(world, s):
    """If the only lead unit returns it, the office must name the new lead unit(s): 422, and the
    request still waits."""
    with at(MAR_2):
        r = _ask(world, s)
        with pytest.raises(InvalidInput) as exc:
            decide_return(r, approve=True, by=world["affairs"])
    assert exc.value.detail.startswith("new_lead_units")
    r.refresh_from_db()
    assert r.state == "pending"
    assert assignment_of(s, world.edu).state == "active"
    assert Suggestion.objects.get(pk=s.pk).state == "reassigning"


def test_approve_a_co_units_return_needs_no_new_units(world, s):
    with at(MAR_2):
        r = _ask(world, s, unit="transport", by="transport_clerk")
        decide_return(r, approve=True, by=world["affairs"])
    assert Assignment.objects.get(suggestion=s, unit=world.transport).state == "returned"
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"


@pytest.mark.parametrize(
    "units, words",
    [
        ("edu", "returning"),  # the unit that returns it
        ("transport", "Already assigned"),  # already a co-unit
        ("unknown", "Not an active handling unit"),
    ],
)
def test_new_lead_units_must_be_new_units_of_the_congress(world, s, units, words):
    ids = {"edu": [world.edu.pk], "transport": [world.transport.pk], "unknown": [987_654]}[units]
    with at(MAR_2):
        r = _ask(world, s)
        with pytest.raises(InvalidInput) as exc:
            decide_return(r, approve=True, new_lead_units=ids, by=world["affairs"])
    assert words in exc.value.detail
    assert ReturnRequest.objects.get(pk=r.pk).state == "pending"


def test_refuse_keeps_the_unit_and_tells_it_the_note(world, s):
    with at(MAR_2):
        r = _ask(world, s)
        decide_return(r, approve=False, note="本建议属于贵单位职责范围。", by=world["affairs"])
    r.refresh_from_db()
    assert (r.state, r.decision_note) == ("refused", "本建议属于贵单位职责范围。")
    assert assignment_of(s, world.edu).state == "active"
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"
    told = Notification.objects.get(recipient=world["edu_head"], title__contains="refused")
    assert told.body == "本建议属于贵单位职责范围。"


def test_refusing_with_new_lead_units_is_refused(world, s):
    with at(MAR_2):
        r = _ask(world, s)
        with pytest.raises(InvalidInput):
            decide_return(
                r, approve=False, new_lead_units=[world.transport.pk], by=world["affairs"]
            )


def test_suggestion_stays_reassigning_until_every_request_is_decided(world, s):
    with at(MAR_2):
        r1 = _ask(world, s)
        r2 = _ask(world, s, unit="transport", by="transport_clerk")
        decide_return(r1, approve=False, by=world["affairs"])
        assert Suggestion.objects.get(pk=s.pk).state == "reassigning"
        decide_return(r2, approve=False, by=world["affairs"])
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"


def test_deciding_twice_is_a_conflict(world, s):
    with at(MAR_2):
        r = _ask(world, s)
        decide_return(r, approve=False, by=world["affairs"])
        with pytest.raises(DomainError) as exc:
            decide_return(r, approve=False, by=world["affairs"])
    assert exc.value.code == "already_decided"


@pytest.mark.parametrize("username", ["edu_clerk", "edu_head", "deputy", "county_affairs"])
def test_only_the_office_decides(world, s, username):
    with at(MAR_2):
        r = _ask(world, s)
        with pytest.raises(Forbidden):
            decide_return(r, approve=True, new_lead_units=[world.transport.pk], by=world[username])


def test_a_unit_cannot_pass_it_on_to_another_unit(world, s):
    """SUG-RETURN: a unit may not simply pass a suggestion on: there is no transfer action, and
    the assignment action (the only way to add units) is the office's."""
    assert not [n for n in dir(actions) if "transfer" in n or "pass_on" in n]
    with at(MAR_2), pytest.raises(Forbidden):
        assign(s, lead_units=[world.transport], by=world["edu_clerk"])


def test_a_returned_unit_can_no_longer_ask(world, s):
    with at(MAR_2):
        r = _ask(world, s, unit="transport", by="transport_clerk")
        decide_return(r, approve=True, by=world["affairs"])
        a = Assignment.objects.get(suggestion=s, unit=world.transport)
        with pytest.raises(DomainError):
            request_return(a, reason="再次申请", by=world["transport_clerk"])


@pytest.mark.django_db(transaction=True)
def test_two_clerks_deciding_at_once_one_wins_the_other_gets_409(world):
    """Two office clerks decide the same request at the same moment (one approves, one refuses):
    exactly one decision is recorded; the other gets a 409."""
    from conftest import make_user
    from renda.accounts.models import RoleAssignment

    other = make_user("affairs2")
    RoleAssignment.objects.create(user=other, role="deputy_affairs", congress=world.city)
    with at(MAR_2):
        s = assigned(world, cos=("transport",))
        r = _ask(world, s, unit="transport", by="transport_clerk")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work(user, approve):
        try:
            barrier.wait(timeout=10)
            decide_return(r.pk, approve=approve, by=user)
            outcomes.append("decided")
        except DomainError as exc:
            outcomes.append(str(exc.status))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=(world["affairs"], True)),
        threading.Thread(target=work, args=(other, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["409", "decided"]
    r.refresh_from_db()
    assert r.state in ("approved", "refused")
    verbs = AuditEvent.objects.filter(verb__startswith="suggestion.return_").exclude(
        verb="suggestion.return_requested"
    )
    assert verbs.count() == 1
    assert Suggestion.objects.get(pk=s.pk).state == "assigned"
