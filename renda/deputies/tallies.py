"""Duty tallies: per (deputyship, kind, year), how many duty records there are (`DutyTally`).

Kept by the code that writes or removes duty records, inside the same transaction:
`record_duty` adds one, `remove_manual_duty` takes one away, `close_activity` adds its whole
attendance at once (`add_many`). Code that writes records in bulk outside the actions (the demo
data, `seed_scale`, test builders) calls `rebuild` for the deputyships it touched. A row whose
count reaches zero is deleted: "has a duty of this kind in these years" is "a row exists".

`check` compares the tallies with the records (the tests, and `manage.py check_duty_tallies`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, F

from .models import Deputyship, DutyRecord, DutyTally

_TABLE = DutyTally._meta.db_table
_RECORDS = DutyRecord._meta.db_table
_BATCH = 500
_FILL = (
    f"INSERT INTO {_TABLE} (deputyship_id, congress_id, kind, year, n) "  # noqa: S608
    f"SELECT r.deputyship_id, d.congress_id, r.kind, r.year, COUNT(*) FROM {_RECORDS} r "
    f"JOIN {Deputyship._meta.db_table} d ON d.id = r.deputyship_id"
)


Key = tuple[int, int, str, int]  # (congress id, deputyship id, kind, year)


def add_many(counts: Counter[Key] | dict[Key, int]) -> None:
    """Add `n` to each (congress id, deputyship id, kind, year) — the congress is the
    deputyship's: one upsert per 500 keys (INSERT … ON CONFLICT DO UPDATE n = n + excluded.n,
    on SQLite ≥ 3.24 and PostgreSQL alike)."""
    items = [(c, d, k, y, n) for (c, d, k, y), n in counts.items() if n]
    if not items:
        return
    with connection.cursor() as cur:
        for lo in range(0, len(items), _BATCH):
            chunk = items[lo : lo + _BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cur.execute(
                f"INSERT INTO {_TABLE} (congress_id, deputyship_id, kind, year, n) "  # noqa: S608 - table names
                f"VALUES {values} "
                "ON CONFLICT (deputyship_id, kind, year) DO UPDATE SET n = "
                f"{_TABLE}.n + excluded.n",
                [v for row in chunk for v in row],
            )


def add(deputyship: Any, kind: str, year: int, n: int = 1) -> None:
    add_many({(deputyship.congress_id, deputyship.pk, kind, year): n})


def remove(deputyship_id: int, kind: str, year: int, n: int = 1) -> None:
    """Take `n` away; the row goes when nothing is left."""
    # Delete first: after the decrement the row would match `n <= n` and go too.
    rows = DutyTally.objects.filter(deputyship_id=deputyship_id, kind=kind, year=year)
    rows.filter(n__lte=n).delete()
    rows.filter(n__gt=n).update(n=F("n") - n)


def rebuild(deputyship_ids: Iterable[int] | None = None) -> int:
    """Recount from the records, set-based: every deputyship's tallies (None) or those of the
    given deputyships (in chunks of 500). Returns the number of tally rows written."""
    written = 0
    with connection.cursor() as cur:
        if deputyship_ids is None:
            cur.execute(f"DELETE FROM {_TABLE}")  # noqa: S608 - table names
            cur.execute(f"{_FILL} GROUP BY r.deputyship_id, d.congress_id, r.kind, r.year")
            return cur.rowcount
        ids = sorted(set(deputyship_ids))
        for lo in range(0, len(ids), _BATCH):
            chunk = ids[lo : lo + _BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(f"DELETE FROM {_TABLE} WHERE deputyship_id IN ({marks})", chunk)  # noqa: S608
            cur.execute(
                f"{_FILL} WHERE r.deputyship_id IN ({marks}) "
                "GROUP BY r.deputyship_id, d.congress_id, r.kind, r.year",
                chunk,
            )
            written += cur.rowcount
    return written


def check(deputyship_ids: Iterable[int] | None = None) -> list[tuple[int, str, int, int, int]]:
    """Where the tallies and the records disagree: (deputyship, kind, year, tally, records)
    for each such key; [] when they agree."""
    records = DutyRecord.objects.all()
    tallies = DutyTally.objects.all()
    if deputyship_ids is not None:
        ids = list(deputyship_ids)
        records = records.filter(deputyship_id__in=ids)
        tallies = tallies.filter(deputyship_id__in=ids)
    counted: Counter[tuple[int, str, int]] = Counter()
    for row in records.order_by().values("deputyship_id", "kind", "year").annotate(c=Count("pk")):
        counted[(row["deputyship_id"], row["kind"], row["year"])] = row["c"]
    kept = {(t.deputyship_id, t.kind, t.year): t.n for t in tallies}
    return [
        (*key, kept.get(key, 0), counted.get(key, 0))
        for key in sorted(set(counted) | set(kept))
        if kept.get(key, 0) != counted.get(key, 0)
    ]
