"""Joint handling (并案办理), the rating: each merged suggestion's lead deputy rates the primary's
answer for their own suggestion (SUG-FEEDBACK), a 不满意 from any sponsor sends it back once
(SUG-REHANDLE), no rating in time is no feedback, the primary closes only when every sponsor's
rating is in, and the merged suggestions close with it."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden
from renda.notifications.models import Notification
from renda.suggestions.actions.answers import close, evaluate, record_no_feedback
from renda.suggestions.actions.merging import merge
from renda.suggestions.choices import State
from renda.suggestions.models import Answer, Evaluation, JointRating, Suggestion
from renda.suggestions.tasks import check_deadlines

from .answer_builders import assignment_of, at, give_answer, handled, rate
from .assignment_builders import registered

MARCH_2 = date(2026, 3, 2)  # answered that Monday: the window (15 working days) ends 03-23
AFTER_WINDOW = date(2026, 3, 24)


def _state(s: Suggestion) -> str:
    return Suggestion.objects.get(pk=s.pk).state


@pytest.fixture
def joint(world):
    """`primary` (deputy's, the education bureau answered it on 2026-03-02) and `other`
    (deputy2's, merged into it before the answer)."""
    with at(date(2026, 2, 27)):
        primary = handled(world)
        other = registered(world, title="关于学校周边增开公交线路的建议", deputy="deputy2")
        merge(other, into=primary, by=world["affairs"])
    with at(MARCH_2):
        give_answer(world, primary, text="已采纳，新开通学校专线。")
    return Suggestion.objects.get(pk=primary.pk), Suggestion.objects.get(pk=other.pk)


def _rate_other(world, other, rating="satisfied", by="deputy2"):
    return evaluate(other, unit=world.edu, rating=rating, comment="谢谢", by=world[by])


def test_the_primary_waits_for_every_sponsor_then_both_close(world, joint):
    """SUG-FEEDBACK for each sponsor: the primary's own rating no longer closes it alone."""
    primary, other = joint
    with at(date(2026, 3, 5)):
        rate(world, primary)
        assert _state(primary) == State.ANSWERED  # deputy2 has not rated yet
        row = _rate_other(world, other, "basically_satisfied")
    assert isinstance(row, JointRating) and row.suggestion_id == other.pk
    assert row.rated_by == world["deputy2"] and row.answer.assignment.suggestion_id == primary.pk
    assert _state(primary) == State.CLOSED and _state(other) == State.CLOSED
    assert Suggestion.objects.get(pk=other.pk).closed_at is not None
    verbs = set(AuditEvent.objects.filter(object_id=str(other.pk)).values_list("verb", flat=True))
    assert {"suggestion.rated", "suggestion.closed"} <= verbs
    assert AuditEvent.objects.filter(
        verb="suggestion.rated_jointly", object_id=str(primary.pk)
    ).exists()
    assert Notification.objects.filter(
        recipient=world["deputy2"], title__contains="is closed", body__contains="jointly"
    ).exists()


def test_a_merged_sponsors_dissatisfaction_sends_it_back_once(world, joint):
    """SUG-REHANDLE from a merged suggestion's deputy: the unit handles it again; the new
    answer is rated by both; a second 不满意 stands (MAX_ROUNDS) and everything closes."""
    primary, other = joint
    with at(date(2026, 3, 5)):
        rate(world, primary)  # the primary's deputy is satisfied
        _rate_other(world, other, "dissatisfied")
    assert _state(primary) == State.REHANDLING
    assert assignment_of(primary, world.edu).state == "active"
    assert Notification.objects.filter(
        recipient=world["deputy"], title__contains="handled again"
    ).exists()
    with at(date(2026, 3, 6)), pytest.raises(DomainError) as err:
        _rate_other(world, other)  # nothing new to rate while it is handled again
    assert err.value.code == "rehandling"
    with at(date(2026, 3, 16)):
        from .answer_builders import signed_off

        signed_off(world, primary, "edu")
        give_answer(world, primary, text="重新办理：专线延长至晚九点。")
    assert Answer.objects.filter(assignment__suggestion=primary).count() == 2
    with at(date(2026, 3, 17)):
        rate(world, primary, rating="satisfied")
        assert _state(primary) == State.ANSWERED
        _rate_other(world, other, "dissatisfied")  # round 2: stands
    assert _state(primary) == State.CLOSED and _state(other) == State.CLOSED


def test_only_the_merged_suggestions_lead_deputy_rates_it_once_in_the_window(world, joint):
    primary, other = joint
    with at(date(2026, 3, 5)):
        with pytest.raises(Forbidden):
            _rate_other(world, other, by="deputy")  # the primary's deputy: not theirs
        _rate_other(world, other)
        with pytest.raises(DomainError) as err:
            _rate_other(world, other)
        assert err.value.code == "already_rated"
    with at(AFTER_WINDOW), pytest.raises(DomainError) as err:
        rate(world, primary)
    assert err.value.code == "window_closed"


def test_no_rating_in_time_is_no_feedback_for_each_sponsor_and_the_job_closes(world, joint):
    """SUG-FEEDBACK: the deadline job records every missing rating as no feedback — the merged
    deputy's too, never as satisfied — and both suggestions close."""
    primary, other = joint
    with at(date(2026, 3, 5)):
        rate(world, primary)
    with at(AFTER_WINDOW):
        run = check_deadlines(AFTER_WINDOW)
    assert run.no_feedback == 1 and run.failed == 0
    row = JointRating.objects.get(suggestion=other)
    assert row.rating == "no_feedback" and row.rated_by is None
    assert _state(primary) == State.CLOSED and _state(other) == State.CLOSED
    answer = Answer.objects.get(assignment__suggestion=primary)
    assert record_no_feedback(answer, today=AFTER_WINDOW) is None  # nothing more


def test_the_office_closes_after_the_window_recording_both_no_feedbacks(world, joint):
    primary, other = joint
    with at(date(2026, 3, 5)), pytest.raises(DomainError):
        close(primary, by=world["affairs"])  # nobody has rated, the window is open
    with at(AFTER_WINDOW):
        close(primary, by=world["affairs"])
    assert Evaluation.objects.get().rating == "no_feedback"
    assert JointRating.objects.get().rating == "no_feedback"
    assert _state(other) == State.CLOSED


def test_the_merged_deputy_rates_on_their_own_page_and_api(world, joint, client, api):
    primary, other = joint
    answer = Answer.objects.get(assignment__suggestion=primary)
    client.force_login(world["deputy2"])
    with at(date(2026, 3, 5)):
        page = client.get(f"/suggestions/{other.pk}/").content.decode()
        assert f'action="/suggestions/{other.pk}/answers/{answer.pk}/rate/"' in page
        r = client.post(
            f"/suggestions/{other.pk}/answers/{answer.pk}/rate/",
            {
                f"a{answer.pk}-unit": world.edu.pk,
                f"a{answer.pk}-rating": "satisfied",
                f"a{answer.pk}-comment": "",
            },
        )
        assert r.status_code == 302
        page = client.get(f"/suggestions/{other.pk}/").content.decode()
        assert 'data-testid="evaluation"' in page
        # The API: the primary's deputy rates theirs; a second joint rating is a 409.
        r = api("deputy").post(
            f"/suggestions/{primary.pk}/evaluations", {"unit": world.edu.pk, "rating": "satisfied"}
        )
        assert r.status_code == 201 and r.json()["jointly_with"] is None
        r = api("deputy2").post(
            f"/suggestions/{other.pk}/evaluations", {"unit": world.edu.pk, "rating": "satisfied"}
        )
        assert r.status_code == 409
    assert _state(primary) == State.CLOSED


def test_api_joint_rating_returns_the_primary(world, joint, api):
    primary, other = joint
    with at(date(2026, 3, 5)):
        r = api("deputy2").post(
            f"/suggestions/{other.pk}/evaluations",
            {"unit": world.edu.pk, "rating": "dissatisfied", "comment": "线路太少"},
        )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["jointly_with"] == primary.pk and body["rehandle_due"] is not None
    assert body["state"] == State.MERGED


@pytest.mark.django_db(transaction=True)
def test_both_sponsors_rating_at_once_close_it_once(world):
    """Two deputies rate at the same moment (two connections): the joint lock order queues
    them, nobody deadlocks, and the pair closes exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    with at(date(2026, 2, 27)):
        primary = handled(world)
        other = registered(world, title="关于学校周边增开公交线路的建议", deputy="deputy2")
        merge(other, into=primary, by=world["affairs"])
    with at(MARCH_2):
        give_answer(world, primary)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(target, who):
        try:
            barrier.wait(timeout=10)
            with at(date(2026, 3, 5)):
                evaluate(target, unit=world.edu, rating="satisfied", by=world[who])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(primary, "deputy")),
        threading.Thread(target=run, args=(other, "deputy2")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert _state(primary) == State.CLOSED and _state(other) == State.CLOSED
    assert AuditEvent.objects.filter(verb="suggestion.closed").count() == 2


def test_statistics_count_one_current_answer_and_one_final_rating_after_a_joint_rehandle(
    world, joint
):
    """SUG-REHANDLE through a merged sponsor: the first answer is sent back even though the
    primary's deputy was satisfied with it, so the statistics count the re-handled answer only
    (one answer, its category, one final rating of the primary's deputy), the facts equal to
    the aggregate over the base tables after every step (was: two answers, two ratings)."""
    from .answer_builders import signed_off
    from .test_stats_facts import same_as_reference

    primary, other = joint
    with at(date(2026, 3, 5)):
        rate(world, primary)  # satisfied with the first answer
    totals = same_as_reference(world, "the primary's deputy rated")
    assert (totals["answers"], totals["satisfied"]) == (1, 1)  # it stands, for now
    with at(date(2026, 3, 5)):
        _rate_other(world, other, "dissatisfied")
    totals = same_as_reference(world, "sent back by the merged sponsor")
    assert (totals["answers"], totals["satisfied"], totals["category_a"]) == (0, 0, 0)
    with at(date(2026, 3, 16)):
        signed_off(world, primary, "edu")
        give_answer(world, primary, text="重新办理：专线延长至晚九点。", category="B")
    totals = same_as_reference(world, "answered again")
    assert (totals["answers"], totals["category_a"], totals["category_b"]) == (1, 0, 1)
    with at(date(2026, 3, 17)):
        rate(world, primary, rating="satisfied")
        _rate_other(world, other, "satisfied")
    totals = same_as_reference(world, "both rated the re-handled answer")
    assert (totals["answers"], totals["satisfied"], totals["dissatisfied"]) == (1, 1, 0)


def test_the_deadline_job_leaves_a_first_answer_sent_back_by_a_merged_sponsor_alone(
    world, joint, monkeypatch
):
    """The primary's deputy never rated the first answer; a merged sponsor sent it back and the
    unit answered again. When the first answer's window passes, the job asks nothing of it: the
    re-handled answer is the one to rate (SUG-REHANDLE), in its own window."""
    from renda.suggestions import tasks

    from .answer_builders import signed_off

    primary, other = joint
    with at(date(2026, 3, 5)):
        _rate_other(world, other, "dissatisfied")
    with at(date(2026, 3, 16)):
        signed_off(world, primary, "edu")
        give_answer(world, primary, text="重新办理：专线延长至晚九点。")
    first = Answer.objects.get(assignment__suggestion=primary, round=1)
    asked: list[int] = []
    real = tasks.record_no_feedback

    def spy(pk, **kwargs):
        asked.append(pk)
        return real(pk, **kwargs)

    monkeypatch.setattr(tasks, "record_no_feedback", spy)
    with at(AFTER_WINDOW):
        run = tasks.check_deadlines(AFTER_WINDOW)
    assert first.pk not in asked and run.failed == 0
    assert not Evaluation.objects.filter(answer=first).exists()
    assert _state(primary) == State.ANSWERED  # the re-handled answer's window is open


# --- the primary's page: every sponsor's rating for the office and the units ----------------
def _page(world, name: str, suggestion: Suggestion) -> str:
    from django.test import Client

    client = Client()
    client.force_login(world[name])
    response = client.get(f"/suggestions/{suggestion.pk}/")
    assert response.status_code == 200, name
    return response.content.decode()


def test_the_office_and_the_unit_see_each_merged_deputys_rating_on_the_primary(world, joint):
    """SUG-FEEDBACK for each sponsor, shown where the office and the unit work: the primary's
    page lists the merged suggestions' deputies' ratings of each answer; the deputies do not
    see each other's."""
    primary, other = joint  # answered on 2026-03-02
    for name in ("affairs", "edu_clerk"):
        page = _page(world, name, primary)
        assert 'data-testid="joint-ratings"' in page and other.number in page
        block = page.split('data-testid="joint-ratings"', 1)[1].split("</div>", 1)[0]
        assert "not rated yet" in block
    with at(date(2026, 3, 5)):
        evaluate(
            other, unit=world.edu, rating="dissatisfied", comment="线路太少", by=world["deputy2"]
        )
    for name in ("affairs", "edu_clerk"):
        page = _page(world, name, primary)
        block = page.split('data-testid="joint-ratings"', 1)[1].split("</div>", 1)[0]
        assert "Dissatisfied" in block and "线路太少" in block
    assert 'data-testid="joint-ratings"' not in _page(world, "deputy", primary)
    # Answered: no longer unmerged (merging.unmerge refuses), so no button offers it.
    for suggestion in (primary, other):
        assert "/office/unmerge/" not in _page(world, "affairs", suggestion)
    own = _page(world, "deputy2", other)  # deputy2's own suggestion: their rating, no list
    assert "线路太少" in own and 'data-testid="joint-ratings"' not in own
