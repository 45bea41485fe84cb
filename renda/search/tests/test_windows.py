"""Ranking a very common word on PostgreSQL (docs/search.md, "Ranking a common word"): the
newest RANK_WINDOW matches are read as id windows, and the hits are exactly those of the whole
query — whatever the planner's count, too high, too low or nothing at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from renda.search import queries
from renda.search.models import SearchDocument

pytestmark = pytest.mark.django_db

COMMON = "'常见'"  # the match expression of the word 常见


@pytest.fixture
def documents() -> list[int]:
    """300 suggestions' index rows; 常见 in four of every five, in the title of some (ranked
    higher) and once or twice in the text of the others, so the scores differ and tie."""
    if connection.vendor != "postgresql":
        pytest.skip("the id windows are PostgreSQL's (SQLite ranks every match with FTS5)")
    rows = []
    for i in range(1, 301):
        if i % 5 == 0:
            title, body = "道路 维修", "路面 破损"
        elif i % 7 == 0:
            title, body = "常见 问题", "常见 常见 说明"
        else:
            title, body = "其他 事项", "常见" if i % 2 else "常见 常见"
        rows.append(
            SearchDocument(
                kind="suggestion",
                object_id=i,
                congress_id=1 + i % 2,
                title_words=title,
                body_words=body,
            )
        )
    SearchDocument.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")  # the planner's count of 常见
    return [r.object_id for r in rows]


@pytest.fixture
def small_window(monkeypatch: Any) -> list[bool]:
    """RANK_WINDOW 20 (from 40 expected matches), and which queries ran as windows."""
    monkeypatch.setattr(queries, "RANK_WINDOW", 20)
    monkeypatch.setattr(queries, "WINDOW_FROM", 40)
    calls: list[bool] = []
    real = queries._window_rows

    def recorded(*args: Any, window: bool) -> Any:
        calls.append(window)
        return real(*args, window=window)

    monkeypatch.setattr(queries, "_window_rows", recorded)
    return calls


def _whole(limit: int, congress: int | None = None, since: int | None = None) -> list[Any]:
    return queries._window_rows("suggestion", COMMON, limit, congress, since, window=False)[0]


@pytest.mark.parametrize("limit", [1, 5, 20, 50])
def test_a_common_word_is_read_as_a_window_with_the_whole_querys_hits(
    documents: list[int], small_window: list[bool], limit: int
) -> None:
    expected = _whole(limit)
    small_window.clear()
    assert queries._top("suggestion", COMMON, limit) == expected
    assert small_window == [True]  # one window held the newest 20 matches
    # The newest 20 matches only: the oldest never compete.
    assert min(pk for pk, _s in expected) > 250


def test_a_planner_count_too_high_takes_a_second_wider_window(
    documents: list[int], small_window: list[bool], monkeypatch: Any
) -> None:
    expected = _whole(10)
    small_window.clear()
    real = queries._expected_matches
    monkeypatch.setattr(queries, "_expected_matches", lambda kind, match: real(kind, match) * 4)
    assert queries._top("suggestion", COMMON, 10) == expected
    assert small_window == [True, True]


def test_windows_that_fall_short_give_way_to_the_whole_query(
    documents: list[int], small_window: list[bool], monkeypatch: Any
) -> None:
    """A count wildly too high: the first window holds none (a word absent from the newest
    ids), or both windows fall short — the whole query then, never fewer hits."""
    expected = _whole(10)
    small_window.clear()
    monkeypatch.setattr(queries, "_expected_matches", lambda kind, match: 1_000_000.0)
    assert queries._top("suggestion", COMMON, 10) == expected
    assert small_window == [True, False]
    small_window.clear()
    only_old = "'道路' & '维修'"
    monkeypatch.setattr(queries, "_expected_matches", lambda kind, match: 200.0)
    SearchDocument.objects.filter(object_id__gt=200, title_words="道路 维修").delete()
    newest = sorted(range(5, 201, 5), reverse=True)[:20]  # the newest RANK_WINDOW of 40
    assert [pk for pk, _s in queries._top("suggestion", only_old, 100)] == newest
    assert small_window == [True, False]


def test_a_rare_word_and_a_window_as_wide_as_half_the_ids_run_whole(
    documents: list[int], small_window: list[bool], monkeypatch: Any
) -> None:
    rare = [i for i in range(300, 0, -1) if i % 7 == 0 and i % 5 != 0]  # 问题: 35 matches
    assert [pk for pk, _s in queries._top("suggestion", "'问题'", 100)] == rare[:20]
    assert small_window == [False]
    small_window.clear()
    assert queries._top("suggestion", "'没有'", 10) == []
    assert small_window == [False]
    # 50 expected: 20 of them would need more than half the 300 ids.
    monkeypatch.setattr(queries, "_expected_matches", lambda kind, match: 50.0)
    small_window.clear()
    assert queries._top("suggestion", COMMON, 10) == _whole(10)
    assert small_window == [False, False]


def test_a_congress_and_a_lower_bound_are_kept_in_the_windows(
    documents: list[int], small_window: list[bool]
) -> None:
    expected = _whole(10, congress=1)
    assert all(pk % 2 == 0 for pk, _s in expected)
    assert queries._top("suggestion", COMMON, 10, congress=1) == expected
    since = 280
    assert queries._top("suggestion", COMMON, 10, since=since) == _whole(10, since=since)
    assert all(pk >= since for pk, _s in queries._top("suggestion", COMMON, 50, since=since))


def _unit_and_personal(units: range, personal: list[int]) -> queries.Own:
    """Unit 7's own: the rows of `units` marked as its (the index rows' units, search migration
    0005, written here by hand: these rows have no suggestions), and `personal` ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_document SET units = '{7}' WHERE object_id BETWEEN %s AND %s",
            [units.start, units.stop - 1],
        )
    rows = SearchDocument.objects.filter(kind="suggestion").order_by()
    return queries.Own(
        frozenset({7}),
        rows.extra(where=["7 = ANY(units)"]).values("object_id"),
        rows.filter(object_id__in=personal).values("object_id"),
    )


@pytest.mark.parametrize("share", [0.0, 2.0])  # the unit's ids one by one / the index's units
def test_a_busy_units_newest_matches_either_way(
    documents: list[int], small_window: list[bool], monkeypatch: Any, share: float
) -> None:
    """A busy unit's matches (`_top_among`): a word in most records is looked for in the unit's
    own ids newest first (AMONG_FIRST_SHARE), a rarer one by the units in the index (and its
    personal ones id by id); either way the newest RANK_WINDOW of the unit's matches are
    ranked, and nothing else."""
    monkeypatch.setattr(queries, "AMONG_FIRST_SHARE", share)
    among = _unit_and_personal(range(60, 201), [30, *range(31, 60), 150, 155, 250])
    own = set(range(30, 201)) | {250}
    newest = sorted((i for i in own if i % 5), reverse=True)[:20]
    assert {pk for pk, _s in queries._top("suggestion", COMMON, 20, among=among)} == set(newest)
    best = queries._top("suggestion", COMMON, 5, among=among)
    assert [s for _pk, s in best] == sorted((s for _pk, s in best), reverse=True)
    assert {pk for pk, _s in best} <= set(newest)
    roads = sorted((i for i in own if i % 5 == 0), reverse=True)[:20]  # 道路: the newest 20
    assert {pk for pk, _s in queries._top("suggestion", "'道路'", 50, among=among)} == set(roads)
    # The same scores as ranking the whole query, for every hit.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, ts_rank(tsv, to_tsquery('simple', %s)) FROM search_document",
            [COMMON],
        )
        scores = {pk: float(score) for pk, score in cursor.fetchall()}
    for pk, score in queries._top("suggestion", COMMON, 20, among=among):
        assert score == scores[pk]


def test_a_busy_unit_with_no_personal_ones(documents: list[int], small_window: list[bool]) -> None:
    """No suggestion of its own as a deputy (most units' staff): the units alone."""
    among = _unit_and_personal(range(100, 161), [])
    roads = set(range(100, 161, 5))
    assert {pk for pk, _s in queries._top("suggestion", "'道路'", 50, among=among)} == roads
    assert queries._top("suggestion", "'没有'", 50, among=among) == []


def test_a_deputys_short_list_is_looked_up_id_by_id_with_the_same_hits(world: Any) -> None:
    """The narrow way on PostgreSQL (`_ranked(listed=True)`): a deputy's own suggestions taken
    first, each looked up — the same hits, scores and count as matching first."""
    from renda.search.segment import query_words
    from renda.suggestions.queries import suggestions_visible_to

    from .builders import registered

    if connection.vendor != "postgresql":
        pytest.skip("the listed lookup is PostgreSQL's")
    for i in range(6):
        registered(world, f"关于农村饮水安全第{i}项的建议", "农村 饮水 安全。" * (i + 1))
    registered(world, "关于城区停车的建议", "停车难。")
    registered(world, "关于农村饮水安全的建议", "别人的。", deputy="deputy2")
    mine = suggestions_visible_to(world["deputy"])
    for q in ("农村 饮水 安全", "停车", "没有的词"):
        match = queries.match_expression(query_words(q))
        for limit in (1, 3, 20):
            listed = queries._ranked("suggestion", match, mine, limit, listed=True)
            assert listed == queries._ranked("suggestion", match, mine, limit), (q, limit)
    rows, total = queries._ranked(
        "suggestion", queries.match_expression(["农村"]), mine, 20, listed=True
    )
    assert total == 6 and len(rows) == 6
    assert [s for _pk, s in rows] == sorted((s for _pk, s in rows), reverse=True)
