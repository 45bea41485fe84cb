#!/usr/bin/env python3
"""Deputies at scale (issue 4): the public profile, the office's coverage dashboard and a full
score recompute, on the data `seed_scale --deputyships` made. Run by hand, not by pytest:

    export RENDA_DATA_DIR=var/dscale      # SQLite; or DATABASE_URL=postgres://… for PostgreSQL
    .venv/bin/python manage.py migrate
    /usr/bin/time -v .venv/bin/python manage.py seed_scale --deputyships 100000
    .venv/bin/python bench/deputies_bench.py [--rounds 40] [--profiles 200] [--recomputes 3]

It times the real views in-process through Django's test client (middleware, view, queries,
template; no network) and prints p50/p95 of the wall time and of this process's CPU time (on a
shared machine the wall time includes waiting for a CPU; on PostgreSQL the server's share is
not in the CPU time). Then the score recompute of the largest congress (10,000 deputies) for
this year, and, for comparison, the two reads the duty tallies replaced, run both ways on the
same data: the dashboard's counts by delegation and the recompute's counts per deputy and kind.
Goals: profile p95 < 100 ms; dashboard < 500 ms; recompute < 30 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    # "test": static files from the apps (no collectstatic); DEBUG stays off.
    os.environ.setdefault("RENDA_ENV", "test")
    import django

    django.setup()


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[max(0, int(len(xs) * 0.95) - 1)]


def _report(label: str, wall: list[float], cpu: list[float]) -> None:
    print(
        f"  {label:<38} n={len(wall):>4}  wall p50 {statistics.median(wall):7.1f}"
        f"  p95 {p95(wall):7.1f} ms   cpu p50 {statistics.median(cpu):7.1f}"
        f"  p95 {p95(cpu):7.1f} ms",
        flush=True,
    )


def measure_pages(label: str, client, urls: list[str], rounds: int) -> None:  # noqa: ANN001
    for u in urls[:2]:
        assert client.get(u).status_code == 200, u  # warm
    wall, cpu = [], []
    for i in range(rounds):
        url = urls[i % len(urls)]
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    _report(label, wall, cpu)


def measure_call(label: str, fn: Callable[[], object], rounds: int) -> None:
    fn()  # warm
    wall, cpu = [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    _report(label, wall, cpu)


def counts_from_records(f) -> list:  # noqa: ANN001
    """The dashboard's counts as they were read before the tallies: three NOT EXISTS probes of
    the duty records (duty_deputy_kind_idx) per deputy."""
    from django.db.models import Count, Exists, OuterRef

    from renda.deputies.models import DutyRecord
    from renda.deputies.queries_coverage import DUTY_LISTS, _deputyships

    def has(kind: str) -> Exists:
        return Exists(
            DutyRecord.objects.filter(
                deputyship=OuterRef("pk"),
                kind=kind,
                occurred_on__gte=f.since,
                occurred_on__lte=f.until,
            )
        )

    aggregates = {key: Count("pk", filter=~has(kind)) for key, kind in DUTY_LISTS.items()}
    return list(
        _deputyships(f)
        .order_by()
        .values("delegation_id", "delegation__name")
        .annotate(deputies=Count("pk"), **aggregates)
    )


def year_counts_from_records(congress_id: int, year: int) -> dict:
    """The recompute's counts as they were read before the tallies: a GROUP BY over the year's
    duty records (duty_deputy_year_idx)."""
    from django.db.models import Count

    from renda.deputies.models import DutyRecord

    counts: dict = {}
    rows = (
        DutyRecord.objects.filter(deputyship__congress_id=congress_id, year=year)
        .values_list("deputyship_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for d, kind, n in rows.iterator(chunk_size=5000):
        counts.setdefault(d, {})[kind] = n
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="requests per dashboard view")
    parser.add_argument("--profiles", type=int, default=200, help="profile requests")
    parser.add_argument("--recomputes", type=int, default=3)
    parser.add_argument("--compare", type=int, default=10, help="rounds of the before/after reads")
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from renda.accounts.models import User
    from renda.deputies import tallies
    from renda.deputies.actions.scoring import recompute_scores, year_counts
    from renda.deputies.models import Delegation, Deputyship, DutyRecord, DutyTally
    from renda.deputies.queries_coverage import (
        CoverageFilter,
        current_term,
        missing_by_delegation,
    )
    from renda.deputies.scale import OFFICE, PROVINCE_CODE
    from renda.orgs.models import Congress

    big = Congress.objects.filter(division_code=PROVINCE_CODE).first()
    if big is None:
        sys.exit("No seeded data: run `manage.py seed_scale --deputyships 100000` first.")
    office = User.objects.get(username=OFFICE)
    print(
        f"database: {connection.vendor}; {Deputyship.objects.count():,} deputyships, "
        f"{DutyRecord.objects.count():,} duty records, {DutyTally.objects.count():,} tallies; "
        f"measured congress: {Deputyship.objects.filter(congress=big).count():,} deputies",
        flush=True,
    )
    print(f"load average at the start: {os.getloadavg()}", flush=True)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    base = f"/deputies/office/coverage/?congress={big.pk}"
    dl = Delegation.objects.filter(congress=big).first()
    measure_pages("dashboard, whole congress", client, [base], args.rounds)
    measure_pages("dashboard, one delegation", client, [f"{base}&delegation={dl.pk}"], args.rounds)
    measure_pages("dashboard, page 20 of a list", client, [f"{base}&list=training&page=20"],
                  args.rounds)  # fmt: skip
    measure_pages("dashboard, the DEP-TERMINATE list", client, [f"{base}&list=flagged"],
                  args.rounds)  # fmt: skip
    ids = list(Deputyship.objects.values_list("pk", flat=True))
    rng = random.Random(4)  # noqa: S311 - which deputies, reproducibly
    picked = rng.sample(ids, min(len(ids), args.profiles))
    codes = dict(Deputyship.objects.filter(pk__in=picked).values_list("pk", "public_code"))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    measure_pages("public profile (random deputies)", anonymous,
                  [f"/d/{codes[p]}/" for p in picked], args.profiles)  # fmt: skip

    year = timezone.localdate().year
    print(f"score recompute, {big.name}, {year}:", flush=True)
    for i in range(args.recomputes):
        t, c = time.perf_counter(), time.process_time()
        scoring = recompute_scores(big, year, by=office)
        print(
            f"  run {i + 1}: {scoring.deputies:,} deputies in {time.perf_counter() - t:.2f} s"
            f" (cpu {time.process_time() - c:.2f} s)",
            flush=True,
        )

    print("the reads the tallies replaced, both ways on the same data:", flush=True)
    f = CoverageFilter(congress=big, term=current_term(big), today=timezone.localdate())
    assert sorted(map(sorted, (r.items() for r in counts_from_records(f)))) == sorted(
        map(sorted, (r.items() for r in missing_by_delegation(f)))
    ), "the tallies and the records disagree"
    measure_call("dashboard counts, from the records", lambda: counts_from_records(f),
                 args.compare)  # fmt: skip
    measure_call("dashboard counts, from the tallies", lambda: missing_by_delegation(f),
                 args.compare)  # fmt: skip
    assert year_counts_from_records(big.pk, year) == year_counts(big.pk, year)
    measure_call("recompute's counts, from the records",
                 lambda: year_counts_from_records(big.pk, year), args.compare)  # fmt: skip
    measure_call("recompute's counts, from the tallies", lambda: year_counts(big.pk, year),
                 args.compare)  # fmt: skip
    sample = rng.sample(ids, 500)
    wrong = tallies.check(sample)
    verdict = "all agree" if not wrong else wrong[:5]
    print(f"tallies of 500 random deputies against their records: {verdict}", flush=True)
    print(f"load average at the end: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
