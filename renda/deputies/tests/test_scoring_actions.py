"""DEP-SCORE actions on the real database: the default table on first use, the set-based
recompute (which deputyships count, the year's records only, one history row and one audit
event, a bounded number of queries), a table change that recomputes while the previous
computation still names the old table, ended deputyships keeping their score, permissions,
and the background path for big congresses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import make_user
from renda.audit.models import AuditEvent
from renda.deputies import tallies
from renda.deputies.actions.registry import end_deputyship
from renda.deputies.actions.scoring import (
    change_rule_table,
    clean_year,
    deputyships_in_year,
    ensure_rule_table,
    recompute_scores,
    request_recompute,
)
from renda.deputies.models import (
    DeputyScore,
    Deputyship,
    Person,
    ScoreRuleTable,
    YearScoring,
)
from renda.deputies.queries_scoring import pending_recomputes, score_view
from renda.deputies.scoring_rules import DEFAULT_RULES, default_rules
from renda.deputies.tasks_scoring import recompute_scores_task
from renda.errors import Forbidden, InvalidInput
from renda.orgs.models import Term

from .scoring_builders import add_records, deputyship_of

YEAR = timezone.localdate().year
LAST = YEAR - 1


def scores(year: int = YEAR) -> dict[str, DeputyScore]:
    return {
        s.deputyship.person.user.username: s
        for s in DeputyScore.objects.filter(year=year).select_related("deputyship__person__user")
    }


def new_rules(**points: int) -> dict:
    table = default_rules()
    table["points"].update(points)
    return table


def test_default_table_is_created_once_on_first_use(world):
    """DEP-SCORE: no statute, so a congress starts from the documented default."""
    assert not ScoreRuleTable.objects.exists()
    table = ensure_rule_table(world.city)
    assert table.current and table.rules == default_rules()
    assert ensure_rule_table(world.city) == table
    assert ScoreRuleTable.objects.count() == 1
    assert AuditEvent.objects.filter(verb="score_table.created").count() == 1


def test_recompute_scores_every_deputy_of_the_congress_year(world):
    deputy = deputyship_of(world, "deputy")
    add_records(deputy, "session", 1, year=YEAR)
    add_records(deputy, "suggestion", 7, year=YEAR)  # capped at 15
    add_records(deputy, "leave", 2, year=YEAR)
    add_records(deputy, "training", 2, year=LAST)  # another year: not counted
    scoring = recompute_scores(world.city, YEAR, by=world["affairs"])
    got = scores()
    assert set(got) == {"deputy", "deputy2", "sc_member"}
    mine = got["deputy"]
    assert mine.total == Decimal("33.00") and mine.grade == "poor"
    assert mine.by_kind == {
        "session": {"count": 1, "points": 20, "capped": False},
        "suggestion": {"count": 7, "points": 15, "capped": True},
        "leave": {"count": 2, "points": -2, "capped": False},
    }
    assert mine.rule_table == scoring.rule_table
    assert got["deputy2"].total == 0 and got["deputy2"].by_kind == {}
    assert scoring.deputies == 3 and scoring.computed_by == world["affairs"]
    event = AuditEvent.objects.get(verb="scores.computed")
    assert event.data["year"] == YEAR and event.data["deputies"] == 3
    assert event.data["grades"] == {"poor": 3}


def test_recompute_ignores_other_congresses(world):
    county_term = Term.objects.create(congress=world.county, number=3, start_date=date(2022, 1, 1))
    other = Deputyship.objects.create(
        person=Person.objects.get(user=world["deputy"]),
        congress=world.county,
        term=county_term,
    )
    add_records(other, "session", 1, year=YEAR)
    recompute_scores(world.city, YEAR, by=world["affairs"])
    assert not DeputyScore.objects.filter(deputyship=other).exists()
    assert scores()["deputy"].total == 0


def test_recompute_twice_gives_the_same_scores_and_two_history_rows(world):
    add_records(deputyship_of(world, "deputy"), "inspection", 2, year=YEAR)
    first = recompute_scores(world.city, YEAR, by=world["affairs"])
    before = {k: (s.total, s.grade, s.by_kind) for k, s in scores().items()}
    second = recompute_scores(world.city, YEAR, by=world["affairs"])
    assert {k: (s.total, s.grade, s.by_kind) for k, s in scores().items()} == before
    assert DeputyScore.objects.count() == 3
    assert list(YearScoring.objects.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_recompute_costs_the_same_queries_whatever_the_number_of_deputies(world):
    """Set-based: a fixed number of queries for 3 deputies or 40 (no query per deputy)."""
    ensure_rule_table(world.city)
    with CaptureQueriesContext(connection) as few:
        recompute_scores(world.city, YEAR, by=None)
    for i in range(37):
        user = make_user(f"extra{i}")
        p = Person.objects.create(user=user, name=f"extra{i}")
        d = Deputyship.objects.create(person=p, congress=world.city, term=world.term)
        add_records(d, "reception", 1 + i % 4, year=YEAR)
    with CaptureQueriesContext(connection) as many:
        recompute_scores(world.city, YEAR, by=None)
    assert DeputyScore.objects.filter(year=YEAR).count() == 40
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]


def test_ended_deputyship_keeps_its_score(world):
    """DEP-SCORE with DEP-TERMINATE: a deputyship that ended during the year is scored for it,
    and its earlier years are kept; one that ended before a year began is not scored for it."""
    deputy = deputyship_of(world, "deputy")
    add_records(deputy, "session", 1, year=LAST)
    add_records(deputy, "inspection", 1, year=YEAR, month=1)
    recompute_scores(world.city, LAST, by=world["affairs"])
    end_deputyship(deputy, ground="resigned", on=date(YEAR, 1, 20), by=world["affairs"])
    recompute_scores(world.city, YEAR, by=world["affairs"])
    recompute_scores(world.city, LAST, by=world["affairs"])
    assert scores(YEAR)["deputy"].total == 5
    assert scores(LAST)["deputy"].total == 20
    # Ended before the year began: no score for that year, and a stale one is removed.
    Deputyship.objects.filter(pk=deputy.pk).update(status_since=date(LAST, 12, 31))
    DeputyScore.objects.filter(deputyship=deputy, year=YEAR).update(total=99)
    serving = deputyships_in_year(world.city.pk, YEAR)
    assert deputy.pk not in set(serving.values_list("pk", flat=True))
    deputy.duty_records.filter(year=YEAR).delete()
    tallies.rebuild([deputy.pk])  # deleted behind the actions' back: recount
    recompute_scores(world.city, YEAR, by=world["affairs"])
    assert "deputy" not in scores(YEAR)
    assert scores(LAST)["deputy"].total == 20


def test_a_record_in_the_year_proves_the_deputyship_served(world):
    """A deputyship whose term ended before the year still gets a score for records in it
    (e.g. a session attended in early January before the new term's roster was entered)."""
    deputy = deputyship_of(world, "deputy")
    Term.objects.filter(pk=world.term.pk).update(end_date=date(LAST, 12, 31))
    assert not deputyships_in_year(world.city.pk, YEAR).exists()
    add_records(deputy, "session", 1, year=YEAR)
    scoring = recompute_scores(world.city, YEAR, by=world["affairs"])
    assert scoring.deputies == 1 and scores()["deputy"].total == 20


def test_suspended_deputyship_is_scored(world):
    deputy = deputyship_of(world, "deputy")
    Deputyship.objects.filter(pk=deputy.pk).update(
        status="suspended", status_since=date(YEAR, 2, 1)
    )
    add_records(deputy, "training", 1, year=YEAR)
    recompute_scores(world.city, YEAR, by=world["affairs"])
    assert scores()["deputy"].total == 5


def test_table_change_recomputes_and_history_keeps_the_old_table(world):
    """DEP-SCORE: a changed table is a new row; this year's scores are recomputed with it; the
    previous computation still names the old table, which is kept (no longer current)."""
    deputy = deputyship_of(world, "deputy")
    add_records(deputy, "suggestion", 4, year=YEAR)
    add_records(deputy, "suggestion", 2, year=LAST)
    first = recompute_scores(world.city, YEAR, by=world["affairs"])
    last_year = recompute_scores(world.city, LAST, by=world["affairs"])
    old = first.rule_table
    assert scores()["deputy"].total == 12

    table, outcomes = change_rule_table(
        world.city, name="2026年修订", rules=new_rules(suggestion=2), by=world["affairs"]
    )
    assert [(o.year, o.queued) for o in outcomes] == [(YEAR, False)]
    old.refresh_from_db()
    assert table.current and not old.current and table.pk != old.pk
    assert scores()["deputy"].total == 8 and scores()["deputy"].rule_table == table
    first.refresh_from_db()
    assert first.rule_table == old  # the earlier computation still names the old table
    history = list(YearScoring.objects.filter(year=YEAR).order_by("computed_at", "pk"))
    assert [h.rule_table_id for h in history] == [old.pk, table.pk]
    # Last year was not chosen: its scores stay as computed with the old table.
    assert scores(LAST)["deputy"].total == 6 and scores(LAST)["deputy"].rule_table == old
    assert YearScoring.objects.filter(year=LAST).get() == last_year
    event = AuditEvent.objects.get(verb="score_table.changed")
    assert event.data["previous"] == old.pk
    assert event.data["changes"] == {"points.suggestion": [3, 2]}


def test_table_change_recomputes_the_years_the_office_chooses(world):
    add_records(deputyship_of(world, "deputy"), "suggestion", 2, year=LAST)
    recompute_scores(world.city, LAST, by=world["affairs"])
    table, outcomes = change_rule_table(
        world.city,
        name="修订",
        rules=new_rules(suggestion=5),
        by=world["affairs"],
        recompute_years=[LAST],
    )
    assert sorted(o.year for o in outcomes) == [LAST, YEAR]
    assert scores(LAST)["deputy"].total == 10 and scores(LAST)["deputy"].rule_table == table


@pytest.mark.parametrize("username", ["deputy", "county_affairs", "edu_clerk", "nobody"])
def test_only_the_congress_office_changes_or_recomputes(world, username):
    with pytest.raises(Forbidden):
        change_rule_table(world.city, name="x", rules=DEFAULT_RULES, by=world[username])
    with pytest.raises(Forbidden):
        recompute_scores(world.city, YEAR, by=world[username])
    with pytest.raises(Forbidden):
        request_recompute(world.city, YEAR, by=world[username])
    assert not YearScoring.objects.exists()


def test_a_bad_table_changes_nothing(world):
    ensure_rule_table(world.city)
    bad = new_rules()
    bad["points"]["leave"] = 2
    with pytest.raises(InvalidInput) as info:
        change_rule_table(world.city, name="坏表", rules=bad, by=world["affairs"])
    assert info.value.detail.startswith("points.leave:")
    assert ScoreRuleTable.objects.count() == 1 and ScoreRuleTable.objects.get().current
    assert not YearScoring.objects.exists()


@pytest.mark.parametrize(
    ("name", "field"), [("", "name"), ("   ", "name"), ("x" * 101, "name"), ("a\x00b", "name")]
)
def test_a_table_needs_a_proper_name(world, name, field):
    with pytest.raises(InvalidInput) as info:
        change_rule_table(world.city, name=name, rules=DEFAULT_RULES, by=world["affairs"])
    assert info.value.detail.startswith(f"{field}:")


@pytest.mark.parametrize("value", [YEAR + 1, 1989, "abc", "", None, True, "2026.5"])
def test_years_are_checked(world, value):
    with pytest.raises(InvalidInput):
        clean_year(value)
    with pytest.raises(InvalidInput):
        request_recompute(world.city, value, by=world["affairs"])


def test_the_current_year_is_scored_live_before_any_computation(world):
    """Before the office's first computation, a deputy's current year is computed on the fly
    (not stored); a past year never computed has no score."""
    deputy = deputyship_of(world, "deputy")
    add_records(deputy, "report_back", 1, year=YEAR)
    view = score_view(deputy, YEAR, today=timezone.localdate())
    assert view is not None and view.live and view.total == 10
    assert not DeputyScore.objects.exists()
    assert "report_back" not in [m.kind for m in view.missing]
    assert "training" in [m.kind for m in view.missing]
    assert "other" not in [m.kind for m in view.missing]
    assert view.next_grade == ("fair", Decimal("50.00"))
    assert score_view(deputy, LAST, today=timezone.localdate()) is None
    recompute_scores(world.city, YEAR, by=world["affairs"])
    add_records(deputy, "training", 1, year=YEAR)  # after the computation: counted next time
    stored = score_view(deputy, YEAR, today=timezone.localdate())
    assert stored is not None and not stored.live and stored.total == 10


@pytest.fixture
def big(settings):
    """A congress counts as big above DEPUTY_SCORE_INLINE_MAX deputies: recomputed by the
    worker."""
    settings.DEPUTY_SCORE_INLINE_MAX = 2


def test_a_big_congress_is_recomputed_by_the_worker(world, big, django_capture_on_commit_callbacks):
    add_records(deputyship_of(world, "deputy"), "session", 1, year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = request_recompute(world.city, YEAR, by=world["affairs"])
    assert outcome.queued and outcome.scoring is None
    assert not YearScoring.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {
        "congress_id": world.city.pk,
        "year": YEAR,
        "by_id": world["affairs"].pk,
    }
    assert pending_recomputes(world.city, YEAR) == [queued]
    assert pending_recomputes(world.city, LAST) == []
    assert pending_recomputes(world.county) == []
    result = recompute_scores_task.call(
        congress_id=world.city.pk, year=YEAR, by_id=world["affairs"].pk
    )
    scoring = YearScoring.objects.get()
    assert result == {"scoring": scoring.pk, "deputies": 3}
    assert scoring.computed_by == world["affairs"]
    assert scores()["deputy"].total == 20


def test_the_task_rechecks_the_person_and_the_congress(world):
    assert recompute_scores_task.call(congress_id=999_999, year=YEAR, by_id=None) == {
        "skipped": "no such congress"
    }
    world["affairs"].is_active = False
    world["affairs"].save()
    out = recompute_scores_task.call(
        congress_id=world.city.pk, year=YEAR, by_id=world["affairs"].pk
    )
    assert "skipped" in out
    with pytest.raises(Forbidden):
        recompute_scores_task.call(congress_id=world.city.pk, year=YEAR, by_id=world["deputy"].pk)
    assert not YearScoring.objects.exists()


def test_a_table_change_in_a_big_congress_queues_the_recompute(
    world, big, django_capture_on_commit_callbacks
):
    ensure_rule_table(world.city)
    with django_capture_on_commit_callbacks(execute=True):
        table, outcomes = change_rule_table(
            world.city, name="新表", rules=new_rules(), by=world["affairs"]
        )
    assert [o.queued for o in outcomes] == [True]
    assert ScoreRuleTable.objects.get(current=True) == table
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_computes_a_queued_recompute(world, settings):
    """Through the real queue and the real db_worker (transactional: the worker needs the
    committed rows)."""
    from renda.notifications.tests.test_delivery import run_worker

    settings.DEPUTY_SCORE_INLINE_MAX = 0
    add_records(deputyship_of(world, "deputy"), "training", 1, year=YEAR)
    outcome = request_recompute(world.city, YEAR, by=world["affairs"])
    assert outcome.queued
    assert DBTaskResult.objects.get().status == "READY"
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert YearScoring.objects.get().deputies == 3
    assert scores()["deputy"].total == 5


def test_the_nightly_command_recomputes_as_the_platform(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    add_records(deputyship_of(world, "deputy"), "motion", 1, year=YEAR)
    out = StringIO()
    call_command("recompute_scores", stdout=out)
    assert "330300" in out.getvalue() and "3 deputies" in out.getvalue()
    scoring = YearScoring.objects.get()
    assert scoring.computed_by is None and scores()["deputy"].total == 5
    with pytest.raises(CommandError):
        call_command("recompute_scores", "--year", str(YEAR + 1))
    with pytest.raises(CommandError):
        call_command("recompute_scores", "--congress", "999999")


def test_asking_twice_while_one_waits_queues_once(world, big, django_capture_on_commit_callbacks):
    """Two offices (or a double click) asking for the same congress-year while one recompute
    still waits in the queue: one task, and both are told it is being computed."""
    with django_capture_on_commit_callbacks(execute=True):
        first = request_recompute(world.city, YEAR, by=world["affairs"])
    with django_capture_on_commit_callbacks(execute=True):
        second = request_recompute(world.city, YEAR, by=world["admin"])
    assert first.queued and second.queued
    assert DBTaskResult.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute(world.city, LAST, by=world["affairs"])  # another year: its own task
    assert DBTaskResult.objects.count() == 2
    DBTaskResult.objects.update(status="RUNNING")  # already reading: a new request queues again
    with django_capture_on_commit_callbacks(execute=True):
        request_recompute(world.city, YEAR, by=world["affairs"])
    assert DBTaskResult.objects.count() == 3


def test_published_score_is_the_stored_total_and_grade_only(world):
    """DEP-PUBLIC: performance is published — the stored total and grade of a year; nothing
    for a year not computed (a live provisional score is never published)."""
    from renda.deputies.queries_scoring import published_score

    deputy = deputyship_of(world, "deputy")
    add_records(deputy, "session", 1, year=YEAR)
    assert published_score(deputy, YEAR) is None
    recompute_scores(world.city, YEAR, by=world["affairs"])
    published = published_score(deputy, YEAR)
    assert (published.total, published.grade) == (20, "poor")
    assert published.get_deferred_fields() >= {"by_kind"}
