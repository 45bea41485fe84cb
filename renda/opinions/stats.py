"""Station performance facts (运行绩效评价; docs/opinions.md, "Stations and station
performance"): one `StationDayFact` row per station and day of receipt (Beijing time) holding the
figures of the opinions the station received that day, so the statistics add up a few hundred
rows per station and year instead of scanning millions of opinions.

The contract for the actions that change an opinion (receiving, triage, referral, answer, rating,
reopening, merging, conversion):

    from renda.opinions.stats import refresh_opinion_facts
    refresh_opinion_facts([opinion.pk])       # inside the action's transaction, after its writes

A brand-new opinion that is only received (the public submission) may instead call
`count_received(opinion)`: one atomic upsert adding 1, no lock held for a recount (a refresh
and a count on one row queue on its row lock, and the later one sees the earlier one's work).

`refresh_opinion_facts` recomputes, from the base tables, the whole row of each (station, day of
receipt) the given opinions belong to: idempotent, so calling it too often is harmless and the
rows cannot drift.
The row is locked first (SELECT … FOR UPDATE) and the figures are read afterwards in a new
statement, so two transactions refreshing the same station-day are serialised and the second
sees the first's committed writes (PostgreSQL, READ COMMITTED). Opinions without a station are
not counted (there is no station to rank).

With each station-day row, its open referrals by due date (`StationOpenReferrals`) are rewritten,
so "overdue now" is a sum over a narrow table, never a join of referrals to opinions.

`rebuild_opinion_facts()` writes every row again in SQL batches of opinion ids (memory flat;
`manage.py rebuild_opinion_facts`, and `seed_scale --opinions` at its end);
`refresh_station_days(since)` recomputes the rows of the days since a date (the nightly task).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from renda.plainsql import execute

from .choices import OpinionState, Outcome, Rating, ReferralState
from .models import (
    ANSWER_DAY_COLUMNS,
    ANSWER_DAY_RANGES,
    ANSWER_DAYS_EXACT,
    Opinion,
    Referral,
    StationDayFact,
    StationOpenReferrals,
)

MEASURES = (
    "received",
    "answered",
    "answered_in_time",
    "converted",
    "rated",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    *ANSWER_DAY_COLUMNS,
)
BATCH = 50_000


def _lit(value: str) -> str:
    assert value.replace("_", "").isalnum()  # our own constants only
    return f"'{value}'"


def _local_date(column: str) -> str:
    """The day (Beijing time: China has no summer time) of a timestamp column, as SQL."""
    if connection.vendor == "postgresql":
        return f"CAST({column} AT TIME ZONE 'Asia/Shanghai' AS date)"
    return f"date({column}, '+8 hours')"


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({_local_date(later)} - {_local_date(earlier)})"
    return f"CAST(julianday({_local_date(later)}) - julianday({_local_date(earlier)}) AS INTEGER)"


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


@cache
def _measure_sql(vendor: str) -> dict[str, str]:
    """Per measure, the SQL expression of one opinion row `o` (summed over a station-day)."""
    referral = Referral._meta.db_table
    answered = "o.answered_at IS NOT NULL"
    # In time: answered, and no referral (not withdrawn) left unanswered or answered after its
    # due date — an answer on the spot or by the deputy has no referral and is in time.
    late_referral = (
        f"SELECT 1 FROM {referral} r WHERE r.opinion_id = o.id"  # noqa: S608 - constants
        f" AND r.state <> {_lit(ReferralState.WITHDRAWN)}"
        f" AND (r.answered_at IS NULL OR {_local_date('r.answered_at')} > r.due)"
    )
    days = _days("o.answered_at", "o.created_at")
    exprs = {
        "received": "1",
        "answered": _flag(answered),
        "answered_in_time": _flag(f"{answered} AND NOT EXISTS ({late_referral})"),
        "converted": _flag(
            f"o.suggestion_id IS NOT NULL OR o.state = {_lit(OpinionState.CONVERTED)}"
            f" OR o.outcome = {_lit(Outcome.SUGGESTION)}"
        ),
        "rated": _flag("o.rating <> ''"),
        "satisfied": _flag(f"o.rating = {_lit(Rating.SATISFIED)}"),
        "basically_satisfied": _flag(f"o.rating = {_lit(Rating.BASICALLY_SATISFIED)}"),
        "dissatisfied": _flag(f"o.rating = {_lit(Rating.DISSATISFIED)}"),
        "d0": _flag(f"{answered} AND {days} <= 0"),
    }
    for n in range(1, ANSWER_DAYS_EXACT + 1):
        exprs[f"d{n}"] = _flag(f"{answered} AND {days} = {n}")
    for name, low, high in ANSWER_DAY_RANGES:
        upper = "" if high is None else f" AND {days} <= {high}"
        exprs[name] = _flag(f"{answered} AND {days} >= {low}{upper}")
    assert tuple(exprs) == MEASURES
    return exprs


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a Beijing day."""
    start = datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
    return start, start + timedelta(days=1)


def _refresh_station_day(station_id: int, day: date) -> None:
    """Recompute one station-day row from the base tables (the row locked first)."""
    StationDayFact.objects.bulk_create(
        [StationDayFact(station_id=station_id, day=day)], ignore_conflicts=True
    )
    pk = (
        StationDayFact.objects.select_for_update()
        .filter(station_id=station_id, day=day)
        .values_list("pk", flat=True)
        .get()
    )
    exprs = _measure_sql(connection.vendor)
    sums = ", ".join(f"COALESCE(SUM({e}), 0)" for e in exprs.values())
    adapt = connection.ops.adapt_datetimefield_value  # raw SQL: as the database stores them
    start, end = (adapt(moment) for moment in _day_bounds(day))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sums} FROM {Opinion._meta.db_table} o"  # noqa: S608 - constants
            " WHERE o.station_id = %s AND o.created_at >= %s AND o.created_at < %s",
            [station_id, start, end],
        )
        values = cursor.fetchone()
    StationDayFact.objects.filter(pk=pk).update(**dict(zip(MEASURES, values, strict=True)))
    StationOpenReferrals.objects.filter(station_id=station_id, day=day).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            _open_statement(
                connection.vendor,
                "o.station_id = %s AND o.created_at >= %s AND o.created_at < %s",
                "%s, %s",
                "r.due",
                upsert=False,
            ),
            [station_id, day, station_id, start, end],
        )


def refresh_opinion_facts(opinion_ids: Iterable[int]) -> int:
    """Recompute the station-day fact rows of these opinions (their station and day of
    receipt). Call it inside the action's transaction, after its writes. Returns the number of
    rows recomputed."""
    ids = sorted(set(opinion_ids))
    if not ids:
        return 0
    keys = {
        (station_id, timezone.localdate(created_at))
        for station_id, created_at in Opinion.objects.filter(
            pk__in=ids, station__isnull=False
        ).values_list("station_id", "created_at")
    }
    with transaction.atomic():
        for station_id, day in sorted(keys):  # one order: no deadlock between two refreshes
            _refresh_station_day(station_id, day)
    return len(keys)


def count_received(opinion: Opinion) -> None:
    """The cheap path for a NEW opinion that is only received (no answer, referral, rating or
    outcome yet: the public submission): add 1 to its station-day's `received` with one atomic
    upsert, no row lock held for a recount, so a burst of submissions to one station does not
    queue. Anything else calls `refresh_opinion_facts`. Inside the action's transaction."""
    if opinion.station_id is None:
        return
    table = StationDayFact._meta.db_table
    columns = ", ".join(MEASURES)
    values = ", ".join(["%s"] * len(MEASURES))
    day = timezone.localdate(opinion.created_at)
    execute(
        f"INSERT INTO {table} (station_id, day, {columns}) VALUES (%s, %s, {values})"  # noqa: S608 - constants
        f" ON CONFLICT (station_id, day) DO UPDATE SET received = {table}.received + 1",
        [opinion.station_id, day, *(1 if m == "received" else 0 for m in MEASURES)],
    )


def refresh_station_days(since: date, until: date | None = None) -> int:
    """Recompute every station-day row whose day of receipt is in [since, until] (default
    today): the nightly safety net for a change that did not call refresh_opinion_facts (a
    station changed, an edit by hand). One transaction per station-day."""
    until = until or timezone.localdate()
    start, _ = _day_bounds(since)
    _, end = _day_bounds(until)
    keys: set[tuple[int, date]] = set()
    # The opinion_station_idx (station, created_at) serves this; it reads two columns.
    rows = (
        Opinion.objects.filter(station__isnull=False, created_at__gte=start, created_at__lt=end)
        .values_list("station_id", "created_at")
        .iterator(chunk_size=10_000)
    )
    for station_id, created_at in rows:
        keys.add((station_id, timezone.localdate(created_at)))
    # Rows of days that no longer have opinions are recomputed too (to zero).
    keys.update(
        StationDayFact.objects.filter(day__gte=since, day__lte=until).values_list(
            "station_id", "day"
        )
    )
    for station_id, day in sorted(keys):
        with transaction.atomic():
            _refresh_station_day(station_id, day)
    return len(keys)


@cache
def _open_statement(vendor: str, where: str, keys: str, group: str, *, upsert: bool) -> str:
    """INSERT the open referrals (no answer yet, with a due date) of the opinions matching
    `where`, counted by station, day of receipt (`keys`: their SQL) and due date; `group`: the
    GROUP BY keys."""
    table = StationOpenReferrals._meta.db_table
    conflict = (
        f" ON CONFLICT (station_id, day, due) DO UPDATE SET open = {table}.open + excluded.open"
        if upsert
        else ""
    )
    # WHERE … AND 1 = 1: SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT.
    return (
        f"INSERT INTO {table} (station_id, day, due, open)"  # noqa: S608 - constants
        f" SELECT {keys}, r.due, COUNT(*) FROM {Referral._meta.db_table} r"
        f" JOIN {Opinion._meta.db_table} o ON o.id = r.opinion_id"
        f" WHERE {where} AND r.state = {_lit(ReferralState.ACTIVE)} AND r.due IS NOT NULL"
        f" AND 1 = 1 GROUP BY {group}{conflict}"
    )


@cache
def _rebuild_statement(vendor: str) -> str:
    exprs = _measure_sql(vendor)
    table = StationDayFact._meta.db_table
    names = ", ".join(MEASURES)
    sums = ", ".join(f"SUM({e})" for e in exprs.values())
    add = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    day = _local_date("o.created_at")
    # WHERE 1 = 1: SQLite needs a WHERE before ON CONFLICT in an INSERT … SELECT.
    return (
        f"INSERT INTO {table} (station_id, day, {names})"  # noqa: S608 - constants
        f" SELECT o.station_id, {day}, {sums} FROM {Opinion._meta.db_table} o"
        " WHERE o.station_id IS NOT NULL AND o.id BETWEEN %s AND %s AND 1 = 1"
        f" GROUP BY o.station_id, {day}"
        f" ON CONFLICT (station_id, day) DO UPDATE SET {add}"
    )


def rebuild_opinion_facts(
    *, batch: int = BATCH, progress: Callable[[int, int], None] | None = None
) -> int:
    """Every station-day row again from the base tables: empty the table, then add batch by
    batch of opinion ids (one transaction each; the work is done in SQL, memory stays flat).
    Returns the number of rows."""
    with transaction.atomic():
        StationDayFact.objects.all().delete()
        StationOpenReferrals.objects.all().delete()
    top = Opinion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    statement = _rebuild_statement(connection.vendor)
    day = _local_date("o.created_at")
    open_statement = _open_statement(
        connection.vendor,
        "o.station_id IS NOT NULL AND o.id BETWEEN %s AND %s",
        f"o.station_id, {day}",
        f"o.station_id, {day}, r.due",
        upsert=True,
    )
    low = 1
    while low <= top:
        high = low + batch - 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [low, high])
            cursor.execute(open_statement, [low, high])
        if progress is not None:
            progress(min(high, top), top)
        low = high + 1
    return StationDayFact.objects.count()
