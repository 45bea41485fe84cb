#!/usr/bin/env python3
"""HTTP benchmark of the real production server (issue 2, point 9). Run by hand, not by pytest.

    .venv/bin/python bench/http_bench.py                    # or: make bench
    .venv/bin/python bench/http_bench.py --duration 10 --rounds 3
    .venv/bin/python bench/http_bench.py --sweep 2x1,3x1,3x4,5x2   # gunicorn workers x threads

What it does, in order:
1. makes a throwaway data directory (tempfile) and points RENDA_DATA_DIR at it, so ./var is never
   touched; runs `manage.py migrate` and `collectstatic`; seeds the demo (`seed_demo`, when that
   command exists) or else creates one deputy with `manage.py shell -c`;
2. starts the server exactly as `make run` does (scripts/serve: granian through renda/serve.py,
   or gunicorn with RENDA_SERVER=gunicorn; DEBUG off, whitenoise, plus the task worker) on a free
   port on 127.0.0.1, and waits for /healthz;
3. signs in through the real login form (CSRF token from the form, POST, keeps `sessionid`) and
   checks the home page is the signed-in page, DEBUG is off and static files are served;
4. for /healthz, /bare and / (signed in) runs a warm-up and then a fixed-duration measurement
   from a SECOND process: `wrk` (with a Lua script that sends the session cookie and counts every
   non-200 answer, and every home page without the signed-in marker, as an error) or, when wrk is
   absent or `--engine python`, keep-alive http.client connections in worker processes;
5. prints requests/s, p50/p95/p99 latency, errors, the home page's throughput as a ratio of the
   bare view's (goal >= 0.50), and the server's peak memory sampled from /proc during the run
   (RSS summed over gunicorn master + workers, the largest single worker, and PSS, which counts
   pages shared between forked workers once; goal: a worker under 300 MB);
6. stops the server and removes the data directory on exit, Ctrl-C included.

Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)
HOST = "127.0.0.1"
USERNAME = "deputy"
PASSWORD = os.environ.get("RENDA_DEMO_PASSWORD", "renda-demo-2026")
# Present only in the header of a signed-in page (base.html).
SIGNED_IN_MARKER = 'data-testid="current-user"'
PATHS = ["/healthz", "/bare", "/"]
RATIO_GOAL = 0.50
WORKER_RSS_GOAL_MB = 300.0


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _check_loopback(url: str, what: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit(f"{what} must point at 127.0.0.1 (got {host!r}): the benchmark stays local.")


def server_env(data_dir: Path, args: argparse.Namespace, workers: int, threads: int) -> dict:
    env = dict(os.environ)
    # Never the test settings, never a developer's database, never DEBUG.
    for name in ("RENDA_ENV", "PYTEST_VERSION", "DATABASE_URL", "REDIS_URL", "RENDA_SECRET_KEY"):
        env.pop(name, None)
    env.update(
        RENDA_DATA_DIR=str(data_dir),
        RENDA_DEBUG="0",
        RENDA_DEMO_PASSWORD=PASSWORD,
        RENDA_WORKERS=str(workers),
        RENDA_THREADS=str(threads),
        PYTHONUNBUFFERED="1",
    )
    env.pop("RENDA_ACCESS_LOG", None)  # an access log line per request would skew the figures
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.gunicorn_args:
        env["GUNICORN_CMD_ARGS"] = args.gunicorn_args
    if args.settings:
        env["DJANGO_SETTINGS_MODULE"] = args.settings
    else:
        env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict, *argv: str, quiet: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(PYTHON), "manage.py", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"manage.py {' '.join(argv)} failed with status {proc.returncode}")
    if not quiet:
        sys.stderr.write(proc.stdout)
    return proc


def has_command(name: str) -> bool:
    return any(ROOT.glob(f"renda/*/management/commands/{name}.py"))


FALLBACK_USER = textwrap.dedent(
    """
    from renda.accounts.models import RoleAssignment, User
    from renda.orgs.models import Congress

    congress, _ = Congress.objects.get_or_create(
        division_code="330300",
        defaults={"name": "Benchmark City People's Congress", "level": "city",
                  "region_name": "Benchmark City"},
    )
    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"full_name": "Bench Deputy"})
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role="deputy", congress=congress)
    """
)


def prepare_data(env: dict, use_seed: bool) -> str:
    log(f"data directory {env['RENDA_DATA_DIR']}: migrate, collectstatic")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if use_seed and has_command("seed_demo"):
        log("seed_demo (the demo congress, units and deputies)")
        t0 = time.monotonic()
        manage(env, "seed_demo")
        log(f"seed_demo took {time.monotonic() - t0:.1f} s")
        return "seed_demo"
    log("no seed_demo: creating one deputy with manage.py shell -c")
    code = f"USERNAME = {USERNAME!r}\nPASSWORD = {PASSWORD!r}\n" + FALLBACK_USER
    manage(env, "shell", "-c", code)
    return "one deputy (manage.py shell)"


class Server:
    """scripts/serve (what `make run` execs) in its own process group, so it stops as a whole."""

    def __init__(self, env: dict, port: int, log_path: Path) -> None:
        self.env = dict(env, PORT=str(port))
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        serve = ROOT / "scripts" / "serve"
        if serve.exists():
            cmd = [str(serve)]
        else:  # the same gunicorn line, should scripts/serve ever go away
            cmd = [
                str(PYTHON.parent / "gunicorn"),
                "renda.wsgi:application",
                "-c",
                "renda/gunicorn_conf.py",
            ]
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                status, _h, body = request(self.port, "GET", "/healthz", timeout=2)
                if status == 200 and b'"ok"' in body:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"/healthz did not answer within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def processes(self) -> dict[str, list[int]]:
        """gunicorn master + workers, and everything else under scripts/serve (the task worker)."""
        if self.proc is None:
            return {"gunicorn": [], "other": []}
        tree = descendants(self.proc.pid)
        gunicorn, other = [], []
        for pid in tree:
            cmd = cmdline(pid)
            if "gunicorn" in cmd or "renda.serve" in cmd:  # the web server (granian or gunicorn)
                gunicorn.append(pid)
            elif "python" in cmd or "db_worker" in cmd:
                other.append(pid)
        return {"gunicorn": gunicorn, "other": other}

    def processes_all(self) -> list[int]:
        return descendants(self.proc.pid) if self.proc is not None else []

    def stop(self) -> None:
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the group id is the child's own id
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=25)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        # Anything of ours left in the group (a worker still shutting down).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        self.proc = None
        with contextlib.suppress(Exception):
            self._log.close()


# --------------------------------------------------------------------------------------------
# /proc sampling
# --------------------------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                out += [
                    int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                ]
    except OSError:
        pass
    return out


def descendants(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += children_of(p)
    return seen


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _proc_cpu_ticks(pid: int | str) -> int:
    """utime + stime + cutime + cstime: the process and the children it has reaped."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = raw[raw.rindex(")") + 2 :].split()
    return sum(int(x) for x in fields[11:15])


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies over every CPU, from /proc/stat (the whole machine)."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return total - idle, total


class CpuWatch:
    """How busy the machine was with work that is neither the server nor the load generator.

    The machine may be shared (other builds, other tests): a run with much foreign load is
    not comparable, so every measurement says how much there was.
    """

    def __init__(self, server: Server) -> None:
        self.server = server

    def _server(self) -> int:
        return sum(_proc_cpu_ticks(p) for p in self.server.processes_all())

    def __enter__(self) -> CpuWatch:
        self.busy0, self.total0 = _machine_ticks()
        self.server0, self.self0 = self._server(), _proc_cpu_ticks("self")
        return self

    def __exit__(self, *exc: object) -> None:
        busy1, total1 = _machine_ticks()
        server = self._server() - self.server0
        ours = server + _proc_cpu_ticks("self") - self.self0
        total = max(1, total1 - self.total0)
        self.ours_pct = 100.0 * ours / total
        self.other_pct = max(0.0, 100.0 * ((busy1 - self.busy0) - ours) / total)
        # CPU time the server spent, in milliseconds: robust to other load on the machine.
        self.server_ms = 1000.0 * server / os.sysconf("SC_CLK_TCK")


@dataclass
class Memory:
    peak_rss_sum_mb: float = 0.0  # gunicorn master + workers, RSS summed
    peak_pss_sum_mb: float = 0.0  # the same, shared pages counted once
    peak_worker_rss_mb: float = 0.0  # the largest single gunicorn process
    peak_other_rss_mb: float = 0.0  # the task worker beside gunicorn
    processes: int = 0
    samples: int = 0


class MemorySampler(threading.Thread):
    def __init__(self, server: Server, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.mem = Memory()
        self._stop_event = threading.Event()

    def run(self) -> None:
        n = 0
        while not self._stop_event.is_set():
            procs = self.server.processes()
            rss = [rss_kb(p) for p in procs["gunicorn"]]
            m = self.mem
            m.peak_rss_sum_mb = max(m.peak_rss_sum_mb, sum(rss) / 1024)
            m.peak_worker_rss_mb = max(m.peak_worker_rss_mb, max(rss, default=0) / 1024)
            m.peak_other_rss_mb = max(
                m.peak_other_rss_mb, sum(rss_kb(p) for p in procs["other"]) / 1024
            )
            m.processes = max(m.processes, len(procs["gunicorn"]))
            if n % 4 == 0:  # smaps_rollup costs more; once a second is plenty
                pss = sum(pss_kb(p) for p in procs["gunicorn"]) / 1024
                m.peak_pss_sum_mb = max(m.peak_pss_sum_mb, pss)
            m.samples += 1
            n += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> Memory:
        self._stop_event.set()
        self.join(timeout=5)
        return self.mem


# --------------------------------------------------------------------------------------------
# Signing in
# --------------------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    headers: dict | None = None,
    body: bytes | None = None,
    timeout: float = 10,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def cookies_from(headers: http.client.HTTPMessage) -> dict[str, str]:
    out = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        out[name.strip()] = rest.split(";", 1)[0]
    return out


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form like a browser; return the Cookie header for later."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    if status != 200:
        raise SystemExit(f"GET /accounts/login/ answered {status}")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        raise SystemExit("no CSRF token in the login form")
    jar = cookies_from(headers)
    form = (
        f"csrfmiddlewaretoken={match.group(1).decode()}&username={username}"
        f"&password={password}&next=/"
    ).encode()
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
        body=form,
    )
    jar.update(cookies_from(headers))
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"sign-in as {username!r} failed (status {status}, cookies {list(jar)})")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items() if k in {"sessionid", "csrftoken"})
    # The first signed-in request passes the account gate and stores that in the session.
    status, headers, body = request(port, "GET", "/", headers={"Cookie": cookie})
    if status != 200 or SIGNED_IN_MARKER.encode() not in body:
        where = headers.get("Location", "")
        raise SystemExit(f"the home page is not the signed-in page (status {status} {where})")
    return cookie


def sanity_checks(port: int, cookie: str) -> dict:
    """DEBUG off, static files through whitenoise, the home page's size."""
    status, _h, body = request(port, "GET", "/no-such-page-for-the-benchmark")
    debug_off = status == 404 and b"URLconf" not in body and b"technical_404" not in body
    if not debug_off:
        raise SystemExit("DEBUG seems to be on (a debug 404 page): refusing to benchmark it")
    _s, _h, home = request(port, "GET", "/", headers={"Cookie": cookie})
    css = re.search(rb'href="(/static/[^"]+\.css)"', home)
    static_ok = False
    if css:
        status, headers, _b = request(port, "GET", css.group(1).decode())
        static_ok = status == 200 and "max-age" in (headers.get("Cache-Control") or "")
    if not static_ok:
        raise SystemExit("static files are not served with long cache headers (whitenoise?)")
    return {"debug_off": debug_off, "static_ok": static_ok, "home_bytes": len(home)}


# --------------------------------------------------------------------------------------------
# Load generators (each runs in processes of its own)
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    engine: str = ""
    cpu_ours_pct: float = 0.0  # server + load generator, % of all the machine's CPUs
    cpu_other_pct: float = 0.0  # everything else running on the machine meanwhile
    server_cpu_ms: float = 0.0  # CPU time the server spent per request (all its processes)
    notes: list[str] = field(default_factory=list)


WRK_LUA = """
-- Written by bench/http_bench.py: send the session cookie; every answer that is not 200, and
-- every page without the signed-in marker, counts as an error.
wrk.headers["Cookie"] = %(cookie)s
local marker = %(marker)s
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 or (marker ~= "" and not string.find(body, marker, 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"bad\\": %%d, " ..
    "\\"socket_errors\\": %%d, \\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d, \\"max\\": %%d}\\n",
    summary.requests, summary.duration, bad_total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(
    port: int,
    path: str,
    cookie: str,
    marker: str,
    seconds: float,
    connections: int,
    wrk_threads: int,
    workdir: Path,
) -> Result:
    script = workdir / "bench.lua"
    script.write_text(WRK_LUA % {"cookie": lua_string(cookie), "marker": lua_string(marker)})
    cmd = [
        "wrk",
        f"-t{wrk_threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{path}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(line[len("BENCH_JSON ") :])
    secs = data["duration_us"] / 1e6
    return Result(
        path=path,
        requests=data["requests"],
        errors=data["bad"] + data["socket_errors"],
        seconds=secs,
        rps=data["requests"] / secs if secs else 0.0,
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        engine=f"wrk -t{wrk_threads} -c{connections}",
    )


def _py_client_proc(port, path, cookie, marker, seconds, nconn, start_at, queue) -> None:
    """One load-generator process: `nconn` threads, each with one keep-alive connection."""
    headers = {"Cookie": cookie} if cookie else {}
    marker_b = marker.encode()
    lock = threading.Lock()
    lat: list[float] = []
    counts = {"requests": 0, "errors": 0}

    def worker() -> None:
        my_lat, reqs, errs = [], 0, 0
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.time() < start_at:
            time.sleep(0.001)
        deadline = start_at + seconds
        while True:
            t0 = time.perf_counter()
            if time.time() >= deadline:
                break
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                ok = resp.status == 200 and (not marker_b or marker_b in body)
                if resp.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            my_lat.append(time.perf_counter() - t0)
            reqs += 1
            errs += 0 if ok else 1
        conn.close()
        with lock:
            lat.extend(my_lat)
            counts["requests"] += reqs
            counts["errors"] += errs

    threads = [threading.Thread(target=worker) for _ in range(nconn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put((counts["requests"], counts["errors"], lat))


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def run_python(
    port: int, path: str, cookie: str, marker: str, seconds: float, connections: int, procs: int
) -> Result:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = max(1, min(procs, connections))
    share = [connections // procs + (1 if i < connections % procs else 0) for i in range(procs)]
    start_at = time.time() + 1.0  # let every process start before the clock runs
    ps = [
        ctx.Process(
            target=_py_client_proc,
            args=(port, path, cookie, marker, seconds, n, start_at, queue),
            daemon=True,
        )
        for n in share
    ]
    for p in ps:
        p.start()
    total, errors, lat = 0, 0, []
    for _ in ps:
        r, e, lt = queue.get(timeout=seconds + 60)
        total += r
        errors += e
        lat += lt
    for p in ps:
        p.join(timeout=10)
    lat.sort()
    return Result(
        path=path,
        requests=total,
        errors=errors,
        seconds=seconds,
        rps=total / seconds,
        p50_ms=percentile(lat, 50) * 1000,
        p95_ms=percentile(lat, 95) * 1000,
        p99_ms=percentile(lat, 99) * 1000,
        max_ms=(lat[-1] * 1000) if lat else 0.0,
        engine=f"python {procs} proc x {connections} conn",
    )


# --------------------------------------------------------------------------------------------
# One configuration: start, sign in, measure every path, stop
# --------------------------------------------------------------------------------------------


def median_result(path: str, rounds: list[Result]) -> Result:
    def med(attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in rounds)

    return Result(
        path=path,
        requests=sum(r.requests for r in rounds),
        errors=sum(r.errors for r in rounds),
        seconds=sum(r.seconds for r in rounds),
        rps=med("rps"),
        p50_ms=med("p50_ms"),
        p95_ms=med("p95_ms"),
        p99_ms=med("p99_ms"),
        max_ms=max(r.max_ms for r in rounds),
        engine=rounds[0].engine,
        cpu_ours_pct=med("cpu_ours_pct"),
        server_cpu_ms=med("server_cpu_ms"),
        cpu_other_pct=max(r.cpu_other_pct for r in rounds),
        notes=[f"rps per round: {', '.join(f'{r.rps:.0f}' for r in rounds)}"],
    )


def measure_config(
    args: argparse.Namespace,
    data_dir: Path,
    workdir: Path,
    workers: int,
    threads: int,
    engine: str,
) -> dict:
    env = server_env(data_dir, args, workers, threads)
    port = free_port()
    server = Server(env, port, workdir / f"server-{workers}x{threads}.log")
    cleanup_register(server.stop)
    log(f"starting the server: {workers} workers x {threads} threads on {HOST}:{port}")
    server.start()
    try:
        server.wait_healthy()
        cookie = sign_in(port, USERNAME, PASSWORD)
        checks = sanity_checks(port, cookie)
        sampler = MemorySampler(server)
        sampler.start()
        per_path: dict[str, list[Result]] = {p: [] for p in args.paths}

        def one(path: str, seconds: float) -> Result:
            marker = SIGNED_IN_MARKER if path == "/" else ""
            ck = cookie if path == "/" else ""
            if engine == "wrk":
                return run_wrk(
                    port, path, ck, marker, seconds, args.connections, args.wrk_threads, workdir
                )
            return run_python(port, path, ck, marker, seconds, args.connections, args.client_procs)

        for path in args.paths:  # warm every path once (imports, template caches, workers)
            one(path, args.warmup)
        for rnd in range(args.rounds):
            for path in args.paths:
                with CpuWatch(server) as cpu:
                    res = one(path, args.duration)
                res.cpu_ours_pct, res.cpu_other_pct = cpu.ours_pct, cpu.other_pct
                res.server_cpu_ms = cpu.server_ms / res.requests if res.requests else 0.0
                per_path[path].append(res)
                log(
                    f"round {rnd + 1}/{args.rounds} {path:8} {res.rps:8.0f} req/s "
                    f"p50 {res.p50_ms:6.1f} ms  p99 {res.p99_ms:6.1f} ms  errors {res.errors}  "
                    f"CPU: ours {res.cpu_ours_pct:3.0f}%, other work {res.cpu_other_pct:3.0f}%"
                )
        mem = sampler.stop()
        if server.proc is None or server.proc.poll() is not None:
            raise SystemExit(f"the server died during the run:\n{server.tail()}")
    except SystemExit:
        log(f"the server's log ends with:\n{server.tail()}")
        raise
    finally:
        server.stop()
    results = {p: median_result(p, rs) for p, rs in per_path.items()}
    return {"workers": workers, "threads": threads, "results": results, "memory": mem, **checks}


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def ratio(cfg: dict) -> float | None:
    res = cfg["results"]
    if "/" in res and "/bare" in res and res["/bare"].rps:
        return res["/"].rps / res["/bare"].rps
    return None


def print_config(cfg: dict, args: argparse.Namespace) -> None:
    print()
    print(
        f"== gunicorn gthread {cfg['workers']} workers x {cfg['threads']} threads; "
        f"{args.connections} connections; {args.rounds} x {args.duration:g} s per path "
        f"(medians); home page {cfg['home_bytes']} bytes =="
    )
    print(
        f"{'path':10} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'requests':>9} {'errors':>7} {'CPU/req':>8} {'CPU ours':>9} {'other':>6}"
    )
    for path, r in cfg["results"].items():
        label = "/ (home)" if path == "/" else path
        print(
            f"{label:10} {r.rps:9.0f} {r.p50_ms:8.2f} {r.p95_ms:8.2f} {r.p99_ms:8.2f} "
            f"{r.max_ms:8.1f} {r.requests:9d} {r.errors:7d} {r.server_cpu_ms:6.2f}ms "
            f"{r.cpu_ours_pct:8.0f}% "
            f"{r.cpu_other_pct:5.0f}%"
        )
    rt = ratio(cfg)
    if rt is not None:
        verdict = "meets" if rt >= RATIO_GOAL else "MISSES"
        print(f"home / bare throughput: {rt:.2f} ({verdict} the goal of >= {RATIO_GOAL:.2f})")
        res = cfg["results"]
        if res["/"].server_cpu_ms:
            print(
                f"server CPU per request: home {res['/'].server_cpu_ms:.2f} ms, bare "
                f"{res['/bare'].server_cpu_ms:.2f} ms (bare/home "
                f"{res['/bare'].server_cpu_ms / res['/'].server_cpu_ms:.2f}: the throughput ratio "
                "when CPU is the only limit, and not swayed by other load on the machine)"
            )
    m: Memory = cfg["memory"]
    verdict = "meets" if m.peak_worker_rss_mb < WORKER_RSS_GOAL_MB else "MISSES"
    print(
        f"peak memory: RSS {m.peak_rss_sum_mb:.0f} MB summed over {m.processes} gunicorn "
        f"processes (PSS {m.peak_pss_sum_mb:.0f} MB); largest process "
        f"{m.peak_worker_rss_mb:.0f} MB ({verdict} the goal of < {WORKER_RSS_GOAL_MB:.0f} MB "
        f"a worker); task worker beside it {m.peak_other_rss_mb:.0f} MB"
    )
    other = max((r.cpu_other_pct for r in cfg["results"].values()), default=0.0)
    if other > 10:
        print(
            f"NOTE: other work used up to {other:.0f}% of the machine's CPU during these "
            "measurements: the figures are lower and noisier than on a quiet machine"
        )
    total_err = sum(r.errors for r in cfg["results"].values())
    if total_err:
        print(f"WARNING: {total_err} errors (non-200 answers, or a home page not signed in)")


def print_sweep(configs: list[dict]) -> None:
    print()
    print("== sweep: gunicorn workers x threads ==")
    print(
        f"{'config':8} {'/healthz':>9} {'/bare':>9} {'/ home':>9} {'ratio':>6} "
        f"{'home p99':>9} {'RSS sum':>8} {'worker':>7} {'errors':>7}"
    )
    for c in configs:
        r = c["results"]

        def rps(p: str, r: dict = r) -> str:
            return f"{r[p].rps:9.0f}" if p in r else f"{'-':>9}"

        rt = ratio(c)
        m = c["memory"]
        home_p99 = f"{r['/'].p99_ms:9.1f}" if "/" in r else f"{'-':>9}"
        print(
            f"{c['workers']}x{c['threads']:<6} {rps('/healthz')} {rps('/bare')} {rps('/')} "
            f"{(f'{rt:.2f}' if rt is not None else '-'):>6} {home_p99} "
            f"{m.peak_rss_sum_mb:7.0f}M {m.peak_worker_rss_mb:6.0f}M "
            f"{sum(x.errors for x in r.values()):7d}"
        )
    best = max(configs, key=lambda c: c["results"]["/"].rps if "/" in c["results"] else 0)
    print(f"best home-page throughput: {best['workers']} workers x {best['threads']} threads")


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gb": round(mem_kb / 1024 / 1024, 1)}


# --------------------------------------------------------------------------------------------
# Clean-up on every exit
# --------------------------------------------------------------------------------------------

_cleanups: list = []


def cleanup_register(fn) -> None:
    _cleanups.append(fn)


def run_cleanups() -> None:
    while _cleanups:
        fn = _cleanups.pop()
        with contextlib.suppress(Exception):
            fn()


def _on_signal(signum, _frame) -> None:
    raise KeyboardInterrupt


# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=10, help="seconds per measurement (10)")
    p.add_argument("--warmup", type=float, default=3, help="warm-up seconds per path (3)")
    p.add_argument("--rounds", type=int, default=1, help="measurements per path; medians (1)")
    p.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers (RENDA_WORKERS; default: the environment's, else 3)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        help="gunicorn threads per worker (RENDA_THREADS; default: the environment's, else 4)",
    )
    p.add_argument(
        "--sweep",
        default="",
        help="comma-separated WORKERSxTHREADS configurations to compare, e.g. 2x1,3x4,5x2",
    )
    p.add_argument("--engine", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument(
        "--wrk-threads", type=int, default=1, help="wrk threads (1: leave CPU to the server)"
    )
    p.add_argument("--client-procs", type=int, default=2, help="python load-generator processes")
    p.add_argument("--paths", default=",".join(PATHS), help="comma-separated paths to measure")
    p.add_argument("--no-seed", action="store_true", help="one deputy instead of seed_demo")
    p.add_argument("--database-url", default="", help="a 127.0.0.1 PostgreSQL (it is migrated!)")
    p.add_argument("--redis-url", default="", help="a 127.0.0.1 Redis for cache and sessions")
    p.add_argument("--gunicorn-args", default="", help="extra GUNICORN_CMD_ARGS, e.g. --preload")
    p.add_argument(
        "--settings",
        default="",
        help="another settings module, e.g. bench.tuned_settings (to try proposed changes)",
    )
    p.add_argument("--json", default="", help="also write the figures to this JSON file")
    p.add_argument("--keep-data", action="store_true", help="keep the temporary data directory")
    args = p.parse_args(argv)
    args.paths = [x.strip() for x in args.paths.split(",") if x.strip()]
    for path in args.paths:
        if not path.startswith("/"):
            p.error(f"paths start with '/': {path!r}")
    for url, what in ((args.database_url, "--database-url"), (args.redis_url, "--redis-url")):
        if url:
            _check_loopback(url, what)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)  # even when started with SIGINT ignored
    engine = args.engine
    if engine == "auto":
        engine = "wrk" if shutil.which("wrk") else "python"
    elif engine == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed; use --engine python")
    log(f"load generator: {engine}")

    if args.sweep:
        configs_wanted = []
        for item in args.sweep.split(","):
            w, _, t = item.strip().partition("x")
            configs_wanted.append((int(w), int(t or 1)))
    else:
        configs_wanted = [
            (
                args.workers
                or int(os.environ.get("RENDA_WORKERS", 0))
                or (os.cpu_count() or 1) + 1,
                args.threads or int(os.environ.get("RENDA_THREADS", 0)) or 4,
            )
        ]

    workdir = Path(tempfile.mkdtemp(prefix="renda-bench-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    if not args.keep_data:
        cleanup_register(lambda: shutil.rmtree(workdir, ignore_errors=True))
    else:
        log(f"keeping {workdir}")
    configs: list[dict] = []
    try:
        seeded = prepare_data(
            server_env(data_dir, args, *configs_wanted[0]), use_seed=not args.no_seed
        )
        for workers, threads in configs_wanted:
            cfg = measure_config(args, data_dir, workdir, workers, threads, engine)
            configs.append(cfg)
            print_config(cfg, args)
        if len(configs) > 1:
            print_sweep(configs)
        info = machine()
        print(
            f"\nmachine: {info['cpus']} CPUs ({info['cpu_model']}), {info['ram_gb']} GB RAM; "
            f"data: {seeded}; database: {'PostgreSQL' if args.database_url else 'SQLite'}; "
            f"sessions: {'Redis cache' if args.redis_url else 'database'}; load: {engine}; "
            f"settings: {args.settings or 'renda.settings'}"
            + (
                f" (BENCH_TUNE={os.environ.get('BENCH_TUNE', 'conn,session')})"
                if args.settings
                else ""
            )
        )
        if args.json:
            out = {
                "machine": info,
                "seeded": seeded,
                "args": {k: v for k, v in vars(args).items() if k not in {"json"}},
                "configs": [
                    {
                        **{k: v for k, v in c.items() if k not in {"results", "memory"}},
                        "results": {p: asdict(r) for p, r in c["results"].items()},
                        "memory": asdict(c["memory"]),
                        "ratio": ratio(c),
                    }
                    for c in configs
                ],
            }
            Path(args.json).write_text(json.dumps(out, indent=2))
    except KeyboardInterrupt:
        log("interrupted: stopping the server and removing the data directory")
        return 130
    finally:
        run_cleanups()
    errors = sum(r.errors for c in configs for r in c["results"].values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
