"""Time the roster import (issue 4: "a 5,000-row roster imports in seconds").

Run against a scratch database (it adds a congress, a term and the deputies it imports):

    RENDA_DATA_DIR=var/bench-roster .venv/bin/python manage.py migrate
    RENDA_DATA_DIR=var/bench-roster .venv/bin/python bench/roster_bench.py --rows 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renda_roster_bench ... (the same two lines)

Writes a 5,000-row .xlsx with openpyxl (an ordinary workbook, like Excel's; valid GB 11643
numbers, 10 delegations), then times, through the actions the views and the API call: the dry
run (read + check every row) on an empty term, the import (read and check again, write,
audit), and a second dry run and import of the same file (every row an update). Prints wall
times, this process's CPU time (the figure a busy machine distorts least; PostgreSQL's own
work is not in it) and peak memory.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")


def roster(n: int, code: str) -> bytes:
    from openpyxl import Workbook

    from renda.deputies.idcards import check_char
    from renda.deputies.roster import HEADERS

    # An ordinary workbook, as Excel writes one (shared strings, a dimension record).
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for i in range(n):
        year, month, day = 1950 + i % 50, 1 + i % 12, 1 + i // 1000 % 28
        first17 = f"{code}{year:04d}{month:02d}{day:02d}{i % 1000:03d}"
        number = first17 + check_char(first17)
        ws.append(
            [
                f"代表{i:05d}",
                "男" if i % 1000 % 2 else "女",
                "汉族",
                f"{year}.{month:02d}",
                number,
                "中共党员",
                f"示范单位{i % 300}负责人",
                f"第{i % 40 + 1}选区",
                f"代表团{i % 10}",
                f"15{i:09d}",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from renda.accounts.models import User
    from renda.deputies.actions.roster import import_roster, preview_roster
    from renda.deputies.models import Delegation
    from renda.orgs.models import Congress, Term

    code = "990100"
    congress, _ = Congress.objects.get_or_create(
        division_code=code,
        defaults={"name": "基准市人民代表大会", "level": "city", "region_name": "基准市"},
    )
    number = Term.objects.filter(congress=congress).count() + 1
    term = Term.objects.create(congress=congress, number=number, start_date=date(2022, 1, 1))
    for i in range(10):
        Delegation.objects.create(congress=congress, term=term, name=f"代表团{i}")
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    if number > 1:
        print("note: a term was imported before in this database; the ID numbers repeat, so the")
        print("first import below updates the same people (use a fresh database for clean figures)")
    data = roster(args.rows, code)
    print(f"{connection.vendor}: {args.rows} rows, {len(data) / 1e6:.1f} MB .xlsx")

    for label in ("first (creates)", "second (updates)"):
        t0, c0 = time.perf_counter(), time.process_time()
        report = preview_roster(io.BytesIO(data), congress=congress, term=term, by=admin)
        t1, c1 = time.perf_counter(), time.process_time()
        assert report.ok, [r.errors for r in report.rows if r.errors][:3]
        report = import_roster(io.BytesIO(data), congress=congress, term=term, by=admin)
        t2, c2 = time.perf_counter(), time.process_time()
        print(
            f"{label}: dry run {t1 - t0:.2f} s (CPU {c1 - c0:.2f} s); import {t2 - t1:.2f} s "
            f"(CPU {c2 - c1:.2f} s) (created {report.created}, updated {report.updated})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
