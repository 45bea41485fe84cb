"""The statistics' definitions (docs/statistics.md), computed by hand from the data set in
stats_builders.py: SUG-DEADLINE (on time, late, overdue), SUG-CATEGORY (A share, commitments),
SUG-FEEDBACK (no feedback is never satisfied), SUG-REHANDLE (the final rating counts),
SUG-RETURN (a returned assignment counts nowhere)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.suggestions.stats import COUNTS, RATES, StatsFilter, rate, suggestion_stats

from .stats_builders import TODAY, build_stats_world, simple_answered


def stats(world: Any, **filters: Any) -> Any:
    return suggestion_stats(StatsFilter(congress=world.city, today=TODAY, **filters))


def row_of(rows: list[dict[str, Any]], key: Any) -> dict[str, Any]:
    found = [r for r in rows if r["id"] == key]
    assert len(found) == 1, (key, [r["id"] for r in rows])
    return found[0]


def check(row: dict[str, Any], **expected: Any) -> None:
    got = {key: row[key] for key in expected}
    assert got == expected


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    return build_stats_world(world)


def test_rate_rounds_half_up_to_one_decimal_and_is_none_without_a_denominator():
    assert rate(2, 3) == 66.7
    assert rate(1, 3) == 33.3
    assert rate(1, 8) == 12.5
    assert rate(1, 16) == 6.3  # 6.25 → 6.3 (half up, not to even)
    assert rate(0, 5) == 0.0
    assert rate(0, 0) is None


def test_totals_follow_the_definitions(world, data):
    """Received = past the draft (rejected included, the draft H not); registered = accepted;
    SUG-DEADLINE: first answers of lead units on or before the due date over answers due
    (answered, or past due unanswered) — B late, D unanswered past due, K not yet due;
    SUG-REHANDLE: the final rating of each lead unit's answer (C's second, I still open);
    SUG-FEEDBACK: E's no feedback is its own share, never satisfied; SUG-RETURN: E's returned
    edu assignment counts nowhere; SUG-CATEGORY: A share over the current answers."""
    t = stats(world).totals
    received = ["A", "B", "C", "D", "E", "F", "G", "I", "J", "K"]
    leads = ["A", "B", "C", "D", "E", "I", "J", "K"]  # one lead unit each, returned ones out
    on_time = ["A", "C", "E", "I", "J"]  # first answers not late
    late = ["B"]
    unanswered_due = ["D"]
    current_answers = {"A": "A", "B": "B", "C": "A", "E": "A", "J": "A"}  # I's D superseded
    check(
        t,
        received=len(received),
        rejected=1,
        registered=len(received) - 1,
        lead_assignments=len(leads),
        answered_on_time=len(on_time),
        answered_late=len(late),
        unanswered_overdue=len(unanswered_due),
        answers_due=len(on_time) + len(late) + len(unanswered_due),
        overdue_now=2,  # D (first answer) and I (re-handling past 04-07)
        answers=len(current_answers),
        category_a=4,
        category_b=1,
        category_c=0,  # C's first answer was re-handled
        category_d=0,  # I's first answer was re-handled, its second not sent yet
        rated=5,
        satisfied=2,
        basically_satisfied=1,
        dissatisfied=1,
        no_feedback=1,
        commitments=3,  # B's three; C's first-round promise was replaced
        commitments_met=2,
        commitments_met_on_time=1,
    )
    check(
        t,
        on_time_rate=rate(5, 7),
        satisfied_rate=40.0,
        basically_satisfied_rate=20.0,
        satisfaction_rate=60.0,
        dissatisfied_rate=20.0,
        no_feedback_rate=20.0,
        a_share=80.0,
        commitments_met_rate=66.7,
        commitments_met_on_time_rate=33.3,
    )
    assert t["on_time_rate"] == 71.4


def test_every_row_has_every_figure(world, data):
    result = stats(world)
    for name in ("by_year", "by_session", "by_unit", "by_topic", "by_deputy"):
        for row in getattr(result, name):
            assert set(row) == {"id", "name", *COUNTS, *RATES}, name


def test_by_unit_counts_each_units_own_part(world, data):
    """A unit received what was assigned to it as lead or co-unit (not what it returned)."""
    result = stats(world)
    edu = row_of(result.by_unit, world.edu.pk)
    check(
        edu,
        name="市教育局",
        received=7,  # A B C(co) D I J K — not E (returned)
        registered=7,
        rejected=0,
        lead_assignments=6,
        answered_on_time=3,
        answered_late=1,
        unanswered_overdue=1,
        answers_due=5,
        on_time_rate=60.0,
        overdue_now=2,
        answers=3,
        category_a=2,
        a_share=66.7,
        rated=3,
        satisfied=2,
        basically_satisfied=1,
        satisfaction_rate=100.0,
        commitments=3,
        commitments_met=2,
    )
    transport = row_of(result.by_unit, world.transport.pk)
    check(
        transport,
        received=3,  # C, D(co), E
        lead_assignments=2,
        answers_due=2,
        on_time_rate=100.0,
        answers=2,
        a_share=100.0,
        rated=2,
        dissatisfied=1,
        no_feedback=1,
        satisfaction_rate=0.0,
        commitments=0,
        commitments_met_rate=None,  # nothing promised: "—", never 0
        commitments_met_on_time_rate=None,
    )


def test_by_year_session_topic_and_deputy(world, data):
    result = stats(world)
    assert [r["id"] for r in result.by_year] == [2025, 2026]
    check(row_of(result.by_year, 2025), received=1, answers=1, satisfied=1, satisfied_rate=100.0)
    check(row_of(result.by_year, 2026), received=9, rejected=1, rated=4)

    in_session = row_of(result.by_session, world.session.pk)
    check(in_session, received=1, registered=1, lead_assignments=0, on_time_rate=None)
    between = row_of(result.by_session, None)
    check(between, received=9)

    edu_topic = row_of(result.by_topic, data["edu_topic"].pk)
    check(edu_topic, name="教育", received=4, lead_assignments=4, answers_due=4, answered_late=1)
    transport_topic = row_of(result.by_topic, data["transport_topic"].pk)
    check(transport_topic, received=3, lead_assignments=3, rated=2, no_feedback=1)
    check(row_of(result.by_topic, None), received=3, rejected=1)  # F, G, I

    deputy = row_of(result.by_deputy, world["deputy"].pk)
    check(deputy, received=8, rejected=1, lead_assignments=6)
    deputy2 = row_of(result.by_deputy, world["deputy2"].pk)
    check(deputy2, received=2, lead_assignments=2, dissatisfied=1, no_feedback=1)
    assert result.by_deputy_count == 2
    assert [r["id"] for r in result.by_deputy] == [world["deputy"].pk, world["deputy2"].pk]


def test_totals_equal_the_sum_of_any_partition(world, data):
    """Years, sessions, topics and lead deputies each split the suggestions once."""
    result = stats(world)
    for name in ("by_year", "by_session", "by_topic", "by_deputy"):
        rows = getattr(result, name)
        for key in COUNTS:
            assert sum(r[key] for r in rows) == result.totals[key], (name, key)


def test_filters_year_session_and_unit(world, data):
    t2025 = stats(world, year=2025).totals
    check(t2025, received=1, lead_assignments=1, answers_due=1, on_time_rate=100.0)
    assert stats(world, year=2024).totals["on_time_rate"] is None
    check(stats(world, session=world.session).totals, received=1, registered=1, answers=0)

    edu = stats(world, unit=world.edu)
    edu_row = row_of(stats(world).by_unit, world.edu.pk)
    assert edu.totals == {k: v for k, v in edu_row.items() if k not in ("id", "name")}
    assert [r["id"] for r in edu.by_unit] == [world.edu.pk]  # never another unit's figures
    check(row_of(edu.by_topic, data["transport_topic"].pk), received=2)  # C (co), K
    check(row_of(edu.by_topic, None), received=1)  # I


def test_an_empty_congress_has_zero_counts_and_no_rates(world):
    t = suggestion_stats(StatsFilter(congress=world.county, today=TODAY)).totals
    assert all(t[key] == 0 for key in COUNTS)
    assert all(t[key] is None for key in RATES)


def _count_queries(world: Any, **filters: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        stats(world, **filters)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("unit", [False, True])
def test_fixed_number_of_queries_whatever_the_data_size(world, unit):
    """3 and then 30 suggestions: the same number of queries (aggregated in the database)."""
    filters = {"unit": world.edu} if unit else {}
    simple_answered(world, 3)
    few = _count_queries(world, **filters)
    assert stats(world, **filters).totals["received"] == 3
    simple_answered(world, 27)
    many = _count_queries(world, **filters)
    assert stats(world, **filters).totals["received"] == 30
    assert few == many
    assert many <= 25
