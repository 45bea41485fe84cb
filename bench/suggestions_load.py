#!/usr/bin/env python3
"""Suggestions at scale (issue 3, "Benchmark"): p50/p95/max and SQL queries per request of the
unit's list, a suggestion's page, the API list and detail, the statistics and submit, against a
database filled by `manage.py seed_scale`. Run by hand, not by pytest.

    RENDA_DATA_DIR=/work/bench-data/sqlite-1m .venv/bin/python bench/suggestions_load.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_bench_1m \\
        .venv/bin/python bench/suggestions_load.py --requests 200 --json out.json

IN-PROCESS: requests go through Django's test client (the whole middleware stack, URL routing,
views, templates and the real database; no HTTP server, no network, no gunicorn). Latency here
is the application's own time per request, the part that grows with the data; what the server
adds is measured by bench/http_bench.py. DEBUG is off; the database is the seeded one, used as
is. Submit writes real suggestions (one per request) into it.

`--pair a:DIR` / `--pair b:DIR`: two runs (e.g. 10 k and 1 M, started together with the same
arguments) take turns request by request, so both see the same load on a shared machine and
never compete with each other; compare their p95 then (docs/performance.md).

Accounts (created by seed_scale, password printed by it): scale-clerk (clerk of the busiest
unit), scale-office (deputy-affairs office), scale-deputy. The password is checked once, then
the clients are signed in with force_login (no login throttling in the way).

Per scenario: `--warmup` requests, then `--requests` timed ones (time.perf_counter around
client.get/post), then a few more with CaptureQueriesContext to count the SQL queries (counted
apart so that query logging does not slow the timed ones). Every answer must have the expected
status, or the run fails. Prints a Markdown table, the peak RSS of the process, and with
`--json FILE` writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Figure:
    name: str
    path: str
    n: int = 0
    p50: float = 0.0
    p95: float = 0.0
    max: float = 0.0
    queries: list[int] = field(default_factory=list)
    note: str = ""


class Turns:
    """Take turns with a second run of this script (`--pair a:DIR` and `--pair b:DIR`, e.g. one
    on the 10 k database and one on the 1 M): every request of one waits until the other's
    request has finished, so the two alternate request by request. On a shared machine whose
    load changes by the minute both then see the same load, and neither slows the other (they
    never run at the same time), which makes their ratio meaningful. Two FIFOs in DIR pass the
    turn; both runs must do the same scenarios with the same --requests and --warmup."""

    def __init__(self, spec: str) -> None:
        role, _, path = spec.partition(":")
        if role not in ("a", "b") or not path:
            raise SystemExit("--pair takes a:DIR or b:DIR")
        for name in ("a2b", "b2a"):
            try:
                os.mkfifo(os.path.join(path, name))
            except FileExistsError:
                pass
        mine, theirs = ("a2b", "b2a") if role == "a" else ("b2a", "a2b")
        # Opened in this order by both sides, so neither blocks the other forever.
        if role == "a":
            self._out = open(os.path.join(path, mine), "wb", buffering=0)  # noqa: SIM115
            self._in = open(os.path.join(path, theirs), "rb", buffering=0)  # noqa: SIM115
        else:
            self._in = open(os.path.join(path, theirs), "rb", buffering=0)  # noqa: SIM115
            self._out = open(os.path.join(path, mine), "wb", buffering=0)  # noqa: SIM115
        self._waiting = role == "b"  # "a" has the first turn

    def wait(self) -> None:
        if self._waiting and not self._in.read(1):
            raise SystemExit("the paired run stopped")
        self._waiting = True

    def done(self) -> None:
        try:
            self._out.write(b".")
        except BrokenPipeError:  # the other run has finished: nobody to pass the turn to
            pass


class Alone:
    """No second run: every turn is ours."""

    def wait(self) -> None:
        pass

    def done(self) -> None:
        pass


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--requests", type=int, default=200, help="timed requests per scenario")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--password", default="renda-scale-2026")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated beginnings of scenario names (e.g. 'API list,unit queue')",
    )
    ap.add_argument("--json", default="")
    ap.add_argument(
        "--pair",
        default="",
        help="a:DIR or b:DIR: alternate request by request with a second run (see Turns)",
    )
    args = ap.parse_args()
    turns = Turns(args.pair) if args.pair else Alone()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    os.environ["RENDA_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    for var in ("RENDA_ENV", "RENDA_DEBUG"):
        os.environ.pop(var, None)
    import django

    django.setup()
    from django.core.management import call_command

    # The pages need the static manifest (ManifestStaticFilesStorage), as under `make run`.
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from renda.accounts.models import User
    from renda.suggestions.choices import State
    from renda.suggestions.models import Assignment, Suggestion

    rng = random.Random(args.seed)  # noqa: S311 - picks pages and ids, reproducibly
    users = {
        u.username: u
        for u in User.objects.filter(username__startswith="scale-").filter(
            username__in=["scale-clerk", "scale-office", "scale-deputy"]
        )
    }
    if len(users) < 3:
        print("No seed_scale accounts here: run manage.py seed_scale first.", file=sys.stderr)
        return 2
    if not users["scale-clerk"].check_password(args.password):
        print("Wrong --password for the seeded accounts.", file=sys.stderr)
        return 2
    clients = {}
    for name, user in users.items():
        c = Client()
        c.force_login(user)
        clients[name] = c
    clerk = users["scale-clerk"]
    unit_id = clerk.roles.get(role="unit_clerk").unit_id
    year = timezone.localdate().year
    total = Suggestion.objects.count()
    # The ids to open: the unit's own suggestions (clerk), any past the draft (office).
    unit_ids = (
        list(
            Assignment.objects.filter(unit_id=unit_id)
            .order_by("?")
            .values_list("suggestion_id", flat=True)[:500]
        )
        if total <= 20_000
        else [
            a
            for a in Assignment.objects.filter(unit_id=unit_id)
            .values_list("suggestion_id", flat=True)
            .order_by("id")[rng.randrange(0, 20_000) :][:500]
        ]
    )
    rng.shuffle(unit_ids)
    top = Suggestion.objects.order_by("-id").values_list("id", flat=True).first()
    office_ids = []
    while len(office_ids) < 300:
        s = (
            Suggestion.objects.filter(pk__gte=rng.randrange(1, top + 1))
            .exclude(state=State.DRAFT)
            .order_by("pk")
            .values_list("id", flat=True)
            .first()
        )
        if s:
            office_ids.append(s)
    deputy_ids = (
        list(
            Suggestion.objects.filter(lead_deputy=users["scale-deputy"]).values_list(
                "id", flat=True
            )[:200]
        )
        or office_ids[:1]
    )

    def cycle(items):
        i = 0
        while True:
            yield items[i % len(items)]
            i += 1

    unit_pick, office_pick, dep_pick = cycle(unit_ids), cycle(office_ids), cycle(deputy_ids)
    states = [State.ASSIGNED, State.CLOSED, State.ANSWERED, State.EVALUATED]
    counter = {"n": 0}

    def submit_body() -> dict:
        counter["n"] += 1
        return {
            "kind": "suggestion",
            "title": f"关于压测提交第{counter['n']}件的建议",
            "body": "压力测试写入的建议正文。",
            "submit": True,
        }

    Req = Callable[[], object]
    scenarios: list[tuple[str, str, str, Req, int]] = [
        (
            "unit queue page",
            "scale-clerk",
            "/suggestions/unit/?page=1..10",
            lambda: clients["scale-clerk"].get(f"/suggestions/unit/?page={rng.randrange(1, 11)}"),
            200,
        ),
        (
            "API list, unit+state+year",
            "scale-clerk",
            "/api/v1/suggestions?unit=&state=&year=&page=1..5",
            lambda: clients["scale-clerk"].get(
                f"/api/v1/suggestions?unit={unit_id}&state={rng.choice(states)}"
                f"&year={year - rng.randrange(0, 3)}&page={rng.randrange(1, 6)}"
            ),
            200,
        ),
        (
            "API list, office, state+year",
            "scale-office",
            "/api/v1/suggestions?state=&year=",
            lambda: clients["scale-office"].get(
                f"/api/v1/suggestions?state={rng.choice(states)}&year={year - rng.randrange(0, 3)}"
                f"&page={rng.randrange(1, 6)}"
            ),
            200,
        ),
        (
            "detail page (unit)",
            "scale-clerk",
            "/suggestions/{id}/",
            lambda: clients["scale-clerk"].get(f"/suggestions/{next(unit_pick)}/"),
            200,
        ),
        (
            "detail page (office)",
            "scale-office",
            "/suggestions/{id}/",
            lambda: clients["scale-office"].get(f"/suggestions/{next(office_pick)}/"),
            200,
        ),
        (
            "API detail (unit)",
            "scale-clerk",
            "/api/v1/suggestions/{id}",
            lambda: clients["scale-clerk"].get(f"/api/v1/suggestions/{next(unit_pick)}"),
            200,
        ),
        (
            "deputy: my suggestions",
            "scale-deputy",
            "/suggestions/mine/",
            lambda: clients["scale-deputy"].get("/suggestions/mine/"),
            200,
        ),
        (
            "deputy: detail page",
            "scale-deputy",
            "/suggestions/{id}/",
            lambda: clients["scale-deputy"].get(f"/suggestions/{next(dep_pick)}/"),
            200,
        ),
        (
            "statistics",
            "scale-office",
            "/api/v1/stats/suggestions?year=",
            lambda: clients["scale-office"].get(
                f"/api/v1/stats/suggestions?year={year - rng.randrange(0, 3)}"
            ),
            200,
        ),
        (
            "submit",
            "scale-deputy",
            "POST /api/v1/suggestions",
            lambda: clients["scale-deputy"].post(
                "/api/v1/suggestions", submit_body(), content_type="application/json"
            ),
            201,
        ),
    ]
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    figures: list[Figure] = []
    failed = False
    for name, _who, path, call, expect in scenarios:
        if only and not any(name.startswith(o) for o in only):
            continue
        fig = Figure(name=name, path=path)
        turns.wait()
        first = call()
        turns.done()
        if first.status_code == 404 and name == "statistics":
            fig.note = "skipped: 404 (the statistics endpoint is not on this branch)"
            figures.append(fig)
            continue
        for _ in range(args.warmup):
            turns.wait()
            r = call()
            turns.done()
        times = []
        for _ in range(args.requests):
            turns.wait()
            t0 = time.perf_counter()
            r = call()
            times.append((time.perf_counter() - t0) * 1000)
            turns.done()
            if r.status_code != expect:
                fig.note = f"status {r.status_code}: {r.content[:200]!r}"
                failed = True
        for _ in range(5):
            turns.wait()
            with CaptureQueriesContext(connection) as ctx:
                call()
            turns.done()
            fig.queries.append(len(ctx.captured_queries))
        fig.n = len(times)
        fig.p50, fig.p95, fig.max = (
            statistics.median(times),
            _pct(times, 0.95),
            max(times),
        )
        figures.append(fig)
        print(f"  {name}: p50 {fig.p50:.1f} ms, p95 {fig.p95:.1f} ms", file=sys.stderr, flush=True)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = connection.vendor
    print(f"\n{vendor}, {total:,} suggestions, {args.requests} requests per row, in-process\n")
    print("| request | p50 ms | p95 ms | max ms | queries | note |")
    print("|---|---:|---:|---:|---:|---|")
    for f in figures:
        q = sorted(set(f.queries))
        qtext = "–" if not q else (str(q[0]) if len(q) == 1 else f"{q[0]}–{q[-1]}")
        if not f.n:
            print(f"| {f.name} | | | | | {f.note} |")
            continue
        print(f"| {f.name} | {f.p50:.1f} | {f.p95:.1f} | {f.max:.1f} | {qtext} | {f.note} |")
    print(f"\nPeak RSS of the benchmark process: {peak:.0f} MB")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "vendor": vendor,
                    "suggestions": total,
                    "peak_rss_mb": peak,
                    "figures": [asdict(f) for f in figures],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
