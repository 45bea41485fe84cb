"""Settings to try proposed performance changes with the real server, without editing the project.

    .venv/bin/python bench/http_bench.py --settings bench.tuned_settings
    BENCH_TUNE=conn .venv/bin/python bench/http_bench.py --settings bench.tuned_settings

BENCH_TUNE picks the changes (comma-separated; default: all of them):
- conn:    keep database connections open between requests (CONN_MAX_AGE) with a health check,
           instead of opening SQLite, running five PRAGMAs and closing it on every request;
- session: sessions read through the cache (cached_db) instead of one query per request.
Only the benchmark uses this module; docs/performance.md reports what each change gives.
"""

import os

from renda.settings import *  # noqa: F403
from renda.settings import DATABASES

_tune = {t.strip() for t in os.environ.get("BENCH_TUNE", "conn,session").split(",") if t.strip()}

if "conn" in _tune:
    DATABASES["default"]["CONN_MAX_AGE"] = (
        None if "sqlite" in DATABASES["default"]["ENGINE"] else 600
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if "session" in _tune:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
