"""gunicorn settings for `make run` and production; each one can be overridden by environment."""

import multiprocessing
import os

bind = f"{os.environ.get('RENDA_BIND', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("RENDA_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("RENDA_THREADS", "4"))
timeout = 60
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (a guard against slow leaks). Not too often: a
# new worker starts cold (imports, templates, its own cache of home pages), which at 5,000 cost
# the signed-in home page a third of its throughput under load (docs/performance.md).
max_requests = int(os.environ.get("RENDA_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("RENDA_ACCESS_LOG") or None
errorlog = "-"
loglevel = "warning"

# The application is loaded once, in the master, and the workers are forked from it: they share
# its memory (copy-on-write) and start warm, also when one is replaced after max_requests.
preload_app = True


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's hook
    """In the master, after the application loaded and before the workers fork: load the word
    segmenter's dictionary (renda.search.segment) so no citizen's first submission waits for it
    in each worker, and no worker keeps its own copy. No database connection is left open here
    to be inherited by the workers."""
    from django.db import connections

    from renda.search.segment import warm_up

    warm_up()
    connections.close_all()
