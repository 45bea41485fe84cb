"""Rating, re-handling, no feedback, closing and commitments: SUG-FEEDBACK, SUG-REHANDLE,
SUG-CATEGORY (the commitments ledger, 回头看)."""

from __future__ import annotations

from datetime import date

import pytest

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions.answers import (
    close,
    evaluate,
    mark_commitment_met,
    record_no_feedback,
)
from renda.suggestions.actions.assignment import sign_off
from renda.suggestions.models import Answer, Commitment, Evaluation, Suggestion
from renda.suggestions.queries import follow_up_list

from .answer_builders import (
    CommitmentIn,
    answered,
    assignment_of,
    at,
    give_answer,
    handled,
    rate,
)

MARCH_2 = date(2026, 3, 2)  # answers given that Monday: rating window (15 working days) to 03-23
WINDOW_END = date(2026, 3, 23)


def _answered(world, **extra):
    with at(MARCH_2):
        return answered(world, **extra)


def test_satisfied_rating_evaluates_and_closes_at_once(world):
    """SUG-FEEDBACK: when every lead unit's answer is rated the suggestion is evaluated, then
    closed in the same step (both in the audit trail)."""
    s = _answered(world)
    with at(date(2026, 3, 5)):
        ev = rate(world, s, rating="satisfied")
    s.refresh_from_db()
    assert s.state == "closed" and s.closed_at is not None
    assert ev.rated_by == world["deputy"] and ev.rating == "satisfied"
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="suggestion.").values_list("verb", flat=True)
    )
    assert verbs[-3:] == ["suggestion.rated", "suggestion.evaluated", "suggestion.closed"]


def test_rating_on_the_windows_last_day_is_accepted(world):
    """SUG-FEEDBACK: the window's last day (2026-03-23) still counts."""
    s = _answered(world)
    with at(WINDOW_END, hour=23):
        rate(world, s, rating="basically_satisfied")
    assert Suggestion.objects.get(pk=s.pk).state == "closed"


def test_rating_after_the_window_is_refused(world):
    """SUG-FEEDBACK: the day after the window a rating is refused; it becomes no feedback."""
    s = _answered(world)
    with at(date(2026, 3, 24), hour=0), pytest.raises(DomainError) as err:
        rate(world, s)
    assert err.value.code == "window_closed" and "2026-03-23" in err.value.detail
    assert not Evaluation.objects.exists()


def test_no_feedback_after_the_window_is_never_satisfied(world):
    """SUG-FEEDBACK: no rating in time is recorded as no feedback, by nobody; it closes."""
    s = _answered(world)
    row = Answer.objects.get()
    with at(WINDOW_END), pytest.raises(DomainError, match="still open"):
        record_no_feedback(row)
    with at(date(2026, 3, 24)):
        ev = record_no_feedback(row)
        assert record_no_feedback(row) is None  # twice: nothing more
    assert (ev.rating, ev.rated_by) == ("no_feedback", None)
    assert not Evaluation.objects.filter(rating__in=["satisfied", "basically_satisfied"]).exists()
    assert Suggestion.objects.get(pk=s.pk).state == "closed"


def test_dissatisfied_sends_it_back_for_one_month_in_zhejiang(world):
    """SUG-REHANDLE: 不满意 → rehandling; zhejiang: answer again within 1 month."""
    s = _answered(world)
    with at(date(2026, 3, 10)):
        rate(world, s, rating="dissatisfied")
    s.refresh_from_db()
    a = assignment_of(s, world.edu)
    assert s.state == "rehandling"
    assert a.state == "active" and a.signed_off_at is None and a.overdue_since is None
    assert a.answer_deadline.purpose == "rehandle"
    assert a.answer_deadline.due == date(2026, 4, 10)
    assert Notification.objects.filter(recipient=world["edu_clerk"], title__contains="again")


def test_dissatisfied_gives_two_months_in_beijing(world):
    """SUG-REHANDLE: beijing: 2 months; 2026-05-10 is a Sunday, so 05-11 (PERIOD-REST-DAY)."""
    world.city.rule_profile = "beijing"
    world.city.save()
    s = _answered(world)
    with at(date(2026, 3, 10)):
        rate(world, s, rating="dissatisfied")
    assert assignment_of(s, world.edu).answer_deadline.due == date(2026, 5, 11)


def test_the_rehandled_answer_is_round_two_and_is_rated_again(world):
    """SUG-REHANDLE: the head signs off again, the second answer is rated again."""
    s = _answered(world)
    with at(date(2026, 3, 10)):
        rate(world, s, rating="dissatisfied")
    with at(date(2026, 3, 20)):
        with pytest.raises(DomainError, match="sign off"):
            give_answer(world, s)
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
        second = give_answer(world, s, category="B")
        s.refresh_from_db()
        assert (second.round, second.late, s.state) == (2, False, "answered")
        rate(world, s, rating="satisfied")
    assert Suggestion.objects.get(pk=s.pk).state == "closed"


def test_a_second_dissatisfied_rating_stands_and_closes(world):
    """SUG-REHANDLE gives one re-handling: the rating of the second answer is final."""
    s = _answered(world)
    with at(date(2026, 3, 10)):
        rate(world, s, rating="dissatisfied")
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
        give_answer(world, s)
        rate(world, s, rating="dissatisfied")
    s.refresh_from_db()
    assert s.state == "closed"
    assert list(Evaluation.objects.values_list("rating", flat=True)) == ["dissatisfied"] * 2


def test_several_lead_units_are_rated_each_and_close_together(world):
    """分办: each lead unit's answer is rated on its own; one re-handles, the other waits."""
    from .answer_builders import transport_head

    transport_head(world)
    s = _answered(world, leads=("edu", "transport"))
    with at(date(2026, 3, 10)):
        rate(world, s, "edu", "dissatisfied")
        rate(world, s, "transport", "satisfied")
        assert Suggestion.objects.get(pk=s.pk).state == "rehandling"
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
        give_answer(world, s, "edu")
        assert Suggestion.objects.get(pk=s.pk).state == "answered"
        rate(world, s, "edu", "satisfied")
    assert Suggestion.objects.get(pk=s.pk).state == "closed"


def test_an_answer_may_be_rated_before_the_other_lead_unit_answers(world):
    """SUG-FEEDBACK: the window runs from each answer, so it is rated while the other handles."""
    with at(MARCH_2):
        s = handled(world, leads=("edu", "transport"))
        give_answer(world, s, "edu")
        rate(world, s, "edu", "satisfied")
        assert Suggestion.objects.get(pk=s.pk).state == "assigned"
        give_answer(world, s, "transport")
        assert Suggestion.objects.get(pk=s.pk).state == "answered"
        rate(world, s, "transport", "basically_satisfied")
    assert Suggestion.objects.get(pk=s.pk).state == "closed"


def test_only_the_lead_deputy_rates(world):
    s = _answered(world)
    with at(MARCH_2):
        for who in ("deputy2", "affairs", "edu_clerk", "leader"):
            with pytest.raises(Forbidden):
                evaluate(s, unit=world.edu, rating="satisfied", by=world[who])
    assert not Evaluation.objects.exists()


def test_rating_conflicts_and_bad_input(world):
    with at(MARCH_2):
        s = handled(world, leads=("edu", "transport"))
        give_answer(world, s, "edu")
        with pytest.raises(DomainError) as err:
            rate(world, s, "transport")
        assert err.value.code == "not_answered"
        with pytest.raises(InvalidInput, match="rating"):
            rate(world, s, "edu", "no_feedback")
        with pytest.raises(InvalidInput, match="unit"):
            evaluate(s, unit=999_999, rating="satisfied", by=world["deputy"])
        with pytest.raises(InvalidInput, match="comment"):
            evaluate(
                s, unit=world.edu, rating="satisfied", comment="长" * 20_001, by=world["deputy"]
            )
        rate(world, s, "edu")
        with pytest.raises(DomainError) as err:
            rate(world, s, "edu")
        assert err.value.code == "already_rated"
    assert Evaluation.objects.count() == 1


def test_rating_a_closed_suggestion_names_the_state(world):
    s = _answered(world)
    with at(MARCH_2):
        rate(world, s)
        with pytest.raises(DomainError) as err:
            rate(world, s)
    assert err.value.status == 409 and "state: closed" in err.value.detail


def test_office_closes_after_the_window_recording_no_feedback(world):
    """Close when every lead unit's answer is rated or its window has passed (SUG-FEEDBACK)."""
    s = _answered(world)
    with at(date(2026, 3, 10)):
        with pytest.raises(Forbidden):
            close(s, by=world["deputy"])
        with pytest.raises(DomainError) as err:
            close(s, by=world["affairs"])
        assert err.value.code == "not_rated"
    with at(date(2026, 3, 24)):
        close(s, by=world["affairs"])
    s.refresh_from_db()
    assert s.state == "closed"
    assert Evaluation.objects.get().rating == "no_feedback"


def test_close_from_the_wrong_state(world):
    with at(MARCH_2):
        s = handled(world)
        with pytest.raises(DomainError) as err:
            close(s, by=world["affairs"])
    assert "state: assigned" in err.value.detail


def _closed_with_commitments(world):
    s = _answered(
        world,
        category="B",
        commitments=[
            CommitmentIn("新开 18 路", date(2026, 6, 30)),
            CommitmentIn("增设站台", date(2026, 9, 30)),
        ],
    )
    with at(date(2026, 3, 5)):
        rate(world, s)
    return s


def test_closed_suggestion_with_unmet_commitments_stays_on_the_follow_up_list(world):
    """回头看: each commitment stays on the list until marked met, with evidence."""
    s = _closed_with_commitments(world)
    first, second = Commitment.objects.order_by("due")
    assert list(follow_up_list(world.city)) == [first, second]
    with at(date(2026, 7, 1)):
        mark_commitment_met(first, evidence="18 路已于 6 月 28 日开通。", by=world["edu_clerk"])
    assert list(follow_up_list(world.city)) == [second]
    assert list(follow_up_list(world.county)) == []
    first.refresh_from_db()
    assert first.met_by == world["edu_clerk"] and first.evidence.startswith("18 路")
    assert Suggestion.objects.get(pk=s.pk).state == "closed"


def test_marking_a_commitment_met_needs_evidence_and_the_unit(world):
    _closed_with_commitments(world)
    c = Commitment.objects.order_by("due").first()
    with pytest.raises(InvalidInput, match="evidence"):
        mark_commitment_met(c, evidence="  ", by=world["edu_clerk"])
    for who in ("deputy", "affairs", "transport_clerk"):
        with pytest.raises(Forbidden):
            mark_commitment_met(c, evidence="done", by=world[who])
    mark_commitment_met(c, evidence="done", by=world["edu_head"])
    with pytest.raises(DomainError) as err:
        mark_commitment_met(c, evidence="again", by=world["edu_clerk"])
    assert err.value.code == "already_met"


def test_superseded_commitments_leave_the_follow_up_list(world):
    """SUG-REHANDLE: the re-handled answer's commitments replace the first answer's."""
    s = _answered(world, category="B")
    with at(date(2026, 3, 10)):
        rate(world, s, rating="dissatisfied")
        sign_off(assignment_of(s, world.edu), by=world["edu_head"])
        give_answer(world, s, category="B", commitments=[CommitmentIn("新方案", date(2026, 8, 1))])
        rate(world, s)
    assert [c.text for c in follow_up_list(world.city)] == ["新方案"]
