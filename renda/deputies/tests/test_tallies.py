"""Duty tallies (deputies at scale): every action that writes or removes a duty record keeps
the (deputyship, kind, year) tally equal to the records, and the reads built on the tallies (the
coverage lists, the profile's counts, the scores) give what the records give.
Rules: DEP-SCORE (counts per kind), issue 4 point 6 (coverage), DEP-PUBLIC (profile counts)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.deputies import tallies
from renda.deputies.actions.activities import (
    ActivityIn,
    Invitees,
    check_in,
    close_activity,
    create_activity,
    decide_leave,
    request_leave,
)
from renda.deputies.actions.duties import record_duty, record_platform_duty
from renda.deputies.actions.manual_duties import record_manual_duty, remove_manual_duty
from renda.deputies.actions.scoring import recompute_scores, year_counts
from renda.deputies.models import DutyRecord, DutyTally
from renda.deputies.queries_coverage import (
    DUTY_LISTS,
    CoverageFilter,
    missing_by_delegation,
    missing_duty,
)
from renda.deputies.queries_public import public_duties

from .activity_builders import organised
from .public_builders import days_ago, deputyship_of, extra_deputy

pytestmark = pytest.mark.django_db


def tally(d: Any, kind: str, year: int) -> int | None:
    row = DutyTally.objects.filter(deputyship=d, kind=kind, year=year).first()
    return None if row is None else row.n


def test_record_duty_counts_once_and_a_replay_not_at_all(world: Any) -> None:
    d = deputyship_of(world, "deputy")
    on = days_ago(3)
    for _ in range(2):  # the same event twice: one record, one count
        record_duty(d, kind="inspection", occurred_on=on, title="视察", source="platform",
                    source_ref="suggestion:1")  # fmt: skip
    record_duty(d, kind="inspection", occurred_on=on, title="视察", source="manual")
    assert tally(d, "inspection", on.year) == 2
    assert tallies.check() == []


def test_platform_duty_of_a_submitted_suggestion_is_counted(world: Any) -> None:
    on = days_ago(1)
    made = record_platform_duty(
        user_id=world["deputy"].pk, congress_id=world.city.pk, kind="suggestion",
        occurred_on=on, title="关于……的建议", ref="suggestion:77",
    )  # fmt: skip
    assert made is not None
    assert tally(made.deputyship, "suggestion", on.year) == 1
    assert tallies.check() == []


def test_manual_record_and_its_removal_keep_the_tally(world: Any) -> None:
    d = deputyship_of(world, "deputy")
    on = days_ago(10)
    first = record_manual_duty(
        d, kind="training", occurred_on=on, title="培训", by=world["affairs"]
    )
    record_manual_duty(d, kind="training", occurred_on=on, title="培训二", by=world["affairs"])
    assert tally(d, "training", on.year) == 2
    remove_manual_duty(first, reason="重复登记", by=world["affairs"])
    assert tally(d, "training", on.year) == 1
    remove_manual_duty(
        DutyRecord.objects.get(deputyship=d, kind="training"), reason="录错", by=world["affairs"]
    )
    # Nothing left: no row, so "has a training this term" is false again.
    assert tally(d, "training", on.year) is None
    assert tallies.check() == []


def test_activity_close_counts_every_outcome(world: Any) -> None:
    """DEP-SCORE: attended → the activity's kind, approved leave → leave, absent → absence,
    each in the tallies as in the records."""
    start = timezone.now() + timedelta(hours=1)
    a = organised(world, starts=start, kind="training")
    decide_leave(request_leave(a, reason="出差", by=world["deputy2"]), approve=True,
                 by=world["affairs"])  # fmt: skip
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        check_in(a, code=a.code, by=world["deputy"])
        close_activity(a, by=world["affairs"])
    year = timezone.localtime(start).year
    assert tally(deputyship_of(world, "deputy"), "training", year) == 1
    assert tally(deputyship_of(world, "deputy2"), "leave", year) == 1
    assert tally(deputyship_of(world, "sc_member"), "absence", year) == 1
    assert DutyRecord.objects.filter(activity=a).count() == 3
    assert tallies.check() == []


def _close_queries(world: Any, invitees: int) -> int:
    for i in range(invitees - 3):
        extra_deputy(world, f"代表{invitees}-{i}")
    starts = timezone.now() - timedelta(minutes=10)
    a = create_activity(
        world.city,
        ActivityIn(kind="inspection", title="视察", starts_at=starts,
                   ends_at=starts + timedelta(hours=2), location="会议室"),
        invitees=Invitees(all_deputies=True, deputies=[]),
        by=world["affairs"],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        close_activity(a, by=world["affairs"])
    assert DutyRecord.objects.filter(activity=a).count() == invitees
    return len(ctx.captured_queries)


def test_activity_close_is_set_based_not_a_query_per_attendee(world: Any) -> None:
    """Closing for 3 or for 40 invitees takes the same number of queries (bulk insert of the
    records, one upsert of their tallies), and the tallies agree with the records."""
    few = _close_queries(world, 3)
    many = _close_queries(world, 40)
    assert many <= few + 2, (few, many)  # bulk batches of 500: no growth at this size
    assert tallies.check() == []


def _world_with_records(world: Any) -> list[Any]:
    rng = random.Random(7)  # noqa: S311 - test data
    deputies = [deputyship_of(world, u) for u in ("deputy", "deputy2", "sc_member")]
    deputies += [extra_deputy(world, f"代表{i}") for i in range(12)]
    start = world.term.start_date
    span = (timezone.localdate() - start).days
    for d in deputies:
        for _ in range(rng.randrange(0, 8)):
            on = start + timedelta(days=rng.randrange(span + 1))
            kind = rng.choice(["report_back", "training", "sc_sitting", "reception", "absence"])
            record_duty(d, kind=kind, occurred_on=on, title="x", source="manual")
    return deputies


def test_coverage_lists_from_the_tallies_equal_those_from_the_records(world: Any) -> None:
    """Issue 4 point 6: whoever has no record of the kind in the term (read from the records
    directly) is exactly whom the tally-based list names, and the counts agree."""
    _world_with_records(world)
    f = CoverageFilter(congress=world.city, term=world.term, today=timezone.localdate())
    by_delegation = missing_by_delegation(f)
    for key, kind in DUTY_LISTS.items():
        listed = set(missing_duty(f, key).values_list("pk", flat=True))
        has = set(
            DutyRecord.objects.filter(
                kind=kind, occurred_on__gte=f.since, occurred_on__lte=f.until
            ).values_list("deputyship_id", flat=True)
        )
        expected = set(
            missing_duty(f, key)
            .model.objects.filter(congress=world.city, term=world.term, status="active")
            .exclude(pk__in=has)
            .values_list("pk", flat=True)
        )
        assert listed == expected, key
        assert sum(r[key] for r in by_delegation) == len(expected), key


def test_scores_and_profile_counts_from_the_tallies_equal_the_records(world: Any) -> None:
    """DEP-SCORE / DEP-PUBLIC: the counts per kind the recompute and the profile use are the
    records' counts."""
    deputies = _world_with_records(world)
    year = timezone.localdate().year
    counts = year_counts(world.city.pk, year)
    for d in deputies:
        records: dict[str, int] = {}
        for kind in DutyRecord.objects.filter(deputyship=d, year=year).values_list(
            "kind", flat=True
        ):
            records[kind] = records.get(kind, 0) + 1
        assert counts.get(d.pk, {}) == records
        shown, total, _rows = public_duties(d, year)
        assert {k: n for k, _label, n in shown} == {
            k: n for k, n in records.items() if k not in ("leave", "absence")
        }
        assert total == sum(n for k, n in records.items() if k not in ("leave", "absence"))
    recompute_scores(world.city, year, by=world["affairs"])


def test_rebuild_recounts_after_a_write_behind_the_actions_back(world: Any) -> None:
    d = deputyship_of(world, "deputy")
    DutyRecord.objects.create(deputyship=d, kind="motion", occurred_on=date(2026, 3, 1),
                              year=2026, title="议案", source="manual")  # fmt: skip
    assert tallies.check() == [(d.pk, "motion", 2026, 0, 1)]
    tallies.rebuild([d.pk])
    assert tallies.check() == []
    assert tallies.rebuild() == DutyTally.objects.count()
    assert tallies.check() == []


def test_check_command_finds_a_disagreement_and_rebuild_mends_it(world: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    d = deputyship_of(world, "deputy")
    record_duty(d, kind="training", occurred_on=days_ago(2), title="培训", source="manual")
    call_command("check_duty_tallies", stdout=StringIO())  # agrees: no error
    DutyTally.objects.filter(deputyship=d).update(n=5)
    with pytest.raises(CommandError, match="1 tallies disagree"):
        call_command("check_duty_tallies", stdout=StringIO())
    call_command("check_duty_tallies", "--rebuild", stdout=StringIO())
    assert tallies.check() == []
