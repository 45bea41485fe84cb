"""Nothing is lost (issue 5, "Must hold"): a submission that got a tracking code was stored
durably before the answer was sent. The real server (granian through `python -m renda.serve`, as
scripts/serve and bench/http_bench.py start it, and gunicorn with renda/gunicorn_conf.py, the
alternative scripts/serve offers) runs on 127.0.0.1 with a throwaway data
directory; a SECOND process fires submissions and writes down every tracking code it was
acknowledged; mid-load the whole server is killed with SIGKILL (no graceful shutdown, no
chance to flush anything); then every acknowledged code must be found in the database.

SQLite by default; when the suite runs on PostgreSQL (DATABASE_URL) the server uses a throwaway
database on that server instead. Bounded: at most MAX_REQUESTS requests and MAX_SECONDS.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
MAX_REQUESTS = 5000
MAX_SECONDS = 30
KILL_AFTER_ACKS = 60

# The second process: keep-alive connections in threads, each writes its acknowledged codes
# (one line each, flushed) before sending the next request.
CLIENT = r"""
import http.client, json, sys, threading, time
port, out_path, max_requests, max_seconds, category = (
    int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
lock = threading.Lock()
sent = [0]
end = time.monotonic() + max_seconds
out = open(out_path, "a", buffering=1)
def run(n):
    conn = None
    while time.monotonic() < end:
        with lock:
            if sent[0] >= max_requests:
                return
            sent[0] += 1
            i = sent[0]
        body = json.dumps({"category": category, "text": f"durability {n}-{i}",
                           "anonymous": True, "publish_consent": False})
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/api/v1/opinions", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
        except Exception:
            conn = None
            time.sleep(0.05)
            continue
        if resp.status == 201:
            with lock:
                out.write(json.loads(data)["tracking_code"] + "\n")
threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
for t in threads: t.start()
for t in threads: t.join()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _manage(env: dict[str, str], *argv: str) -> str:
    proc = subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@contextlib.contextmanager
def _database(data_dir: Path) -> Any:
    """(DATABASE_URL or "", a function that returns the stored tracking codes)."""
    url = os.environ.get("DATABASE_URL", "")  # the PostgreSQL pass of `make test` sets it
    if not url.startswith("postgres"):
        path = data_dir / "renda.sqlite3"

        def codes() -> set[str]:
            with contextlib.closing(sqlite3.connect(path)) as db:
                return {r[0] for r in db.execute("SELECT tracking_code FROM opinions_opinion")}

        yield "", codes
        return
    import psycopg

    name = f"renda_durable_{os.getpid()}"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    server_url = urlunsplit(parts._replace(path=f"/{name}"))

    def pg_codes() -> set[str]:
        with psycopg.connect(server_url) as conn:
            return {r[0] for r in conn.execute("SELECT tracking_code FROM opinions_opinion")}

    try:
        yield server_url, pg_codes
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SERVERS = {
    "granian": [str(BIN / "python"), "-m", "renda.serve"],
    "gunicorn": [str(BIN / "gunicorn"), "renda.wsgi:application", "-c", "renda/gunicorn_conf.py"],
}


@pytest.mark.parametrize("server_name", sorted(SERVERS))
def test_every_acknowledged_opinion_survives_a_sigkill_of_the_server_mid_load(
    server_name: str,
) -> None:
    command = SERVERS[server_name]
    assert Path(command[0]).exists(), f"{command[0]} is not installed"
    with (
        tempfile.TemporaryDirectory(prefix="renda-durable-") as tmp,
        _database(Path(tmp)) as (
            database_url,
            stored_codes,
        ),
    ):
        data_dir = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        for name in ("RENDA_ENV", "DATABASE_URL", "REDIS_URL", "RENDA_SECRET_KEY"):
            env.pop(name, None)
        port = _free_port()
        env.update(
            RENDA_DATA_DIR=str(data_dir),
            RENDA_DEBUG="0",
            RENDA_WORKERS="2",
            RENDA_THREADS="4",
            RENDA_BIND=HOST,
            PORT=str(port),
            RENDA_OPINION_SUBMIT_LIMITS="1000000/60",
            RENDA_OPINION_PHONE_LIMITS="1000000/60",
            PYTHONUNBUFFERED="1",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        _manage(env, "migrate", "--noinput", "-v", "0")
        category = int(
            _manage(
                env,
                "shell",
                "-c",
                "from renda.orgs.models import Congress\n"
                "from renda.opinions.models import OpinionCategory\n"
                "Congress.objects.create(name='示范市人民代表大会', level='city',"
                " region_name='示范市', division_code='330300')\n"
                "print(OpinionCategory.objects.filter(parent=None).first().pk)",
            ).split()[-1]
        )
        log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        acks = data_dir / "acks.txt"
        acks.touch()
        client = None
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert server.poll() is None, (data_dir / "server.log").read_text()
                with contextlib.suppress(OSError), socket.create_connection((HOST, port), 1):
                    break
                time.sleep(0.2)
            else:
                pytest.fail("the server did not start: " + (data_dir / "server.log").read_text())
            client = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    CLIENT,
                    str(port),
                    str(acks),
                    str(MAX_REQUESTS),
                    str(MAX_SECONDS),
                    str(category),
                ],
                env=env,
            )
            deadline = time.monotonic() + MAX_SECONDS
            while time.monotonic() < deadline and client.poll() is None:
                if len(acks.read_text().split()) >= KILL_AFTER_ACKS:
                    break
                time.sleep(0.05)
            # Mid-load: the whole server (master and workers) dies at once.
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
            client.wait(timeout=MAX_SECONDS + 10)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(server.pid, signal.SIGKILL)
            if client is not None and client.poll() is None:
                client.kill()
                client.wait(timeout=10)
            log.close()
        acknowledged = set(acks.read_text().split())
        assert len(acknowledged) >= KILL_AFTER_ACKS // 2, "the load did not get going"
        stored = stored_codes()
        missing = acknowledged - stored
        assert not missing, f"{len(missing)} acknowledged opinions lost: {sorted(missing)[:5]}"
        print(json.dumps({"acknowledged": len(acknowledged), "stored": len(stored)}))
