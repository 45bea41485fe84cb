"""Reads of one request run side by side, each on its own database connection (search of every
kind at once: docs/search.md, "Every kind at once").

A search of every kind is a ranked query and a visibility check per kind, independent of one
another: on PostgreSQL they run at once, the first in the request's own thread and the others
in a small pool of threads kept by the worker process, each with its connection (kept open as
settings.CONN_MAX_AGE says, checked as a request would before each use). On 2 cores an office's
search of 养 for every kind took about the sum of its kinds; side by side, about the slowest. A
read the pool has not started when it is wanted (its threads busy with other requests') runs in
the request's thread: under load, one by one as before.

They run one after another where that is not safe or not useful:
- on SQLite (one file, one writer; its reads are fast and take the CPU of this process);
- inside a transaction (`atomic`): another connection would not see what it wrote, and
  the tests' transactions would hide their data from it;
- with settings.SEARCH_THREADS below 2 (RENDA_SEARCH_THREADS), or a single read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

from django.conf import settings
from django.db import close_old_connections, connection, connections

T = TypeVar("T")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def side_by_side() -> bool:
    """Whether reads may run on other connections now."""
    return (
        settings.SEARCH_THREADS > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )


def _executor() -> ThreadPoolExecutor:
    global _pool  # noqa: PLW0603 - one pool per process, made on first use (after any fork)
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.SEARCH_THREADS - 1, thread_name_prefix="renda-search"
            )
        return _pool


def _in_worker(call: Callable[[], T]) -> T:
    # As at the start and end of a request: a connection past its age, or broken, is replaced.
    close_old_connections()
    try:
        return call()
    finally:
        close_old_connections()


def run_all(calls: list[Callable[[], T]]) -> list[T]:
    """Each call's result, in order: side by side where `side_by_side()`, else one by one. A
    call the pool has not started by the time it is wanted (its threads busy with other
    requests' reads) runs in this thread instead: never later than one by one. An exception of
    a call is raised here once no call is left running."""
    if len(calls) < 2 or not side_by_side():
        return [call() for call in calls]
    futures = [_executor().submit(_in_worker, call) for call in calls[1:]]
    results: list[T] = []
    try:
        results.append(calls[0]())
        for call, future in zip(calls[1:], futures, strict=True):
            results.append(call() if future.cancel() else future.result())
    finally:
        for future in futures:
            future.cancel()
        wait(futures)
    return results


def close() -> None:
    """Close the pool's connections and the pool (tests: before the test database is dropped;
    nothing else needs it). Each thread of the pool is given one task that closes its own."""
    global _pool  # noqa: PLW0603
    with _lock:
        pool, _pool = _pool, None
    if pool is None:
        return
    threads = pool._max_workers  # noqa: SLF001 - the size it was made with
    barrier = threading.Barrier(threads)

    def close_own() -> None:
        barrier.wait(timeout=10)  # every thread holds one of these tasks: each closes its own
        connections.close_all()

    for f in [pool.submit(close_own) for _ in range(threads)]:
        f.result()
    pool.shutdown(wait=True)
