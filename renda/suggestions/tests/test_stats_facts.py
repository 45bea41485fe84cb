"""The statistics' fact rows (facts.py) against the aggregate over the base tables
(stats_reference.py): equal after every kind of action (SUG-DEADLINE, SUG-CATEGORY,
SUG-FEEDBACK, SUG-REHANDLE, SUG-RETURN, SUG-EXCLUDED, MOTION-COSIGN), after a rebuild, and
`manage.py verify_stats` tells when they are not."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Sum
from django.test.utils import CaptureQueriesContext

from renda.calendar.actions import recompute_deadlines
from renda.calendar.models import Deadline
from renda.suggestions import counts
from renda.suggestions.actions.answers import (
    CommitmentIn,
    close,
    evaluate,
    mark_commitment_met,
    record_no_feedback,
)
from renda.suggestions.actions.assignment import assign, decide_return, request_return
from renda.suggestions.actions.registration import convert, register, reject
from renda.suggestions.actions.submission import confirm_cosign, submit, withdraw_cosign
from renda.suggestions.facts import counter_day, rebuild_facts, refresh_facts, roll_counter_day
from renda.suggestions.models import (
    Assignment,
    AssignmentFact,
    Commitment,
    Sponsor,
    StatsCounter,
    Suggestion,
    SuggestionFact,
    Topic,
)
from renda.suggestions.stats import StatsFilter, suggestion_stats
from renda.suggestions.stats_reference import first_difference, reference_stats

from .answer_builders import assignment_of, at, give_answer
from .stats_builders import TODAY, _signed_off, build_stats_world, new
from .test_submission import drafted, make_deputies, motion_with


def _views(world: Any, today: date) -> list[StatsFilter]:
    city = world.city
    return [
        StatsFilter(congress=city, today=today),
        StatsFilter(congress=city, year=2026, today=today),
        StatsFilter(congress=city, year=2025, today=today),
        StatsFilter(congress=city, unit=world.edu, today=today),
        StatsFilter(congress=city, unit=world.transport, today=today),
        StatsFilter(congress=city, year=2026, unit=world.edu, today=today),
    ]


def same_as_reference(world: Any, step: str, *days: date) -> dict[str, Any]:
    """Every view, every breakdown, every deputy: the facts give the reference's figures, as of
    each day (overdue depends on it). Returns the totals of the first view."""
    for today in days or (TODAY,):
        for f in _views(world, today):
            got = suggestion_stats(f, deputy_limit=None)
            expected = reference_stats(f, deputy_limit=None)
            difference = first_difference(got, expected)
            assert difference is None, f"after {step}, as of {today}, {f}: {difference}"
    # The office's list counts (counts.py), kept by the same actions.
    assert counts.difference() == {}, f"list counts after {step}"
    return suggestion_stats(StatsFilter(congress=world.city, today=TODAY)).totals


def test_facts_equal_the_reference_after_every_action(world):
    """A realistic sequence through the real actions, compared after each step."""
    edu_topic = Topic.objects.create(congress=world.city, name="教育")
    check = same_as_reference

    with at(date(2025, 11, 3)):
        s1 = new(world, topic=edu_topic, title="一")
    assert check(world, "submit")["received"] == 1
    with at(date(2025, 11, 3)):
        s1 = register(s1, by=world["affairs"])
    assert check(world, "register")["registered"] == 1
    with at(date(2025, 11, 3)):
        s1 = assign(s1, lead_units=[world.edu], co_units=[world.transport], complex=False,
                    by=world["affairs"])  # fmt: skip
    totals = check(world, "assign", date(2025, 11, 4), date(2026, 3, 1), TODAY)
    assert totals["lead_assignments"] == 1 and totals["overdue_now"] == 1
    with at(date(2025, 11, 20)):
        _signed_off(world, s1, "edu")
        give_answer(world, s1, "edu", category="B",
                    commitments=[CommitmentIn("年底前完成。", date(2025, 12, 31)),
                                 CommitmentIn("明年完成。", date(2026, 6, 30))])  # fmt: skip
    assert check(world, "answer (B, commitments)", date(2025, 11, 21), TODAY)["answers"] == 1
    with at(date(2025, 12, 1)):
        evaluate(s1, unit=world.edu, rating="dissatisfied", by=world["deputy"])
    totals = check(world, "evaluate dissatisfied (re-handling)", date(2025, 12, 2), TODAY)
    assert totals["answers"] == 0 and totals["commitments"] == 0 and totals["overdue_now"] == 1
    with at(date(2025, 12, 20)):
        _signed_off(world, s1, "edu")
        give_answer(world, s1, "edu", category="C",
                    commitments=[CommitmentIn("条件成熟后实施。", date(2026, 3, 31))])  # fmt: skip
    check(world, "second answer", date(2025, 12, 21), TODAY)
    with at(date(2026, 1, 5)):
        evaluate(s1, unit=world.edu, rating="dissatisfied", by=world["deputy"])
    assert check(world, "evaluate dissatisfied (final)")["dissatisfied"] == 1
    with at(date(2026, 3, 10)):
        mark_commitment_met(
            Commitment.objects.get(answer__assignment__suggestion=s1, answer__round=2),
            evidence="已实施。",
            by=world["edu_clerk"],
        )
    assert check(world, "mark commitment met")["commitments_met_on_time"] == 1

    with at(date(2026, 3, 2)):
        s2 = register(new(world, deputy="deputy2", title="二"), by=world["affairs"])
        s2 = assign(s2, lead_units=[world.edu, world.transport], co_units=[], complex=False,
                    by=world["affairs"])  # fmt: skip
    check(world, "assign to two lead units", date(2026, 3, 3), TODAY)
    with at(date(2026, 3, 4)):
        req = request_return(assignment_of(s2, world.edu), reason="不属于本单位职责。",
                             by=world["edu_clerk"])  # fmt: skip
    check(world, "request return")
    with at(date(2026, 3, 5)):
        decide_return(req, approve=True, new_lead_units=[], by=world["affairs"])
    assert check(world, "return approved")["lead_assignments"] == 2  # s1 edu, s2 transport
    with at(date(2026, 3, 20)):
        _signed_off(world, s2, "transport")
        answer = give_answer(world, s2, "transport", category="A")
    check(world, "answer A", date(2026, 3, 21), TODAY)
    with at(date(2026, 5, 2)):
        close(s2, by=world["affairs"])  # records the missing rating as no feedback
    assert check(world, "close", TODAY)["no_feedback"] == 1
    with at(date(2026, 5, 3)):
        assert record_no_feedback(answer) is None  # already recorded: nothing changes
    check(world, "no feedback again")

    with at(date(2026, 4, 1)):
        s3 = new(world, title="三")
        reject(s3, ground="no_content", explanation="没有具体内容。", by=world["affairs"])
    assert check(world, "reject")["rejected"] == 1
    with at(date(2026, 4, 1)):
        motion = submit(motion_with(world, confirmed=10), by=world["deputy"])
    assert check(world, "submit a motion (not counted)")["received"] == 3
    with at(date(2026, 4, 1)):
        converted = convert(motion, by=world["affairs"])
    assert check(world, "convert motion → suggestion")["received"] == 4
    with at(date(2026, 4, 1)):
        convert(converted, by=world["affairs"])
    assert check(world, "convert suggestion → motion")["received"] == 3
    leaving = Sponsor.objects.filter(suggestion=motion, role="cosigner").first().deputy
    with at(date(2026, 4, 2)):
        back = withdraw_cosign(Suggestion.objects.get(pk=motion.pk), by=leaving)
    assert back.state == "draft"
    check(world, "back to draft")

    deputies = make_deputies(world.city, 10, "co")
    with at(date(2026, 4, 3)):
        s4 = drafted(world, cosigners=deputies)
        for d in deputies:
            confirm_cosign(s4, by=d)
        s4 = submit(s4, by=world["deputy"])
    assert check(world, "submit with co-signers")["received"] == 4
    with at(date(2026, 4, 3)):
        s4 = convert(s4, by=world["affairs"])
    assert check(world, "convert submitted suggestion → motion")["received"] == 3
    assert SuggestionFact.objects.filter(suggestion_id=s4.pk).count() == 0


def test_the_hand_built_world_matches_the_reference_in_every_view(world):
    build_stats_world(world)
    for today in (date(2026, 3, 1), date(2026, 6, 3), TODAY, date(2027, 1, 1)):
        same_as_reference(world, "build_stats_world", today)


def test_rebuild_writes_the_same_rows(world):
    build_stats_world(world)

    def rows() -> tuple[list, list, list]:
        counters = StatsCounter.objects.filter(received__gt=0).values_list(
            *[f.name for f in StatsCounter._meta.fields if f.name != "id"]
        )
        return (
            sorted(SuggestionFact.objects.values_list()),
            sorted(AssignmentFact.objects.values_list()),
            sorted(counters),
        )

    kept = rows()
    assert len(kept[0]) == 10 and len(kept[1]) == 10  # 10 received; 8 lead + 2 co assignments
    assert len(kept[2]) > 10  # per topic, lead deputy and unit, by year and session
    SuggestionFact.objects.all().delete()
    AssignmentFact.objects.all().delete()
    StatsCounter.objects.all().delete()
    assert suggestion_stats(StatsFilter(congress=world.city, today=TODAY)).totals["received"] == 0
    out = StringIO()
    call_command("rebuild_stats_facts", "--batch", "2", stdout=out)
    assert "10 suggestions, 10 assignments" in out.getvalue()
    assert rows() == kept
    assert rebuild_facts(batch=1000) == (10, 10)
    assert rows() == kept


def test_verify_stats_passes_then_names_a_corrupted_figure(world):
    data = build_stats_world(world)
    out = StringIO()
    call_command("verify_stats", "--units", "--today", "2026-09-01", stdout=out)
    assert "Statistics consistent: 3 views compared" in out.getvalue()  # city, edu, transport
    AssignmentFact.objects.filter(assignment=assignment_of(data["A"], world.edu)).update(
        satisfied=0
    )
    # A unit's own view reads its assignment facts: edu's rated answers are 3 (A, B, J).
    call_command("verify_stats", "--today", "2026-09-01", stdout=StringIO())  # not read there
    with pytest.raises(CommandError, match=rf"unit {world.edu.pk}\): totals rated: 2 ≠ 3"):
        call_command("verify_stats", "--units", "--today", "2026-09-01", stdout=StringIO())
    call_command("rebuild_stats_facts", stdout=StringIO())  # the repair
    call_command("verify_stats", "--units", "--today", "2026-09-01", stdout=StringIO())
    StatsCounter.objects.filter(dimension=StatsCounter.TOPIC, year=2025).update(answers=7)
    with pytest.raises(CommandError, match=r"totals answers: 11 ≠ 5"):
        call_command("verify_stats", "--today", "2026-09-01", stdout=StringIO())


def test_verify_stats_exits_1(world, tmp_path):
    """The command's exit status, as a cron job or a monitor sees it."""
    data = build_stats_world(world)
    StatsCounter.objects.filter(dimension=StatsCounter.DEPUTY, group_id=data["F"].lead_deputy_id,
                                year=2026).update(received=F("received") - 1)  # fmt: skip
    with pytest.raises(CommandError) as failed:
        call_command("verify_stats", stdout=StringIO())
    assert failed.value.returncode == 1
    assert "received" in str(failed.value)


def test_refresh_is_a_fixed_number_of_queries(world):
    data = build_stats_world(world)
    for key in ("A", "C", "F"):
        with CaptureQueriesContext(connection) as ctx:
            refresh_facts(data[key].pk)
        # the counters' day (held), count out, delete both, insert both, count in
        assert len(ctx.captured_queries) == 7


def test_a_recomputed_answer_deadline_moves_the_fact_row(world):
    """CALENDAR-UNKNOWN-YEAR: when the calendar recomputes a deadline, the fact row's copy of
    the due date follows (the facts stay equal to the reference)."""
    data = build_stats_world(world)
    k = assignment_of(data["K"], world.edu)
    deadline = Deadline.objects.get(pk=Assignment.objects.get(pk=k.pk).answer_deadline_id)
    # A schedule change moves it: emulate by shifting the stored due date, then recompute as the
    # calendar does when a year's schedule is entered (it recomputes from start/kind/amount).
    Deadline.objects.filter(pk=deadline.pk).update(due=date(2026, 8, 25))
    refresh_facts(data["K"].pk)
    assert AssignmentFact.objects.get(pk=k.pk).due == date(2026, 8, 25)
    looked, changed, moved = recompute_deadlines(deadline.due.year, only_provisional=False, by=None)
    assert moved >= 1
    assert AssignmentFact.objects.get(pk=k.pk).due == deadline.due
    same_as_reference(world, "recompute_deadlines", TODAY)


@pytest.mark.parametrize(
    "day", [date(2026, 1, 5), date(2026, 6, 2), TODAY, date(2026, 12, 31), date(2027, 6, 1)]
)
def test_counters_as_of_any_day_give_the_reference_as_of_every_day(world, day):
    """SUG-DEADLINE, "overdue now": the counters hold it as of their day (rolled there, before
    or after the day asked for, or the day itself), the statistics add or take away the
    assignments that fell due in between; the figures equal the reference as of every day."""
    data = build_stats_world(world)
    roll_counter_day(day)
    assert counter_day() == day
    days = (date(2025, 12, 1), date(2026, 3, 2), TODAY, date(2026, 12, 31))
    same_as_reference(world, f"roll to {day}", *days)
    # The counters' own figure is the fact rows' count as of their day (not just a correction).
    expected = AssignmentFact.objects.filter(due__lt=day).count()
    kept = StatsCounter.objects.filter(dimension=StatsCounter.UNIT).aggregate(n=Sum("overdue_now"))
    assert kept["n"] == expected
    if day == TODAY:
        assert expected > 0
    # Actions after the roll keep the counters as of that day (refresh_facts uses it).
    with at(date(2026, 9, 1)):
        give_answer(world, data["K"], "edu", category="A")
    same_as_reference(world, f"an answer after the roll to {day}", *days)


def test_emptied_counters_without_a_day_start_again_from_the_next_action(world):
    """A database emptied with its counters and their day (a test's flush, a hand-made wipe):
    the next refresh creates the day (today), and the figures follow the reference."""
    from renda.suggestions.models import StatsCounterDay

    StatsCounterDay.objects.all().delete()
    assert counter_day() is not None  # a reader without the row: nothing counted yet
    build_stats_world(world)
    assert StatsCounterDay.objects.count() == 1
    same_as_reference(world, "after the day row was gone", TODAY, date(2026, 12, 31))


def test_the_deadline_job_rolls_the_counters_to_its_day(world):
    from renda.suggestions.tasks import check_deadlines

    build_stats_world(world)
    check_deadlines(TODAY)
    assert counter_day() == TODAY
    same_as_reference(world, "deadline job", TODAY)
    check_deadlines(date(2026, 9, 2))
    assert counter_day() == date(2026, 9, 2)


@pytest.mark.parametrize("limit", [1, 2, 50])
def test_the_deputy_ranking_and_count_match_the_reference(world, limit):
    """Fewer places than deputies: the ranked ones (most received, ties by id) and the count."""
    build_stats_world(world)
    for f in _views(world, TODAY):
        got = suggestion_stats(f, deputy_limit=limit)
        assert first_difference(got, reference_stats(f, deputy_limit=limit)) is None
        assert len(got.by_deputy) == min(limit, got.by_deputy_count)
