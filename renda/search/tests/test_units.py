"""Each suggestion's index row holds the units it is assigned to (PostgreSQL only, search
migration 0005; docs/search.md, "The database's full-text index"): kept by the database's triggers
through every way assignments and index rows are written, and equal to what a busy unit's
search reads them for — the assignments that are not returned."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from renda.orgs.models import HandlingUnit
from renda.search import index, queries
from renda.search.models import SearchDocument
from renda.suggestions.actions.assignment import assign, decide_return, request_return
from renda.suggestions.models import Assignment, Suggestion
from renda.suggestions.tests.assignment_builders import assignment_of

from .builders import registered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the units in the index are PostgreSQL's (SQLite hashes the unit's ids)")


def units_in_index(suggestion: Suggestion) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT units FROM search_document WHERE kind = 'suggestion' AND object_id = %s",
            [suggestion.pk],
        )
        return list(cursor.fetchone()[0])


def units_assigned(suggestion: Suggestion) -> list[int]:
    live = Assignment.objects.filter(suggestion=suggestion).exclude(state="returned")
    return sorted(set(live.values_list("unit_id", flat=True)))


def row_version(suggestion: Suggestion) -> str:
    """The index row's version (a new one for every write of the row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM search_document WHERE kind = 'suggestion' AND object_id = %s",
            [suggestion.pk],
        )
        return str(cursor.fetchone()[0])


def mismatches() -> int:
    """Index rows of suggestions whose units are not their assignments' (none, ever)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_document d WHERE d.kind = 'suggestion' AND d.units"
            " IS DISTINCT FROM ARRAY(SELECT DISTINCT a.unit_id FROM suggestions_assignment a"
            " WHERE a.suggestion_id = d.object_id AND a.state <> 'returned' ORDER BY 1)"
        )
        return int(cursor.fetchone()[0])


def test_assigning_returning_and_reassigning_keep_the_units(world: Any) -> None:
    police = HandlingUnit.objects.create(congress=world.city, name="市公安局", kind="government")
    s = registered(world, "关于学校周边道路拥堵的建议", "上下学时段道路拥堵。")
    assert units_in_index(s) == []
    assign(s, lead_units=[world.edu], co_units=[world.transport], by=world["affairs"])
    assert units_in_index(s) == sorted([world.edu.pk, world.transport.pk])
    # The education bureau asks to return it; approved, with the police as lead.
    req = request_return(assignment_of(s, world.edu), reason="非本单位职责", by=world["edu_clerk"])
    assert units_in_index(s) == sorted([world.edu.pk, world.transport.pk])  # not returned yet
    decide_return(req, approve=True, new_lead_units=[police.pk], by=world["affairs"])
    assert units_in_index(s) == sorted([world.transport.pk, police.pk]) == units_assigned(s)
    assert mismatches() == 0


def test_an_index_row_written_again_or_anew_keeps_the_units(world: Any) -> None:
    s = registered(world, "关于农村饮水安全的建议", "饮水安全。")
    assign(s, lead_units=[world.edu], co_units=[], by=world["affairs"])
    index.index(Suggestion.objects.get(pk=s.pk))  # the upsert of an edit: units untouched
    assert units_in_index(s) == [world.edu.pk]
    SearchDocument.objects.filter(kind="suggestion", object_id=s.pk).delete()
    call_command("rebuild_search_index", verbosity=0)  # a new row: units from the assignments
    assert units_in_index(s) == [world.edu.pk]
    assert mismatches() == 0


def test_a_rebuild_repairs_units_that_differ(world: Any) -> None:
    """Rows written behind the triggers' back (a restore, a hand edit): `rebuild_search_index`
    computes the units again; rows that agree are left alone."""
    s = registered(world, "关于社区养老服务的建议", "养老服务。")
    t = registered(world, "关于社区医疗服务的建议", "医疗服务。")
    assign(s, lead_units=[world.edu], co_units=[], by=world["affairs"])
    assign(t, lead_units=[world.transport], co_units=[], by=world["affairs"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_document SET units = '{999}' WHERE kind = 'suggestion'"
            " AND object_id = %s",
            [s.pk],
        )
    untouched = row_version(t)
    assert mismatches() == 1
    call_command("rebuild_search_index", verbosity=0)
    assert units_in_index(s) == [world.edu.pk] and mismatches() == 0
    assert row_version(t) == untouched


def test_statements_of_many_rows_keep_every_suggestions_units(world: Any) -> None:
    """Bulk writes (as seeding and imports do): one statement, every suggestion it touched."""
    ss = [registered(world, f"关于第{i}条道路维修的建议", "路面破损。") for i in range(4)]
    for s in ss:
        assign(s, lead_units=[world.edu], co_units=[], by=world["affairs"])
    extra = []
    for s in ss[:3]:
        a = s.assignments.get()  # a copy of the lead's assignment, for the transport bureau
        a.pk, a.unit, a.role = None, world.transport, "co"
        extra.append(a)
    Assignment.objects.bulk_create(extra)
    assert [units_in_index(s) for s in ss] == [units_assigned(s) for s in ss]
    assert units_in_index(ss[0]) == sorted([world.edu.pk, world.transport.pk])
    Assignment.objects.filter(suggestion__in=ss[:2], unit=world.edu).update(state="returned")
    assert units_in_index(ss[0]) == [world.transport.pk]
    assert units_in_index(ss[3]) == [world.edu.pk]
    Assignment.objects.filter(unit=world.transport).delete()
    assert [units_in_index(s) for s in ss] == [[], [], [world.edu.pk], [world.edu.pk]]
    # A unit moved from one suggestion to another: both rows change.
    a = Assignment.objects.get(suggestion=ss[3])
    Assignment.objects.filter(pk=a.pk).update(suggestion=ss[0])
    assert units_in_index(ss[0]) == [world.edu.pk] and units_in_index(ss[3]) == []
    assert mismatches() == 0


def test_a_state_change_that_keeps_the_units_writes_no_row_version(world: Any) -> None:
    """An answer's state change, a deadline moved: the units are the same, the row untouched
    (no new row version, no GIN update)."""
    s = registered(world, "关于公交站台遮阳棚的建议", "夏季暴晒。")
    assign(s, lead_units=[world.edu], co_units=[], by=world["affairs"])

    before = row_version(s)
    Assignment.objects.filter(suggestion=s).update(state="answered")
    assert row_version(s) == before
    Assignment.objects.filter(suggestion=s).update(state="returned")
    assert row_version(s) != before and units_in_index(s) == []


def test_a_busy_units_search_finds_what_its_assignments_say(
    world: Any, settings: Any, monkeypatch: Any
) -> None:
    """Through `search`: a busy unit (SEARCH_BUSY_UNIT 1) finds its live suggestions by the
    units in the index, the same hits as by its ids one by one, and not one it returned."""
    settings.SEARCH_BUSY_UNIT = 1
    mine = registered(world, "关于校园食堂安全的建议", "食堂 安全。")
    returned = registered(world, "关于校园操场安全的建议", "操场 安全。")
    other = registered(world, "关于道路照明安全的建议", "照明 安全。")
    assign(mine, lead_units=[world.edu], co_units=[], by=world["affairs"])
    assign(returned, lead_units=[world.edu], co_units=[], by=world["affairs"])
    assign(other, lead_units=[world.transport], co_units=[], by=world["affairs"])
    req = request_return(
        assignment_of(returned, world.edu), reason="非本单位", by=world["edu_clerk"]
    )
    decide_return(req, approve=True, new_lead_units=[world.transport.pk], by=world["affairs"])

    def hits() -> list[int]:
        results = queries.search(world["edu_clerk"], "安全", kind="suggestion")
        return [h.id for h in results.hits]

    monkeypatch.setattr(queries, "AMONG_FIRST_SHARE", 2.0)  # by the units in the index
    by_units = hits()
    monkeypatch.setattr(queries, "AMONG_FIRST_SHARE", 0.0)  # by the unit's ids one by one
    assert by_units == hits() == [mine.pk]


def test_the_units_are_an_index_condition(world: Any) -> None:
    """The GIN index ANDs the word's entries with the unit's: the other units' matches are
    never read from the table."""
    SearchDocument.objects.bulk_create(
        SearchDocument(
            kind="suggestion",
            object_id=i,
            congress_id=1,
            title_words="道路 维修" if i % 10 == 0 else "其他 事项",
        )
        for i in range(1, 2001)
    )
    with connection.cursor() as cursor:  # 20 units, by hand (these rows have no suggestions)
        cursor.execute("UPDATE search_document SET units = ARRAY[object_id % 20]")
        # The index's pending entries merged (as autovacuum does), the planner's counts made.
        cursor.execute("SELECT gin_clean_pending_list('search_document_tsv_suggestion_units')")
        cursor.execute("ANALYZE search_document")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_document d WHERE d.tsv @@ to_tsquery('simple', %s)"
            " AND d.kind = 'suggestion' AND d.units && %s::bigint[]",
            ["道路", [world.edu.pk]],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_tsv_suggestion_units" in plan, plan
    assert "units &&" in plan.split("Index Cond")[1], plan


@pytest.mark.django_db(transaction=True)
def test_the_migration_both_ways_keeps_the_search_and_fills_the_units(world: Any) -> None:
    """Back to 0004 (no column, no triggers, the words-and-ids index) and forward again: the
    rows there are get their units in the one rewrite of the table."""
    s = registered(world, "关于老旧小区加装电梯的建议", "加装电梯。")
    assign(s, lead_units=[world.edu], co_units=[world.transport], by=world["affairs"])
    call_command("migrate", "search", "0004", verbosity=0)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'search_document'"
                " AND indexname LIKE 'search_document_tsv_suggestion%%'"
            )
            assert [r[0] for r in cursor.fetchall()] == ["search_document_tsv_suggestion_ids"]
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'search_units%%'")
            assert cursor.fetchall() == []
        # Written while the triggers are gone: the migration forward fills it in.
        Assignment.objects.filter(suggestion=s, unit=world.transport).update(state="returned")
    finally:
        call_command("migrate", "search", verbosity=0)
    assert units_in_index(s) == [world.edu.pk] and mismatches() == 0
    assert {pk for pk, _s in queries._top("suggestion", "'电梯'", 10)} == {s.pk}
