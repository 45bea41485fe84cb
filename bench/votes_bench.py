#!/usr/bin/env python3
"""A session vote at scale (issue 6, "Benchmark"). Run by hand, not by pytest.

    createdb -h 127.0.0.1 -U postgres renda_votes_bench     # an EMPTY database
    .venv/bin/python bench/votes_bench.py --database-url postgres://postgres@127.0.0.1/renda_votes_bench

What it does:
1. migrates the database and sets up (manage.py shell, through the votes actions): a city
   congress, its office, 1,000 deputies each with an API token, a congress session with all
   1,000 on the roll and present, and a livelihood ballot of 30 candidates (choose at most
   --max-choices, default 10), opened;
2. starts the real server (scripts/serve: gunicorn + the task worker, DEBUG off, as
   bench/opinions_bench.py does) on a free port of 127.0.0.1;
3. from SECOND processes (python clients, keep-alive connections) every deputy votes once
   (`POST /api/v1/ballots/{id}/votes`), plus --bad-share of deliberately wrong attempts (a
   second vote by a deputy who already voted → 409; more than M → 422): all within one minute;
   counts 201s and refusals by status, p50/p95/p99, throughput; a connection error or a 5xx
   counts as lost;
4. closes the ballot through the API and reads the result: the time from the close request to
   the result in hand (goal < 1 s);
5. checks none was lost: 201 receipts == rows in the voter register == ballot papers == the
   result's "voted"; and `manage.py recount` agrees with the result (exit 0);
6. prints a Markdown table (and --json FILE): figures, peak memory of the server, the server's
   CPU per vote, the machine's other load and load average.

The load generator shares the 2 cores with the server: the figures are a floor, not a ceiling.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import http_bench as hb  # noqa: E402 - the server helpers of the HTTP benchmark

SETUP_CODE = r"""
import json
from datetime import date
from django.contrib.auth.hashers import make_password
from renda.accounts.actions import issue_api_token
from renda.accounts.models import RoleAssignment, User
from renda.orgs.models import Congress, Term
from renda.votes.actions import ChoiceSpec, create_ballot, create_meeting, mark_present, open_ballot

city = Congress.objects.create(name="基准市人民代表大会", level="city", region_name="基准市",
                               division_code="339900")
Term.objects.create(congress=city, number=1, start_date=date(2022, 1, 1))
pw = make_password("renda-bench-2026")
office = User.objects.create(username="bench-office", password=pw, full_name="办公室")
RoleAssignment.objects.create(user=office, role="deputy_affairs", congress=city)
User.objects.bulk_create([User(username=f"bench-dep-{i:04d}", password=pw, full_name=f"代表{i}")
                          for i in range(N)])
deps = list(User.objects.filter(username__startswith="bench-dep-").order_by("username"))
RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role="deputy", congress=city)
                                    for u in deps])
tokens = [issue_api_token(u)[0] for u in deps]
m = create_meeting(congress=city, kind="congress_session", title="基准会议", date=date.today(),
                   members=deps, by=office)
mark_present(m, users=deps, by=office)
b = create_ballot(meeting=m, kind="livelihood", title="民生实事项目票决",
                  choices=[ChoiceSpec(f"候选项目{i:02d}") for i in range(1, CANDIDATES + 1)],
                  max_choices=M, by=office)
open_ballot(b, by=office)
print("BENCH_JSON " + json.dumps({
    "ballot": b.pk, "choices": list(b.choices.values_list("pk", flat=True)),
    "tokens": tokens, "office": issue_api_token(office)[0]}))
"""

CHECK_CODE = r"""
import json
from renda.votes.models import Paper, Voter
print("BENCH_JSON " + json.dumps({"register": Voter.objects.filter(ballot_id=BALLOT).count(),
                                  "papers": Paper.objects.filter(ballot_id=BALLOT).count()}))
"""


def shell(env: dict, code: str) -> dict:
    proc = hb.manage(env, "shell", "-c", code)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_JSON "))
    return json.loads(line[len("BENCH_JSON ") :])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def _client_proc(port, jobs, nconn, queue) -> None:  # noqa: ANN001
    """One load-generator process: `jobs` = [(token, body)], sent over `nconn` keep-alive
    connections as fast as they are answered."""
    lock = threading.Lock()
    out: dict = {"lat": [], "statuses": {}, "receipts": []}
    todo = list(jobs)

    def worker() -> None:
        conn = http.client.HTTPConnection(hb.HOST, port, timeout=60)
        while True:
            with lock:
                if not todo:
                    break
                token, path, body = todo.pop()
            data = json.dumps(body).encode()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                status = str(resp.status)
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection(hb.HOST, port, timeout=60)
                status, payload = "socket_error", b""
            dt = time.perf_counter() - t0
            with lock:
                out["lat"].append(dt)
                out["statuses"][status] = out["statuses"].get(status, 0) + 1
                if status == "201":
                    out["receipts"].append(json.loads(payload)["receipt"])
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(nconn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def call(port: int, method: str, path: str, token: str) -> tuple[int, dict, float]:
    conn = http.client.HTTPConnection(hb.HOST, port, timeout=60)
    t0 = time.perf_counter()
    conn.request(
        method,
        path,
        body=b"{}" if method == "POST" else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    resp = conn.getresponse()
    body = json.loads(resp.read() or b"{}")
    dt = time.perf_counter() - t0
    conn.close()
    return resp.status, body, dt


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database-url", required=True, help="an EMPTY PostgreSQL db on 127.0.0.1")
    ap.add_argument("--redis-url", default="")
    ap.add_argument("--settings", default="")
    ap.add_argument("--gunicorn-args", default="")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--deputies", type=int, default=1000)
    ap.add_argument("--candidates", type=int, default=30)
    ap.add_argument("--max-choices", type=int, default=10)
    ap.add_argument("--bad-share", type=float, default=0.05, help="wrong attempts, share")
    ap.add_argument("--processes", type=int, default=2, help="load-generator processes")
    ap.add_argument("--connections", type=int, default=16, help="per process")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--json", default="")
    return ap.parse_args()


def main() -> int:
    args = parse_args()
    hb._check_loopback(args.database_url, "--database-url")
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="renda-vb-"))
    env = hb.server_env(data_dir, args, args.workers, args.threads)
    hb.log("migrate and collectstatic")
    hb.manage(env, "migrate", "--noinput", "-v", "0")
    hb.manage(env, "collectstatic", "--noinput", "-v", "0")
    hb.log(f"setting up {args.deputies} deputies, tokens, the session and the ballot")
    t0 = time.perf_counter()
    facts = shell(
        env,
        f"N = {args.deputies}\nCANDIDATES = {args.candidates}\nM = {args.max_choices}\n"
        + SETUP_CODE,
    )
    hb.log(f"set up in {time.perf_counter() - t0:.1f} s")
    ballot, choices, tokens = facts["ballot"], facts["choices"], facts["tokens"]
    path = f"/api/v1/ballots/{ballot}/votes"
    jobs = [
        (tok, path, {"choices": rng.sample(choices, rng.randint(0, args.max_choices))})
        for tok in tokens
    ]
    n_bad = int(len(tokens) * args.bad_share)
    bad = [(tok, path, {"choices": [choices[0]]}) for tok in rng.sample(tokens, n_bad)]  # twice
    bad += [
        (tok, path, {"choices": choices[: args.max_choices + 1]})
        for tok in rng.sample(tokens, n_bad)
    ]  # more than M
    # A deputy's second attempt must come after the first: the wrong ones go last.
    rng.shuffle(jobs)
    rng.shuffle(bad)
    port = hb.free_port()
    server = hb.Server(env, port, data_dir / "votes-bench-server.log")
    hb.cleanup_register(server.stop)
    server.start()
    memory = hb.MemorySampler(server)
    out: dict = {
        "machine": hb.machine(),
        "deputies": args.deputies,
        "candidates": args.candidates,
        "max_choices": args.max_choices,
    }
    try:
        server.wait_healthy()
        memory.start()
        watch = hb.CpuWatch(server)
        per = (len(jobs) + args.processes - 1) // args.processes
        chunks = [jobs[i * per : (i + 1) * per] for i in range(args.processes)]
        bper = (len(bad) + args.processes - 1) // args.processes
        for i in range(args.processes):
            # each process pops from the end: its wrong attempts are sent after its good ones
            chunks[i] = bad[i * bper : (i + 1) * bper] + chunks[i]
        queue: multiprocessing.Queue = multiprocessing.Queue()
        procs = [
            multiprocessing.Process(
                target=_client_proc, args=(port, chunk, args.connections, queue)
            )
            for chunk in chunks
        ]
        hb.log(
            f"voting: {len(jobs)} votes + {len(bad)} wrong attempts, "
            f"{args.processes} processes x {args.connections} connections"
        )
        watch.__enter__()
        start = time.perf_counter()
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - start
        watch.__exit__()
        lat = [x for r in results for x in r["lat"]]
        statuses: dict[str, int] = {}
        for r in results:
            for k, v in r["statuses"].items():
                statuses[k] = statuses.get(k, 0) + v
        receipts = [x for r in results for x in r["receipts"]]
        out["vote"] = {
            "attempts": len(lat),
            "seconds": round(elapsed, 2),
            "per_second": round(len(lat) / elapsed, 1),
            "p50_ms": round(_pct(lat, 0.5) * 1000, 1),
            "p95_ms": round(_pct(lat, 0.95) * 1000, 1),
            "p99_ms": round(_pct(lat, 0.99) * 1000, 1),
            "max_ms": round(max(lat) * 1000, 1),
            "statuses": statuses,
            "distinct_receipts": len(set(receipts)),
            "server_cpu_ms_per_vote": round(watch.server_ms / max(1, len(lat)), 2),
            "other_load_pct": round(watch.other_pct, 1),
            "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        }
        hb.log("closing the ballot and reading the result")
        t_close = time.perf_counter()
        st_close, _b, close_s = call(
            port, "POST", f"/api/v1/ballots/{ballot}/close", facts["office"]
        )
        st_res, res, res_s = call(port, "GET", f"/api/v1/ballots/{ballot}/result", facts["office"])
        total = time.perf_counter() - t_close
        out["close"] = {
            "status": st_close,
            "close_ms": round(close_s * 1000, 1),
            "result_status": st_res,
            "result_ms": round(res_s * 1000, 1),
            "close_to_result_ms": round(total * 1000, 1),
            "voted": res.get("voted"),
            "chosen": sum(1 for t in res.get("tally", []) if t["passed"]),
        }
    finally:
        out["memory"] = vars(memory.stop()) if memory.is_alive() else {}
        server.stop()
    check = shell(env, f"BALLOT = {ballot}\n" + CHECK_CODE)
    rec = hb.manage(env, "recount", str(ballot))
    ok201 = out["vote"]["statuses"].get("201", 0)
    lost = sum(
        v for k, v in out["vote"]["statuses"].items() if k == "socket_error" or k.startswith("5")
    )
    out["integrity"] = {
        "accepted_201": ok201,
        "register": check["register"],
        "papers": check["papers"],
        "result_voted": out["close"]["voted"],
        "lost": lost,
        "refused_409": out["vote"]["statuses"].get("409", 0),
        "refused_422": out["vote"]["statuses"].get("422", 0),
        "recount_ok": rec.returncode == 0,
        "all_equal": ok201 == check["register"] == check["papers"] == out["close"]["voted"],
    }
    v, c, i, mem = out["vote"], out["close"], out["integrity"], out["memory"]
    print("\n| figure | value |\n|---|---|")
    for k, val in [
        ("votes + wrong attempts", v["attempts"]),
        ("all sent within (s)", v["seconds"]),
        ("throughput (req/s)", v["per_second"]),
        (
            "p50 / p95 / p99 / max (ms)",
            f"{v['p50_ms']} / {v['p95_ms']} / {v['p99_ms']} / {v['max_ms']}",
        ),
        ("statuses", json.dumps(v["statuses"])),
        (
            "accepted = register = papers = voted",
            f"{i['accepted_201']} = {i['register']} = "
            f"{i['papers']} = {i['result_voted']} ({'ok' if i['all_equal'] else 'MISMATCH'})",
        ),
        ("lost (5xx or connection error)", i["lost"]),
        ("recount", "ok" if i["recount_ok"] else "FAILED"),
        ("close (ms)", c["close_ms"]),
        ("result (ms)", c["result_ms"]),
        ("close → result in hand (ms)", c["close_to_result_ms"]),
        ("server CPU per request (ms)", v["server_cpu_ms_per_vote"]),
        (
            "peak server RSS sum / PSS sum (MB)",
            f"{mem.get('peak_rss_sum_mb', 0):.0f} / {mem.get('peak_pss_sum_mb', 0):.0f}",
        ),
        ("other load on the machine (%)", v["other_load_pct"]),
        ("load average", v["loadavg"]),
    ]:
        print(f"| {k} | {val} |")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False))
    return 0 if i["all_equal"] and not i["lost"] and i["recount_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
