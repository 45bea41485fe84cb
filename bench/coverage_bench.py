#!/usr/bin/env python3
"""Benchmark of the deputies' public profile and the office's coverage dashboard (issue 4).
Run by hand, not by pytest:

    .venv/bin/python bench/coverage_bench.py                          # SQLite, throwaway dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_bench_cov \\
        .venv/bin/python bench/coverage_bench.py                      # PostgreSQL (db made)

It migrates a fresh database, inserts rows directly (set-based SQL, not the actions):
`--deputies` deputyships (default 100,000) over `--congresses` congresses (the measured one has
`--big` of them, default 10,000), `--per-deputy` duty records each (default 50: 5,000,000),
a standing committee of 60 with fixed contacts, delegations, and a few unexcused session
absences; then times, in-process through Django's test client (the whole view and template,
no network): the coverage dashboard (unfiltered, by delegation, the flag list) and the public
profile of random deputies; prints p50/p95 and the query plans of the lists.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(args: argparse.Namespace) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["RENDA_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="renda-cov-bench-")
        print(f"data directory: {os.environ['RENDA_DATA_DIR']}", flush=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    # "test": static files from the apps (no collectstatic); DEBUG stays off.
    os.environ.setdefault("RENDA_ENV", "test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(label: str, fn) -> None:  # noqa: ANN001
    t = time.perf_counter()
    fn()
    print(f"  {label}: {time.perf_counter() - t:.1f} s", flush=True)


def _fill(args: argparse.Namespace) -> dict:
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from renda.accounts.models import RoleAssignment, User
    from renda.deputies.models import ContactLink, Delegation, Deputyship, Person
    from renda.orgs.models import Congress, Session, StandingCommitteeMembership, Term

    vendor = connection.vendor
    UNUSABLE = make_password(None)  # noqa: N806 (an unusable password: no hashing)
    start = date(2022, 1, 1)
    congresses, terms = [], []
    for i in range(args.congresses):
        c = Congress.objects.create(
            name=f"基准人大{i}", level="county", region_name=f"基准{i}", division_code=f"33{i:04d}"
        )
        congresses.append(c)
        terms.append(Term.objects.create(congress=c, number=14, start_date=start))
    big, big_term = congresses[0], terms[0]
    sessions = [
        Session.objects.create(
            term=big_term,
            number=n,
            start_date=date(2021 + n, 1, 20),
            end_date=date(2021 + n, 1, 23),
        )
        for n in range(1, 5)
    ]
    delegations = [
        Delegation.objects.create(congress=big, term=big_term, name=f"第{n}代表团")
        for n in range(1, 21)
    ]
    office = User.objects.create(username="office", password=make_password("x"))
    RoleAssignment.objects.create(user=office, role="deputy_affairs", congress=big)

    sizes = [args.big] + [(args.deputies - args.big) // max(1, args.congresses - 1)] * (
        args.congresses - 1
    )

    def people() -> None:
        batch = 10_000
        n = 0
        for ci, size in enumerate(sizes):
            for lo in range(0, size, batch):
                hi = min(size, lo + batch)
                with transaction.atomic():
                    users = User.objects.bulk_create(
                        [
                            User(
                                username=f"b{ci}_{k}", full_name=f"代表{ci}-{k}", password=UNUSABLE
                            )
                            for k in range(lo, hi)
                        ]
                    )
                    persons = Person.objects.bulk_create(
                        [
                            Person(
                                user=u,
                                name=u.full_name,
                                id_number=f"B{n + j:017d}",
                                address="某路1号",
                                birth_month=date(1980, 1, 1),
                            )
                            for j, u in enumerate(users)
                        ]
                    )
                    Deputyship.objects.bulk_create(
                        [
                            Deputyship(
                                person=p,
                                congress=congresses[ci],
                                term=terms[ci],
                                electoral_unit="某选区",
                                delegation=delegations[(lo + j) % 20] if ci == 0 else None,
                                public_fields=["gender", "workplace", "delegation"],
                            )
                            for j, p in enumerate(persons)
                        ]
                    )
                n += hi - lo

    _timed(f"{sum(sizes):,} users, people and deputyships", people)

    kinds = (
        "ARRAY['session','inspection','reception','group_activity','suggestion','motion',"
        "'other','report_back','training','sc_sitting','reception','inspection','suggestion',"
        "'reception','group_activity','other','session']"
    )
    per = args.per_deputy

    def duties() -> None:
        with connection.cursor() as cur:
            if vendor == "postgresql":
                cur.execute(
                    f"""
                    INSERT INTO deputies_dutyrecord
                      (deputyship_id, kind, occurred_on, year, title, source, source_ref,
                       created_at)
                    SELECT d.id, k.kind, k.day, EXTRACT(YEAR FROM k.day)::int, '基准履职',
                           'manual', '', now()
                    FROM deputies_deputyship d
                    CROSS JOIN generate_series(1, {per}) AS j
                    CROSS JOIN LATERAL (
                      SELECT CASE
                        WHEN raw = 'report_back' AND d.id % 4 = 0 THEN 'reception'
                        WHEN raw = 'training' AND d.id % 5 = 0 THEN 'inspection'
                        WHEN raw = 'sc_sitting' AND d.id % 3 = 0 THEN 'suggestion'
                        ELSE raw END AS kind,
                        DATE '2022-01-01' + ((d.id * 13 + j * 37) % 1790)::int AS day
                      FROM (SELECT ({kinds})[(1 + (d.id * 31 + j * 7) % 17)::int] AS raw) r
                    ) k
                    """  # noqa: S608 (per is an int from argparse)
                )
            else:
                cur.execute("CREATE TEMP TABLE kinds (n INTEGER PRIMARY KEY, kind TEXT)")
                names = kinds[len("ARRAY[") : -1].replace("'", "").split(",")
                cur.executemany("INSERT INTO kinds VALUES (%s, %s)", list(enumerate(names)))
                cur.execute(
                    f"""
                    WITH RECURSIVE seq(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM seq
                                              WHERE j < {per})
                    INSERT INTO deputies_dutyrecord
                      (deputyship_id, kind, occurred_on, year, title, source, source_ref,
                       created_at)
                    SELECT d.id,
                      CASE WHEN k.kind = 'report_back' AND d.id % 4 = 0 THEN 'reception'
                           WHEN k.kind = 'training' AND d.id % 5 = 0 THEN 'inspection'
                           WHEN k.kind = 'sc_sitting' AND d.id % 3 = 0 THEN 'suggestion'
                           ELSE k.kind END,
                      date('2022-01-01', '+' || ((d.id * 13 + seq.j * 37) % 1790) || ' days'),
                      CAST(strftime('%Y', date('2022-01-01',
                           '+' || ((d.id * 13 + seq.j * 37) % 1790) || ' days')) AS INTEGER),
                      '基准履职', 'manual', '', datetime('now')
                    FROM deputies_deputyship d CROSS JOIN seq
                    JOIN kinds k ON k.n = (d.id * 31 + seq.j * 7) % 17
                    """  # noqa: S608 (per is an int from argparse)
                )

    _timed(f"{sum(sizes) * per:,} duty records", duties)

    def tally() -> None:
        from renda.deputies import tallies

        tallies.rebuild()  # the records were inserted behind the actions: count them

    _timed("duty tallies", tally)

    def committee() -> None:
        members = []
        for k in range(60):
            u = User.objects.create(username=f"sc{k}", password=UNUSABLE, full_name=f"委员{k}")
            members.append(
                StandingCommitteeMembership.objects.create(
                    congress=big, term=big_term, user=u, start_date=start
                )
            )
        ids = list(Deputyship.objects.filter(congress=big).values_list("pk", flat=True)[:600])
        ContactLink.objects.bulk_create(
            [
                ContactLink(member=m, deputyship_id=ids[(i * 5 + j) % len(ids)])
                for i, m in enumerate(members)
                for j in range(5 if i % 4 else 3)
            ]
        )

    _timed("standing committee and contacts", committee)

    def absences() -> None:
        from datetime import datetime
        from datetime import time as dtime

        from django.utils import timezone

        from renda.deputies.models import Activity, Attendance

        ids = list(Deputyship.objects.filter(congress=big).values_list("pk", flat=True)[:3000])
        for s in sessions:
            at = timezone.make_aware(datetime.combine(s.start_date, dtime(9)))
            act = Activity.objects.create(
                congress=big,
                kind="session",
                title=f"第{s.number}次会议",
                starts_at=at,
                ends_at=at,
                checkin_opens_at=at,
                checkin_closes_at=at,
                session=s,
                organiser=office,
                state="closed",
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        activity=act,
                        deputyship_id=d,
                        outcome="absent" if (d + s.number) % 97 == 0 else "attended",
                    )
                    for d in ids
                ]
            )

    _timed("session attendance (4 sessions × 3,000)", absences)
    with connection.cursor() as cur:
        # PostgreSQL: VACUUM sets the visibility map, which index-only scans of the duty index
        # need (autovacuum does this in production; a bulk load must not wait for it).
        cur.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    return {"office": office, "big": big}


def _measure(label: str, client, urls: list[str], rounds: int) -> None:  # noqa: ANN001
    for u in urls[:2]:
        assert client.get(u).status_code == 200, u  # warm
    times, cpu = [], []
    for i in range(rounds):
        url = urls[i % len(urls)]
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    cpu.sort()

    def p95(xs: list[float]) -> float:
        return xs[max(0, int(len(xs) * 0.95) - 1)]

    # Wall time counts waiting for a CPU on a busy machine; this process's CPU time does not
    # (on SQLite it is all the work; on PostgreSQL the server's share is not in it).
    print(
        f"  {label:<34} n={len(times):>4}  wall p50 {statistics.median(times):6.1f}"
        f"  p95 {p95(times):6.1f} ms   cpu p50 {statistics.median(cpu):6.1f}"
        f"  p95 {p95(cpu):6.1f} ms",
        flush=True,
    )


def _plans(big) -> None:  # noqa: ANN001
    from django.db import connection
    from django.utils import timezone

    from renda.deputies.queries_coverage import (
        CoverageFilter,
        current_term,
        flagged_counts,
        missing_by_delegation,
        missing_duty,
    )

    f = CoverageFilter(congress=big, term=current_term(big), today=timezone.localdate())
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for label, qs in (
        ("list (report_back, page 1)", missing_duty(f, "report_back")[:50]),
        ("flag (GROUP BY … HAVING)", flagged_counts(f)),
    ):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute(explain + sql, params)
            print(f"  plan of the {label}:")
            for row in cur.fetchall():
                print("    ", " | ".join(str(c) for c in row))
    # The by-delegation counts (one GROUP BY with three NOT EXISTS).
    t = time.perf_counter()
    missing_by_delegation(f)
    print(f"  counts by delegation alone: {(time.perf_counter() - t) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deputies", type=int, default=100_000)
    parser.add_argument("--congresses", type=int, default=10)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--per-deputy", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--data-dir", default="", help="SQLite: reuse (or keep) this directory")
    args = parser.parse_args()
    _setup(args)
    from django.db import connection
    from django.test import Client

    print(f"database: {connection.vendor}", flush=True)
    from renda.accounts.models import User
    from renda.orgs.models import Congress

    if Congress.objects.filter(division_code="330000").exists():  # kept from an earlier run
        made = {
            "office": User.objects.get(username="office"),
            "big": Congress.objects.get(division_code="330000"),
        }
    else:
        made = _fill(args)
    big = made["big"]
    from renda.deputies.models import Delegation, Deputyship

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(made["office"])
    base = f"/deputies/office/coverage/?congress={big.pk}"
    dl = Delegation.objects.filter(congress=big).first()
    print(f"measured congress: {Deputyship.objects.filter(congress=big).count():,} deputies")
    _measure("dashboard, whole congress", client, [base], args.rounds)
    _measure("dashboard, one delegation", client, [f"{base}&delegation={dl.pk}"], args.rounds)
    _measure("dashboard, page 20 of a list", client, [f"{base}&list=training&page=20"], args.rounds)
    _measure("dashboard, the flag list", client, [f"{base}&list=flagged"], args.rounds)
    codes = list(Deputyship.objects.values_list("public_code", flat=True).order_by("?")[:200])
    anonymous = Client(HTTP_HOST="127.0.0.1")
    _measure(
        "public profile (random deputies)",
        anonymous,
        [f"/d/{c}/" for c in codes],
        max(args.rounds, 200),
    )
    _plans(big)


if __name__ == "__main__":
    random.seed(4)
    main()
