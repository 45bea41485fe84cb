"""The web server's settings (renda/serve.py) come from the environment the README lists; the
server itself is started for real by renda/opinions/tests/test_receiving_durability.py."""

from __future__ import annotations

import multiprocessing

import pytest
from granian.constants import Interfaces

from renda import serve


def test_defaults_serve_wsgi_on_localhost_with_cores_plus_one_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("RENDA_BIND", "PORT", "RENDA_WORKERS", "RENDA_THREADS", "RENDA_WORKER_MAX_RSS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("RENDA_ACCESS_LOG", raising=False)
    opts = serve.options()
    assert opts["interface"] == Interfaces.WSGI
    assert (opts["address"], opts["port"]) == ("127.0.0.1", 8000)
    assert opts["workers"] == multiprocessing.cpu_count() + 1
    assert opts["blocking_threads"] == 4
    assert opts["workers_max_rss"] == 600
    assert opts["respawn_failed_workers"] is True
    assert opts["log_access"] is False


def test_the_environment_sets_address_workers_threads_memory_guard_and_access_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RENDA_BIND", "0.0.0.0")  # noqa: S104 - the value under test
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("RENDA_WORKERS", "2")
    monkeypatch.setenv("RENDA_THREADS", "6")
    monkeypatch.setenv("RENDA_WORKER_MAX_RSS", "400")
    monkeypatch.setenv("RENDA_ACCESS_LOG", "1")
    opts = serve.options()
    assert (opts["address"], opts["port"]) == ("0.0.0.0", 8123)  # noqa: S104
    assert (opts["workers"], opts["blocking_threads"]) == (2, 6)
    assert opts["workers_max_rss"] == 400
    assert opts["log_access"] is True


def test_a_number_that_is_not_one_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENDA_WORKERS", "many")
    with pytest.raises(SystemExit, match="RENDA_WORKERS"):
        serve.options()


def test_only_the_two_known_start_up_advisories_are_dropped() -> None:
    import logging

    quiet = serve.QuietAdvice()

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("_granian", logging.WARNING, __file__, 1, message, None, None)

    assert not quiet.filter(record("... the net.ipv4.tcp_migrate_req sysctl is not enabled ..."))
    assert not quiet.filter(record("workers appears to be higher than the amount of CPU cores"))
    assert quiet.filter(record("Worker-1 died unexpectedly"))
