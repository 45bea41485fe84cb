"""Every kind at once (docs/search.md, "Every kind at once"): on PostgreSQL, outside a
transaction, a search's kinds run side by side on connections of their own, and find exactly
what they find one after another; inside a transaction and on SQLite they run one by one.

Transactional tests: the data is committed, as a request's is, so that other connections see it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from renda.search import fanout, queries
from renda.search.queries import search

from .builders import answered, opinion, registered

pytestmark = pytest.mark.django_db(transaction=True)


def backend() -> tuple[int, int]:
    """The calling thread and its connection's server process (SQLite: the thread twice)."""
    if connection.vendor != "postgresql":
        return threading.get_ident(), threading.get_ident()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return threading.get_ident(), int(cursor.fetchone()[0])


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("side by side on PostgreSQL only (SQLite: one by one, tested below)")


def test_side_by_side_each_call_on_its_own_connection_at_once() -> None:
    postgresql_only()
    together = threading.Barrier(2, timeout=10)  # one by one, the first would wait alone

    def call() -> tuple[int, int]:
        together.wait()
        return backend()

    first, second = fanout.run_all([call, call])
    assert first[0] == threading.get_ident()  # the first in the request's own thread
    assert second[0] != first[0] and second[1] != first[1]


def test_one_by_one_inside_a_transaction() -> None:
    with transaction.atomic():
        assert not fanout.side_by_side()
        first, second = fanout.run_all([backend, backend])
    assert first == second == backend()


def test_one_by_one_on_sqlite_or_with_one_thread() -> None:
    with override_settings(SEARCH_THREADS=1):
        assert not fanout.side_by_side()
        first, second = fanout.run_all([backend, backend])
        assert first == second
    if connection.vendor == "sqlite":
        assert not fanout.side_by_side()


def test_an_error_of_a_call_is_raised_once_no_call_is_running() -> None:
    postgresql_only()
    running: set[str] = set()

    def fails() -> None:
        raise ValueError("bad")

    def slow() -> str:
        running.add("slow")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.2)")
        running.discard("slow")
        return "slow"

    for calls in ([fails, slow], [slow, fails]):  # the error in this thread, then in the pool's
        with pytest.raises(ValueError, match="bad"):
            fanout.run_all(calls)
        assert not running
    assert fanout.run_all([lambda: 1, lambda: 2]) == [1, 2]  # the pool works on


def test_a_call_the_busy_pool_has_not_started_runs_in_this_thread() -> None:
    """Under load (the pool's threads busy with other requests' reads) a request does not wait
    for them: what the pool has not started, it runs itself."""
    postgresql_only()
    pool = fanout._executor()
    release = threading.Event()
    busy = [pool.submit(release.wait, 10) for _ in range(pool._max_workers)]
    try:
        first, second = fanout.run_all([backend, backend])
        assert first == second == backend()
    finally:
        release.set()
        for future in busy:
            future.result()


def test_close_closes_the_pools_connections() -> None:
    postgresql_only()

    def ours() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])

    fanout.run_all([backend, backend])
    before = ours()
    fanout.close()
    assert ours() < before
    assert fanout.run_all([lambda: 1, lambda: 2]) == [1, 2]  # a new pool on the next use


def _everything(results: Any) -> tuple[Any, ...]:
    return (
        [(h.kind, h.id, h.title, h.snippet) for h in results.hits],
        results.total,
        results.total_capped,
    )


@pytest.mark.parametrize("user", ["affairs", "deputy", "edu_clerk", "station", "nobody"])
def test_side_by_side_finds_what_one_by_one_finds(world: Any, user: str) -> None:
    """Every role, every kind: the same hits, snippets and totals either way."""
    answered(world, "关于校车安全的建议", "已为全市校车加装定位设备。")
    answered(world, "关于校车线路的建议", "校车线路已调整。", public=False)
    registered(world, "关于校车接送的建议", "上下学接送拥堵。", deputy="deputy2")
    opinion(world, "希望加强校车安全检查。")
    who = world[user]
    side = search(who, "校车")
    with override_settings(SEARCH_THREADS=1):
        one = search(who, "校车")
    assert _everything(side) == _everything(one)
    if user == "affairs":
        assert {h.kind for h in side.hits} == {"suggestion", "answer", "opinion"}


def test_side_by_side_a_total_past_the_cap(world: Any, monkeypatch: Any) -> None:
    """Side by side every kind is counted; the sum is capped as one by one."""
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    for i in range(2):
        answered(world, f"关于第{i}辆校车的建议", "已为校车加装定位设备。")
    side = search(world["affairs"], "校车")
    with override_settings(SEARCH_THREADS=1):
        one = search(world["affairs"], "校车")
    assert _everything(side) == _everything(one)
    assert side.total == 2 and side.total_capped


@pytest.mark.parametrize("cap", [3, 4])
def test_side_by_side_a_later_kind_is_counted_as_one_by_one(
    world: Any, monkeypatch: Any, cap: int
) -> None:
    """As one by one, a later kind is counted only when no earlier kind was capped: with 3
    matches of each kind and room for 3 candidates the suggestions are capped and the answers'
    third candidate is never checked; with room for 4 nothing is capped and every answer is
    checked (side by side: the first two, then, the suggestions not capped, the third)."""
    postgresql_only()
    monkeypatch.setattr(queries, "CANDIDATE_CAP", cap)
    monkeypatch.setattr(queries, "FIRST_CHECK", 1)
    for i in range(3):
        answered(world, f"关于第{i}辆校车的建议", "已为校车加装定位设备。")
    checked: dict[str, list[int]] = {"suggestion": [], "answer": [], "opinion": []}
    real = queries._allowed

    def spy(user: Any, kind: str, ids: list[int], filters: Any) -> set[int]:
        checked[kind].append(len(ids))
        return real(user, kind, ids, filters)

    monkeypatch.setattr(queries, "_allowed", spy)
    side = search(world["affairs"], "校车", per_page=1)
    side_checked = {k: list(v) for k, v in checked.items()}
    for v in checked.values():
        v.clear()
    with override_settings(SEARCH_THREADS=1):
        one = search(world["affairs"], "校车", per_page=1)
    assert _everything(side) == _everything(one)
    assert side_checked["suggestion"] == checked["suggestion"] == [3]
    if cap == 3:  # capped: the answers' best two checked, the hit found, no count
        assert side.total_capped
        assert side_checked["answer"] == checked["answer"] == [2]
    else:
        assert not side.total_capped and side.total == 6
        assert side_checked["answer"] == [2, 1] and checked["answer"] == [3]
