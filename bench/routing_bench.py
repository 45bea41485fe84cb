#!/usr/bin/env python3
"""Benchmark of the assignment proposals (issue 7 point 2). Run by hand, not by pytest, on a
database that already holds history (e.g. `seed_scale --suggestions 1000000`, or an archive
brought in with `import_history`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_s7b_1m RENDA_DATA_DIR=var/bench1m \\
        .venv/bin/python bench/routing_bench.py --congress 530000 [--proposals 300]

It migrates, trains the congress's model (`train_model`: wall time and the process's peak
memory), then in a fresh process (as a worker would) loads the model and times `propose()` —
model in memory, the unit names from the database — for the titles of random suggestions:
p50/p95 and the worker's memory after loading. `evaluate_routing` is run separately
(docs/performance.md, "Routing").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def serve(congress_id: int, n: int, seed: int) -> dict:
    import django

    django.setup()
    from renda.routing.queries import propose
    from renda.suggestions.models import Suggestion

    base = rss_mb()
    hi = (
        Suggestion.objects.filter(congress_id=congress_id)
        .order_by("-pk")
        .values_list("pk", flat=True)[:1][0]
    )
    rng = random.Random(seed)
    titles = []
    while len(titles) < n:
        row = (
            Suggestion.objects.filter(congress_id=congress_id, pk__gte=rng.randrange(1, hi))
            .order_by("pk")
            .values_list("title", "body")
            .first()
        )
        if row:
            titles.append(row)
    started = time.perf_counter()
    first = propose(congress_id, *titles[0])
    load_s = time.perf_counter() - started
    after_load = rss_mb()
    times = []
    for title, body in titles:
        t = time.perf_counter()
        found = propose(congress_id, title, body)
        times.append((time.perf_counter() - t) * 1000)
        assert found.units, found.why_none
    times.sort()
    return {
        "first_call_s": round(load_s, 2),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "max_ms": round(times[-1], 1),
        "rss_before_mb": round(base),
        "rss_after_mb": round(max(after_load, rss_mb())),
        "units_first": [u.name for u in first.units[:3]],
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--congress", required=True, help="Id or division code.")
    p.add_argument("--proposals", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-train", action="store_true")
    p.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.serve:
        print(json.dumps(serve(a.serve, a.proposals, a.seed)))
        return
    import django

    django.setup()
    from django.core.management import call_command

    from renda.routing.actions import train_model
    from renda.routing.management.commands._congress import congress_arg

    call_command("migrate", verbosity=0)
    congress = congress_arg(a.congress)
    print(f"load average: {os.getloadavg()}; cores: {os.cpu_count()}")
    if not a.no_train:
        started = time.monotonic()
        r = train_model(congress)
        took = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t = r.trained
        assert t is not None, r.reason
        size = Path(t.path).stat().st_size / 1e6
        print(
            f"retrain: {took:.1f} s wall ({t.samples} samples of {t.seen}, {t.units} units), "
            f"peak RSS {peak:.0f} MB, model file {size:.1f} MB; held-out top-1 {t.top1:.1%}, "
            f"top-3 {t.top3:.1%}"
        )
    out = subprocess.run(
        [sys.executable, __file__, "--congress", a.congress, "--serve", str(congress.pk),
         "--proposals", str(a.proposals), "--seed", str(a.seed)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    print("proposals (fresh worker process):", out.stdout.strip().splitlines()[-1])
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
