"""Time the recomputation of a congress-year's performance points (issue 4 benchmark: "a full
score recompute for 10,000 deputies under 30 s"), on the database the settings point at
(RENDA_DATA_DIR for SQLite, DATABASE_URL for PostgreSQL).

Two steps, so that `/usr/bin/time -v` measures the recompute alone:

    # 1. fill: a bench congress (division code 539900) with N deputyships and ~M duty records
    #    each in the year (inserted directly, in batches), plus a few hundred the year before
    export RENDA_DATA_DIR=var/scorebench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py collectstatic --noinput
    .venv/bin/python bench/scoring_bench.py fill --deputies 10000 --records 50
    # 2. run: recompute_scores() R times; then the reads a person makes at that size
    /usr/bin/time -v .venv/bin/python bench/scoring_bench.py run --rounds 3

`run` prints each recompute's wall time and query count (`--recompute-only` stops there, for
the peak memory of the recompute alone), then p50/max of: one deputy's score
through the API (`GET /api/v1/deputies/{id}/score`, the deputy's own token), the office's
ranked list page (first page of 10,000, with its rank window) and the Excel export of all.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
os.environ.setdefault("RENDA_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

CODE = "539900"
KINDS = (
    ("session", 2),
    ("sc_sitting", 3),
    ("inspection", 8),
    ("reception", 10),
    ("training", 4),
    ("report_back", 1),
    ("group_activity", 10),
    ("suggestion", 8),
    ("motion", 1),
    ("other", 2),
    ("leave", 3),
    ("absence", 1),
)


def fill(deputies: int, records: int, year: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from renda.accounts.models import RoleAssignment, User
    from renda.deputies import tallies
    from renda.deputies.models import Deputyship, DutyRecord, Person
    from renda.orgs.models import Congress, Term

    started = time.perf_counter()
    congress, _ = Congress.objects.get_or_create(
        division_code=CODE,
        defaults={"name": "评测市人民代表大会", "level": "city", "region_name": "评测市"},
    )
    term, _ = Term.objects.get_or_create(
        congress=congress, number=1, defaults={"start_date": date(year - 2, 1, 1)}
    )
    office, created = User.objects.get_or_create(
        username="scorebench-office", defaults={"full_name": "评测办公室"}
    )
    if created:
        office.password = make_password("scorebench-2026")
        office.save()
        RoleAssignment.objects.create(user=office, role="deputy_affairs", congress=congress)
    have = Deputyship.objects.filter(congress=congress).count()
    rng = random.Random(2026)
    weights = [w for _k, w in KINDS]
    kinds = [k for k, _w in KINDS]
    span = (min(date(year, 12, 31), timezone.localdate()) - date(year, 1, 1)).days
    unusable = make_password(None)
    batch = 1000
    for start in range(have, deputies, batch):
        n = min(batch, deputies - start)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(username=f"scorebench-{i:06d}", full_name=f"代表{i:06d}", password=unusable)
                for i in range(start, start + n)
            )
            people = Person.objects.bulk_create(Person(user=u, name=u.full_name) for u in users)
            seats = Deputyship.objects.bulk_create(
                Deputyship(person=p, congress=congress, term=term, electoral_unit="评测区")
                for p in people
            )
            rows = []
            for d in seats:
                count = max(1, int(rng.gauss(records, records / 5)))
                for j, kind in enumerate(rng.choices(kinds, weights, k=count)):
                    on = date(year, 1, 1) + timedelta(days=rng.randint(0, span))
                    rows.append(
                        DutyRecord(
                            deputyship=d,
                            kind=kind,
                            occurred_on=on,
                            year=year,
                            title=kind,
                            source="manual",
                            source_ref=f"bench:{year}:{j}",
                        )
                    )
                if rng.random() < 0.05:  # a few of last year's, which must not count
                    rows.append(
                        DutyRecord(
                            deputyship=d,
                            kind="training",
                            occurred_on=date(year - 1, 6, 1),
                            year=year - 1,
                            title="training",
                            source="manual",
                        )
                    )
            DutyRecord.objects.bulk_create(rows, batch_size=5000)
            tallies.rebuild([d.pk for d in seats])  # written behind the actions: count them
        done = start + n
        print(f"  {done} deputies, {time.perf_counter() - started:.0f} s", flush=True)
    total = DutyRecord.objects.filter(deputyship__congress=congress, year=year).count()
    print(f"filled: {deputies} deputyships, {total} duty records in {year}")


def _timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(rounds: int, year: int, reads: bool = True) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from renda.accounts.actions import issue_api_token
    from renda.accounts.models import User
    from renda.deputies.actions.scoring import recompute_scores
    from renda.deputies.models import DeputyScore, Deputyship, DutyRecord
    from renda.orgs.models import Congress

    congress = Congress.objects.get(division_code=CODE)
    office = User.objects.get(username="scorebench-office")
    deputies = Deputyship.objects.filter(congress=congress).count()
    records = DutyRecord.objects.filter(deputyship__congress=congress, year=year).count()
    print(f"{connection.vendor}: {deputies} deputyships, {records} duty records in {year}")
    for i in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            scoring = recompute_scores(congress, year, by=office)
            took = time.perf_counter() - t
        print(f"recompute {i + 1}: {took:.2f} s, {scoring.deputies} scores, {len(queries)} queries")
    assert DeputyScore.objects.filter(deputyship__congress=congress, year=year).count() == deputies
    if not reads:
        return

    one = Deputyship.objects.filter(congress=congress).select_related("person__user").first()
    token, _row = issue_api_token(one.person.user)
    deputy = Client(headers={"Authorization": f"Bearer {token}"})
    assert deputy.get(f"/api/v1/deputies/{one.pk}/score?year={year}").status_code == 200
    api = _timed(lambda: deputy.get(f"/api/v1/deputies/{one.pk}/score?year={year}"), 20)
    web = Client()
    web.force_login(office)
    page_url = f"/deputies/scores/?congress={congress.pk}&year={year}"
    assert web.get(page_url).status_code == 200
    page = _timed(lambda: web.get(page_url), 10)
    xlsx_url = f"/deputies/scores.xlsx?congress={congress.pk}&year={year}"

    def excel() -> None:
        response = web.get(xlsx_url)
        b"".join(response.streaming_content)

    export = _timed(excel, 2)
    for name, values in (("score API", api), ("ranked list page", page), ("Excel export", export)):
        print(f"{name}: p50 {statistics.median(values):.0f} ms, max {max(values):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["fill", "run"])
    parser.add_argument("--deputies", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=50, help="duty records per deputy")
    parser.add_argument("--year", type=int, help="default: this year")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--recompute-only", action="store_true", help="skip the reads (peak memory of a recompute)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.utils import timezone

    year = args.year or timezone.localdate().year
    if args.step == "fill":
        fill(args.deputies, args.records, year)
    else:
        run(args.rounds, year, reads=not args.recompute_only)


if __name__ == "__main__":
    main()
