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
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("RENDA_ACCESS_LOG") or None
errorlog = "-"
loglevel = "warning"
