"""The web server of `make run` and production: granian (its HTTP in Rust) serving Django's WSGI
application in worker processes, each with a pool of threads.

`python -m renda.serve` (scripts/serve runs it beside the task worker). The application and the
word segmenter's dictionary are loaded here, once, before the workers are forked: they start warm
and share that memory (copy-on-write). No database connection is left open to be inherited.

Settings (environment): RENDA_BIND (127.0.0.1) and PORT (8000); RENDA_WORKERS (cores + 1) and
RENDA_THREADS (4 per worker); RENDA_WORKER_MAX_RSS (MiB, 600: a worker that grows past it is
replaced, a guard against slow leaks); RENDA_ACCESS_LOG (any value but 0: log every request).

Why granian rather than gunicorn: the same application, the same workers and threads, took a
tenth to a fifth less server CPU per citizen's submission and answered 5–20 % more of them a
second (docs/performance.md, "Fourth round").
"""

from __future__ import annotations

import logging
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


class QuietAdvice(logging.Filter):
    """Drops granian's two start-up advisories that hold for every server of ours: 3 workers on
    2 cores (measured: docs/performance.md, "Fourth round") and the kernel's
    `tcp_migrate_req` (it matters only while a worker is being replaced). Anything else passes."""

    ADVICE = ("net.ipv4.tcp_migrate_req", "higher than the amount of CPU cores")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(advice in message for advice in self.ADVICE)


LOGGING = {
    "filters": {"quiet_advice": {"()": "renda.serve.QuietAdvice"}},
    "loggers": {
        "_granian": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["quiet_advice"],
        },
        "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def options() -> dict[str, object]:
    """The server's settings, from the environment (see the module's docstring)."""
    from granian.constants import Interfaces
    from granian.log import LogLevels

    return {
        "address": os.environ.get("RENDA_BIND", "127.0.0.1"),
        "port": _int("PORT", 8000),
        "interface": Interfaces.WSGI,
        "workers": _int("RENDA_WORKERS", multiprocessing.cpu_count() + 1),
        "blocking_threads": _int("RENDA_THREADS", 4),
        "respawn_failed_workers": True,
        "workers_max_rss": _int("RENDA_WORKER_MAX_RSS", 600),
        "workers_kill_timeout": 20,
        "log_level": LogLevels.warning,
        "log_dictconfig": LOGGING,
        "log_access": os.environ.get("RENDA_ACCESS_LOG", "") not in ("", "0"),
    }


def preload() -> None:
    """Load the application and the segmenter's dictionary in this (the parent) process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    from django.db import connections

    import renda.wsgi  # noqa: F401 - django.setup() and the application, once for every worker
    from renda.search.segment import warm_up

    warm_up()
    connections.close_all()


def main() -> None:
    from granian import Granian

    preload()
    Granian("renda.wsgi:application", **options()).serve()  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
