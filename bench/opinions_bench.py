#!/usr/bin/env python3
"""Opinions at scale (issue 5, "Benchmark"). Run by hand, not by pytest.

    # a database seeded with `manage.py seed_scale --suggestions 0 --opinions 5000000`:
    .venv/bin/python bench/opinions_bench.py --database-url postgres://postgres@127.0.0.1/renda_bench
    .venv/bin/python bench/opinions_bench.py --data-dir /work/bench-data/sqlite-opinions   # SQLite

What it does:
1. starts the real server (scripts/serve: gunicorn + the task worker, DEBUG off, as `make run`
   and bench/http_bench.py do) on a free port of 127.0.0.1 against the seeded database, and
   waits for /healthz; reads from the database (manage.py shell) a leaf category, the stations,
   a sample of tracking codes, and an API token for the office account (scale-office);
2. (a) submit: a burst of anonymous `POST /api/v1/opinions` {"category", "text", "anonymous",
   "publish_consent", "station"} from SECOND processes (python clients, keep-alive connections)
   for --seconds: submissions/s, p50/p95/p99, status counts; then checks that none was lost:
   every tracking code acknowledged with a 201 must be in the database afterwards (goal
   ≥ 200 submissions/s on 2 cores with PostgreSQL, none lost). The server's per-address rate
   limit would refuse a burst from one address: 429s are counted apart; run it with the limits
   raised for the bench (see docs/performance.md, "Opinions at scale");
3. (b) tracking: `GET /api/v1/opinions/track/{code}` over the sampled codes (and the HTML
   tracking page when --track-page is given, e.g. "/opinions/track/{code}/"): p95 (goal < 50 ms);
4. (c) station statistics: `GET /api/v1/stats/stations?from=&to=` (this year) with the office's
   token, and the page /opinions/office/station-stats/ signed in: p95 (goal < 500 ms);
5. stops the server. Prints a Markdown table; --json FILE writes the figures. Each scenario
   also gives the server's CPU per request (gunicorn + task worker), the PostgreSQL backends' CPU
   per request, the machine's other load and the load average; the run, the peak RSS.
   --redis-url runs it like production (cache, sessions and rate-limit counters in Redis).

The load generator shares the 2 cores with the server: the figures are a floor, not a ceiling.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import http_bench as hb  # noqa: E402 - the server helpers of the HTTP benchmark

TEXTS = (
    "小区门口的路灯坏了一个多月，晚上出行很不方便，希望尽快修复。",
    "学校门口早晚高峰交通拥堵，建议增派交警或协管员疏导。",
    "菜市场旁边的垃圾投放点太少，夏天气味很大，希望增设。",
    "老旧小区电梯经常停运，老人上下楼困难，请督促物业维修。",
)


@dataclass
class Figures:
    name: str
    requests: int = 0
    seconds: float = 0.0
    per_second: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    note: str = ""
    server_cpu_ms: float = 0.0  # gunicorn (master + workers) CPU per request
    db_cpu_ms: float = 0.0  # the PostgreSQL backends of this database, CPU per request
    other_load_pct: float = 0.0  # the machine's CPU used by neither server nor load generator
    loadavg: str = ""


def _today() -> date:
    return (datetime.now(UTC) + timedelta(hours=8)).date()  # Beijing, as the server counts


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- the load generator (second processes) --------------------------------------------------
def _client_proc(port, requests, headers, seconds, nconn, start_at, keep, queue) -> None:  # noqa: ANN001
    """`nconn` threads, each with one keep-alive connection, cycling through `requests`
    ((method, path, body) tuples) from a random offset until `seconds` have passed."""
    lock = threading.Lock()
    out: dict = {"lat": [], "statuses": {}, "bodies": []}

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(hb.HOST, port, timeout=30)
        lat, statuses, bodies = [], {}, []
        i = offset
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        while time.time() < end:
            method, path, body = requests[i % len(requests)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                status = str(resp.status)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(hb.HOST, port, timeout=30)
                status, data = "socket_error", b""
            lat.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            if keep and status == "201":
                bodies.append(data)
        conn.close()
        with lock:
            out["lat"].extend(lat)
            for k, v in statuses.items():
                out["statuses"][k] = out["statuses"].get(k, 0) + v
            out["bodies"].extend(bodies)

    threads = [threading.Thread(target=worker, args=(k * 7919,)) for k in range(nconn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def load(*args, **kwargs) -> tuple[Figures, list[bytes]]:  # noqa: ANN002, ANN003
    """The scenario with the chosen generator (--generator): python clients or wrk."""
    # Warm-ups with the python clients: they wait for each answer, however slow the first ones
    # (each worker loads the segmenter's dictionary on its first submission), where wrk's
    # fixed duration would end before them.
    if GENERATOR and GENERATOR[0] == "wrk" and not args[0].startswith("warm-up"):
        name, port, requests, headers, seconds, processes, connections = args[:7]
        return load_wrk(name, port, requests, headers, seconds, processes, connections, **kwargs)
    return load_python(*args, **kwargs)


GENERATOR: list[str] = []


def load_python(
    name: str,
    port: int,
    requests: list[tuple[str, str, bytes | None]],
    headers: dict[str, str],
    seconds: float,
    processes: int,
    connections: int,
    keep_bodies: bool = False,
) -> tuple[Figures, list[bytes]]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    start_at = time.time() + 1.0
    per = max(1, connections // processes)
    procs = [
        multiprocessing.Process(
            target=_client_proc,
            args=(port, requests, headers, seconds, per, start_at, keep_bodies, queue),
        )
        for _ in range(processes)
    ]
    watch = hb.CpuWatch(SERVER[0]) if SERVER else None
    db0 = _db_ticks()
    if watch:
        watch.__enter__()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    if watch:
        watch.__exit__()
    db_ms = 1000.0 * (_db_ticks() - db0) / os.sysconf("SC_CLK_TCK")
    lat = [x for r in results for x in r["lat"]]
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    fig = Figures(
        name=name,
        requests=len(lat),
        seconds=seconds,
        # answered requests only: a refused connection returns at once and would inflate it
        per_second=(len(lat) - statuses.get("socket_error", 0)) / seconds,
        p50_ms=_pct(lat, 0.5) * 1000,
        p95_ms=_pct(lat, 0.95) * 1000,
        p99_ms=_pct(lat, 0.99) * 1000,
        max_ms=max(lat, default=0) * 1000,
        statuses=statuses,
        loadavg=" ".join(Path("/proc/loadavg").read_text().split()[:3]),
    )
    if watch and lat:
        fig.server_cpu_ms = watch.server_ms / len(lat)
        fig.db_cpu_ms = db_ms / len(lat)
        fig.other_load_pct = watch.other_pct
    return fig, [b for r in results for b in r["bodies"]]


WRK_LUA = r"""
-- Generated by bench/opinions_bench.py: cycles through REQS from a per-thread offset, counts
-- statuses, and keeps the 201 bodies (tracking codes) in a file per thread.
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
function init(args)
  i = tid * 7919
  s2xx, s429, sother = 0, 0, 0
  if KEEP then f = io.open(OUT .. "-" .. tid .. ".txt", "w") end
end
function request()
  i = i + 1
  local r = REQS[(i % #REQS) + 1]
  return wrk.format(r[1], r[2], HEADERS, r[3])
end
function response(status, headers, body)
  if status >= 200 and status < 300 then s2xx = s2xx + 1
  elseif status == 429 then s429 = s429 + 1
  else sother = sother + 1 end
  if KEEP and status == 201 then f:write(body, "\n") end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("s2xx"); b = b + t:get("s429"); c = c + t:get("sother")
  end
  io.write(string.format(
    "WRK_JSON {\"requests\": %d, \"errors\": %d, \"p50\": %d, \"p95\": %d, \"p99\": %d, "
    .. "\"max\": %d, \"2xx\": %d, \"429\": %d, \"other\": %d}\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, a, b, c))
end
"""


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def load_wrk(
    name: str,
    port: int,
    requests: list[tuple[str, str, bytes | None]],
    headers: dict[str, str],
    seconds: float,
    threads: int,
    connections: int,
    keep_bodies: bool = False,
) -> tuple[Figures, list[bytes]]:
    """The same scenario driven by wrk (a C load generator, one second process with `threads`
    threads): far less CPU per request than the python clients, so more of the 2 cores are
    left to the server. Closed loop like them (each connection sends its next request when the
    answer came); latency percentiles are wrk's."""
    import resource
    import subprocess

    work = Path(tempfile.mkdtemp(prefix="renda-wrk-"))
    reqs = ",\n".join(
        "{"
        + ", ".join(
            (_lua_string(m), _lua_string(p), _lua_string((b or b"").decode()) if b else "nil")
        )
        + "}"
        for m, p, b in requests
    )
    hdrs = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items())
    script = work / "bench.lua"
    script.write_text(
        f"REQS = {{\n{reqs}\n}}\nHEADERS = {{{hdrs}}}\n"
        f"KEEP = {'true' if keep_bodies else 'false'}\n"
        f"OUT = {_lua_string(str(work / 'acks'))}\n" + WRK_LUA
    )
    watch = hb.CpuWatch(SERVER[0]) if SERVER else None
    db0 = _db_ticks()
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if watch:
        watch.__enter__()
    proc = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s",
         "--timeout", "30s", "-s", str(script), f"http://{hb.HOST}:{port}/"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    if watch:
        watch.__exit__()
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    db_ms = 1000.0 * (_db_ticks() - db0) / os.sysconf("SC_CLK_TCK")
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("WRK_JSON "))
    out = json.loads(line[len("WRK_JSON ") :])
    statuses = {k: out[k] for k in ("2xx", "429", "other") if out[k]}
    if out["errors"]:
        statuses["socket_error"] = out["errors"]
    answered = out["2xx"] + out["429"] + out["other"]
    gen_ms = 1000.0 * ((child1.ru_utime + child1.ru_stime) - (child0.ru_utime + child0.ru_stime))
    fig = Figures(
        name=name + " [wrk]",
        requests=answered,
        seconds=seconds,
        per_second=answered / seconds,
        p50_ms=out["p50"] / 1000,
        p95_ms=out["p95"] / 1000,
        p99_ms=out["p99"] / 1000,
        max_ms=out["max"] / 1000,
        statuses=statuses,
        loadavg=" ".join(Path("/proc/loadavg").read_text().split()[:3]),
        note=f"generator CPU {gen_ms / max(1, answered):.2f} ms/req",
    )
    if watch and answered:
        fig.server_cpu_ms = watch.server_ms / answered
        fig.db_cpu_ms = db_ms / answered
        # wrk's CPU is not the server's: CpuWatch counted it as other work; take it out.
        total_ms = 1000.0 * seconds * os.cpu_count()
        fig.other_load_pct = max(0.0, watch.other_pct - 100.0 * gen_ms / total_ms)
    bodies = []
    for part in sorted(work.glob("acks-*.txt")):
        bodies.extend(ln.encode() for ln in part.read_text().splitlines() if ln)
    return fig, bodies


SERVER: list = []  # the running hb.Server (CPU per request is read from its processes)
DB_NAME: list[str] = []  # the PostgreSQL database's name (its backends' CPU is read too)


def _db_ticks() -> int:
    """CPU ticks of the PostgreSQL backends serving the bench's database (their command line
    names it); 0 on SQLite. Persistent connections: the same backends live through a scenario."""
    if not DB_NAME:
        return 0
    total = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit() and f" {DB_NAME[0]} " in hb.cmdline(int(pid)):
            total += hb._proc_cpu_ticks(pid)
    return total


# --- the database side -----------------------------------------------------------------------
FACTS_CODE = """
import json, random
from renda.accounts.actions import issue_api_token
from renda.accounts.models import User
from renda.opinions.models import Opinion, OpinionCategory, Station
rng = random.Random(7)
top = Opinion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
ids = [rng.randint(1, top) for _ in range(3 * SAMPLE)] if top else []
codes = list(Opinion.objects.filter(pk__in=ids).values_list("tracking_code", flat=True)[:SAMPLE])
office = User.objects.get(username=OFFICE)
token, _row = issue_api_token(office)
leaf = OpinionCategory.objects.filter(parent__isnull=False, active=True).order_by("pk").first()
print("BENCH_JSON " + json.dumps({
    "opinions": Opinion.objects.count(),
    "category": leaf.pk if leaf else None,
    "category_name": leaf.name if leaf else None,
    "stations": list(Station.objects.filter(active=True).values_list("pk", flat=True)[:500]),
    "codes": codes,
    "token": token,
}))
"""

CHECK_CODE = """
import json
from renda.opinions.models import Opinion
codes = json.load(open(PATH))
found = 0
for i in range(0, len(codes), 5000):
    found += Opinion.objects.filter(tracking_code__in=codes[i:i + 5000]).count()
print("BENCH_JSON " + json.dumps({"acknowledged": len(codes), "found": found}))
"""


def shell(env: dict, code: str) -> dict:
    proc = hb.manage(env, "shell", "-c", code)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_JSON "))
    return json.loads(line[len("BENCH_JSON ") :])


# --- the run -----------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database-url", default="", help="PostgreSQL on 127.0.0.1 (else SQLite)")
    ap.add_argument("--data-dir", default="", help="RENDA_DATA_DIR (the SQLite database's)")
    ap.add_argument("--redis-url", default="")
    ap.add_argument("--settings", default="")
    ap.add_argument("--gunicorn-args", default="")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=20.0, help="per scenario")
    ap.add_argument("--processes", type=int, default=2, help="load-generator processes")
    ap.add_argument("--connections", type=int, default=16, help="for submit and tracking")
    ap.add_argument("--stats-connections", type=int, default=2)
    ap.add_argument("--sample", type=int, default=2000, help="tracking codes sampled")
    ap.add_argument("--office", default="scale-office")
    ap.add_argument("--password", default="renda-scale-2026")
    ap.add_argument(
        "--track-page", default="", help='HTML tracking page, e.g. "/opinions/track/{code}/"'
    )
    ap.add_argument("--station-field", choices=("id", "none"), default="id")
    ap.add_argument(
        "--generator", choices=("python", "wrk"), default="python",
        help="python keep-alive clients (default) or wrk (C; `apt-get install wrk`)",
    )  # fmt: skip
    ap.add_argument("--skip", default="", help="comma list of: submit,track,stats")
    ap.add_argument("--json", default="")
    return ap.parse_args()


def main() -> int:
    args = parse_args()
    if args.database_url:
        hb._check_loopback(args.database_url, "--database-url")
    skip = set(filter(None, args.skip.split(",")))
    GENERATOR.append(args.generator)
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="renda-ob-"))
    env = hb.server_env(data_dir, args, args.workers, args.threads)
    hb.log(f"collectstatic into {data_dir}")
    hb.manage(env, "collectstatic", "--noinput", "-v", "0")
    facts = shell(env, f"SAMPLE = {args.sample}\nOFFICE = {args.office!r}\n" + FACTS_CODE)
    hb.log(f"{facts['opinions']:,} opinions, {len(facts['stations'])} stations, "
           f"{len(facts['codes'])} codes sampled")  # fmt: skip
    port = hb.free_port()
    server = hb.Server(env, port, data_dir / "opinions-bench-server.log")
    hb.cleanup_register(server.stop)
    server.start()
    SERVER.append(server)
    if args.database_url:
        DB_NAME.append(args.database_url.rsplit("/", 1)[-1].split("?")[0])
    memory = hb.MemorySampler(server)
    results: list[Figures] = []
    extra: dict = {"opinions": facts["opinions"], "machine": hb.machine()}
    try:
        server.wait_healthy()
        memory.start()
        rng = random.Random(1)
        if "submit" not in skip:
            bodies = []
            for i in range(2000):
                body = {
                    "category": facts["category"],
                    "text": f"{rng.choice(TEXTS)}（压测{i}）",
                    "anonymous": True,
                    "publish_consent": bool(i % 2),
                }
                if args.station_field == "id" and facts["stations"]:
                    body["station"] = rng.choice(facts["stations"])
                bodies.append(("POST", "/api/v1/opinions", json.dumps(body).encode()))
            headers = {"Content-Type": "application/json"}
            load("warm-up submit", port, bodies[:50], headers, 3, 1, 6)  # every worker
            fig, acks = load(
                "submit (anonymous POST /api/v1/opinions)", port, bodies, headers,
                args.seconds, args.processes, args.connections, keep_bodies=True,
            )  # fmt: skip
            codes = []
            for raw in acks:
                try:
                    codes.append(json.loads(raw)["tracking_code"])
                except (ValueError, KeyError):
                    pass
            path = data_dir / "acknowledged-codes.json"
            path.write_text(json.dumps(codes))
            check = shell(env, f"PATH = {str(path)!r}\n" + CHECK_CODE)
            lost = check["acknowledged"] - check["found"]
            fig.note = f"{check['acknowledged']} acknowledged (201), {lost} lost"
            extra["submit_lost"] = lost
            results.append(fig)
        if "track" not in skip and facts["codes"]:
            reqs = [("GET", f"/api/v1/opinions/track/{c}", None) for c in facts["codes"]]
            load("warm-up track", port, reqs[:50], {}, 3, 1, 6)
            fig, _ = load(
                "tracking (GET /api/v1/opinions/track/{code})", port, reqs, {},
                args.seconds, args.processes, args.connections,
            )  # fmt: skip
            results.append(fig)
            if args.track_page:
                reqs = [("GET", args.track_page.format(code=c), None) for c in facts["codes"]]
                fig, _ = load(
                    f"tracking page ({args.track_page})", port, reqs, {},
                    args.seconds, args.processes, args.connections,
                )  # fmt: skip
                results.append(fig)
        if "stats" not in skip:
            today = _today()
            query = f"from={today.year}-01-01&to={today.isoformat()}"
            auth = {"Authorization": f"Bearer {facts['token']}"}
            reqs = [("GET", f"/api/v1/stats/stations?{query}", None)]
            load("warm-up stats", port, reqs, auth, 2, 1, 1)
            fig, _ = load(
                "station statistics (GET /api/v1/stats/stations, this year)", port, reqs, auth,
                args.seconds, 1, args.stats_connections,
            )  # fmt: skip
            results.append(fig)
            last_year = f"from={today.year - 1}-01-01&to={today.year - 1}-12-31"
            reqs = [("GET", f"/api/v1/stats/stations?{last_year}", None)]
            fig, _ = load(
                "station statistics (last whole year)", port, reqs, auth,
                args.seconds, 1, args.stats_connections,
            )  # fmt: skip
            results.append(fig)
            cookie = hb.sign_in(port, args.office, args.password)
            reqs = [("GET", f"/opinions/office/station-stats/?{query}", None)]
            fig, _ = load(
                "station performance page (HTML, this year)", port, reqs, {"Cookie": cookie},
                args.seconds, 1, args.stats_connections,
            )  # fmt: skip
            results.append(fig)
    finally:
        if memory.is_alive():
            extra["memory"] = asdict(memory.stop())
        server.stop()
    print(f"\nOpinions at scale — {facts['opinions']:,} opinions, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, {args.workers}×{args.threads} "
          f"{os.environ.get('RENDA_SERVER', 'granian')}, {_today()}\n")  # fmt: skip
    print("| scenario | requests | per s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/req "
          "| DB CPU ms/req | other load % | loadavg | statuses | note |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
    for f in results:
        st = ", ".join(f"{k}: {v}" for k, v in sorted(f.statuses.items()))
        print(f"| {f.name} | {f.requests} | {f.per_second:.1f} | {f.p50_ms:.1f} | "
              f"{f.p95_ms:.1f} | {f.p99_ms:.1f} | {f.max_ms:.1f} | {f.server_cpu_ms:.2f} | "
              f"{f.db_cpu_ms:.2f} | {f.other_load_pct:.0f} | {f.loadavg} | {st} | "
              f"{f.note} |")  # fmt: skip
    if "memory" in extra:
        m = extra["memory"]
        print(f"\nPeak RSS: gunicorn processes {m['peak_rss_sum_mb']:.0f} MB summed "
              f"(PSS {m['peak_pss_sum_mb']:.0f} MB), largest one {m['peak_worker_rss_mb']:.0f} MB, "
              f"{m['processes']} processes; task worker "
              f"{m['peak_other_rss_mb']:.0f} MB")  # fmt: skip
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": [asdict(f) for f in results], **extra}, indent=2, default=str)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
