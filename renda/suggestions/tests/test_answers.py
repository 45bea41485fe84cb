"""Answers (答复): SUG-CATEGORY, SUG-PUBLIC, SUG-DEADLINE (late answers), SUG-FEEDBACK window,
the head's sign-off, several lead units, wrong state, permissions, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions.answers import answer
from renda.suggestions.models import Answer, Commitment, Suggestion

from .answer_builders import CommitmentIn, assignment_of, at, give_answer, handled

MARCH_2 = date(2026, 3, 2)  # a Monday; the answer deadline is 2026-06-02


@pytest.fixture
def sug(world):
    with at(MARCH_2):
        return handled(world)


def test_answer_moves_to_answered_and_opens_the_feedback_window(world, sug):
    """SUG-FEEDBACK: the rating window (zhejiang: 15 working days) starts on the answer's day."""
    with at(MARCH_2):
        row = give_answer(world, sug)
    sug.refresh_from_db()
    assert sug.state == "answered"
    assert (row.round, row.category, row.late, row.public) == (1, "A", False, True)
    assert row.feedback_deadline.purpose == "feedback"
    assert row.feedback_deadline.kind == "working_days" and row.feedback_deadline.amount == 15
    assert row.feedback_deadline.due == date(2026, 3, 23)
    a = assignment_of(sug, world.edu)
    assert a.state == "answered"
    assert Notification.objects.filter(recipient=world["deputy"], title__contains="answered")
    event = AuditEvent.objects.filter(verb="suggestion.answered").get()
    assert event.data["category"] == "A" and event.data["state"] == "answered"


def test_b_answer_needs_plan_and_date_and_makes_them_its_commitment(world, sug):
    """SUG-CATEGORY: B states plan and a date; without listed commitments they become one."""
    with at(MARCH_2):
        with pytest.raises(InvalidInput, match="plan"):
            give_answer(world, sug, category="B", plan="")
        with pytest.raises(InvalidInput, match="planned_date"):
            give_answer(world, sug, category="B", planned_date=None)
        row = give_answer(world, sug, category="B", planned_date=date(2026, 9, 1))
    (c,) = row.commitments.all()
    assert c.due == date(2026, 9, 1) and c.text == row.plan


def test_b_answer_keeps_its_listed_commitments(world, sug):
    """SUG-CATEGORY: commitments with dates go into the ledger (承诺事项台账)."""
    with at(MARCH_2):
        row = give_answer(
            world,
            sug,
            category="B",
            commitments=[
                CommitmentIn("新开 18 路", date(2026, 6, 30)),
                CommitmentIn("增设站台", date(2026, 9, 30)),
            ],
        )
    assert [c.text for c in row.commitments.all()] == ["新开 18 路", "增设站台"]


def test_c_answer_needs_the_reason(world, sug):
    """SUG-CATEGORY: C states why it cannot be solved for now."""
    with at(MARCH_2):
        with pytest.raises(InvalidInput, match="reason"):
            give_answer(world, sug, category="C", reason="  ")
        row = give_answer(
            world, sug, category="C", commitments=[CommitmentIn("列入明年预算", date(2027, 3, 1))]
        )
    assert row.reason and row.commitments.count() == 1


def test_d_answer_needs_its_explanation_and_carries_no_commitments(world, sug):
    """SUG-CATEGORY: D (kept for reference) must explain; only B and C carry commitments."""
    with at(MARCH_2):
        with pytest.raises(InvalidInput, match="text"):
            give_answer(world, sug, category="D", text="")
        with pytest.raises(InvalidInput, match="commitments"):
            give_answer(world, sug, category="D", commitments=[CommitmentIn("x", date(2026, 6, 1))])
        give_answer(world, sug, category="D", text="留作参考：已转相关部门研究。")
    assert Answer.objects.get().category == "D"


@pytest.mark.parametrize(
    "due",
    [date(2026, 3, 2), date(2026, 1, 1), date(2031, 3, 3), date(2099, 1, 1)],
    ids=["today", "past", "over-five-years", "absurd"],
)
def test_commitment_due_must_be_in_the_future_and_not_absurdly_far(world, sug, due):
    """SUG-CATEGORY: a commitment's date is a real promise: after today, within five years."""
    with at(MARCH_2), pytest.raises(InvalidInput, match=r"commitments\[0\]\.due"):
        give_answer(world, sug, category="B", commitments=[CommitmentIn("新开线路", due)])
    assert not Answer.objects.exists() and not Commitment.objects.exists()


def test_not_public_needs_a_reason(world, sug):
    """SUG-PUBLIC: answers are published unless marked not for publication with a reason."""
    with at(MARCH_2):
        with pytest.raises(InvalidInput, match="not_public_reason"):
            give_answer(world, sug, public=False)
        row = give_answer(world, sug, public=False, not_public_reason="涉及未公开的规划")
    assert (row.public, row.not_public_reason) == (False, "涉及未公开的规划")


def test_a_public_answer_keeps_no_not_public_reason(world, sug):
    """SUG-PUBLIC: public is the default; a stray reason is not stored."""
    with at(MARCH_2):
        row = give_answer(world, sug, not_public_reason="无")
    assert row.public and row.not_public_reason == ""


def test_answer_needs_the_heads_sign_off_first(world):
    """ "一把手"负责制: the unit head signs off before the answer goes out (a clear 409)."""
    with at(MARCH_2):
        s = handled(world, sign=False)
        with pytest.raises(DomainError, match="must sign off") as err:
            give_answer(world, s)
    assert err.value.code == "not_signed_off" and err.value.status == 409


def test_late_answer_is_accepted_and_counted_late(world, sug):
    """SUG-DEADLINE: after the due date (2026-06-02) the answer still goes, marked late."""
    with at(date(2026, 6, 2)):
        on_time = give_answer(world, sug)
    assert on_time.late is False
    with at(MARCH_2):
        s2 = handled(world)
    with at(date(2026, 6, 3)):
        late = give_answer(world, s2)
    assert late.late is True
    assert Suggestion.objects.get(pk=s2.pk).state == "answered"


def test_several_lead_units_answered_only_when_each_has(world):
    """分办: with two lead units the suggestion stays assigned until both have answered."""
    with at(MARCH_2):
        s = handled(world, leads=("edu", "transport"))
        give_answer(world, s, "edu")
        s.refresh_from_db()
        assert s.state == "assigned"
        give_answer(world, s, "transport")
    s.refresh_from_db()
    assert s.state == "answered"


def test_answering_twice_is_a_conflict(world, sug):
    with at(MARCH_2):
        give_answer(world, sug)
        with pytest.raises(DomainError) as err:
            give_answer(world, sug, by=world["edu_head"])
    assert err.value.status == 409 and "state: answered" in err.value.detail
    assert Answer.objects.count() == 1


def test_a_lead_unit_that_answered_waits_while_the_other_lead_handles(world):
    """分办: the first lead unit cannot answer again while the suggestion is still assigned."""
    with at(MARCH_2):
        s = handled(world, leads=("edu", "transport"))
        give_answer(world, s, "edu")
        with pytest.raises(DomainError) as err:
            give_answer(world, s, "edu")
    assert err.value.code == "already_answered" and "state: assigned" in err.value.detail


@pytest.mark.parametrize("state", ["registered", "closed", "rejected", "evaluated"])
def test_answer_from_the_wrong_state_names_the_state(world, sug, state):
    Suggestion.objects.filter(pk=sug.pk).update(state=state)
    with at(MARCH_2), pytest.raises(DomainError) as err:
        give_answer(world, sug)
    assert err.value.status == 409 and f"state: {state}" in err.value.detail


def test_only_a_lead_units_people_answer(world):
    with at(MARCH_2):
        s = handled(world, cos=("transport",))
        for who in ("deputy", "affairs", "leader", "transport_clerk"):
            with pytest.raises(Forbidden):
                give_answer(world, s, by=world[who])
        with pytest.raises(Forbidden):  # the co-unit answering for itself
            answer(s, unit=world.transport, category="A", text="x", by=world["transport_clerk"])
        with pytest.raises(InvalidInput, match="unit"):
            answer(s, unit=world.transport, category="A", text="x", by=world["edu_clerk"])
    assert not Answer.objects.exists()


def test_huge_text_is_refused_and_html_is_stored_as_text(world, sug):
    with at(MARCH_2):
        with pytest.raises(InvalidInput, match="text"):
            give_answer(world, sug, text="长" * 50_001)
        assert not Answer.objects.exists()
        row = give_answer(world, sug, text="<script>alert(1)</script>答复")
    assert row.text == "<script>alert(1)</script>答复"


def test_unknown_category_is_refused(world, sug):
    with at(MARCH_2), pytest.raises(InvalidInput, match="category"):
        give_answer(world, sug, category="E")
