"""Counts kept by the actions so that lists at a province's scale need not count their rows on
every page (issue 3, "Benchmark"; docs/performance.md "Suggestions at scale"):

- the office's list counts (`SuggestionCount`): how many suggestions past the draft a congress
  has per year, state and kind, so that the API list's exact `count` of a year's suggestions in
  a state (≈ 100 000 at 1 M) is a sum over a few rows instead of a count over an index range;
- the unit queue's counts (`UnitQueueCount`): how many assignments a unit has in each state
  (the busiest has ≈ 54 000 at 1 M).

Kept by the actions, in the transaction of each change: `actions.common.copy_state` after every
change of a suggestion's state, kind or year (the suggestion leaves the count of its old key and
joins the new one: one upsert), `actions.common.set_assignment_state` after every change of an
assignment's state (and `_start_assignments` for a new one). Drafts are not counted (no list
that reads the counts shows them), so writing and editing drafts never touches these rows.
`rebuild_counts` rewrites them all (`seed_scale`, `manage.py rebuild_stats_facts`); `difference`
compares them with a count of the suggestions and assignments (`manage.py verify_stats`, the
tests).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum

from .choices import State
from .models import Assignment, Suggestion, SuggestionCount, UnitQueueCount

Key = tuple[int, int, str, str]  # congress id, year, state, kind (the unique key's order)


def key_of(suggestion: Suggestion) -> Key | None:
    """The count a suggestion is in as it stands (None: a draft, not counted)."""
    if suggestion.state == State.DRAFT:
        return None
    return (suggestion.congress_id, suggestion.year, suggestion.state, suggestion.kind)


def _upsert(model: type, keys: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """Add each row's last value to `n` of the row with its keys (created at 0), in key order
    (two actions moving things between the same two counts in opposite directions lock the two
    rows in the same order, so they queue instead of deadlocking). One statement."""
    rows = sorted(rows, key=lambda row: row[:-1])
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(keys)
    values = ", ".join(["(" + ", ".join(["%s"] * (len(keys) + 1)) + ")"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, n) VALUES {values}"  # noqa: S608 - our table name
            f" ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + excluded.n",
            [value for row in rows for value in row],
        )


def move_assignment(unit_id: int, old: str | None, new: str) -> None:
    """One assignment of the unit goes from state `old` (None: new) to `new`."""
    if old == new:
        return
    _upsert(
        UnitQueueCount,
        ("unit_id", "state"),
        [(unit_id, new, 1)] + ([(unit_id, old, -1)] if old else []),
    )


def unit_queue_counts(unit_ids: Iterable[int]) -> dict[str, int]:
    """The units' assignments per state (one query over two or three rows a unit)."""
    rows = UnitQueueCount.objects.filter(unit_id__in=list(unit_ids)).values_list("state", "n")
    out: dict[str, int] = {}
    for state, n in rows:
        out[state] = out.get(state, 0) + n
    return out


def move(old: Key | None, new: Key | None) -> None:
    """One suggestion leaves `old`'s count and joins `new`'s: one upsert, its rows in key order
    (two actions moving suggestions between the same two counts in opposite directions lock the
    two rows in the same order, so they queue instead of deadlocking)."""
    if old == new:
        return
    rows = ([(*old, -1)] if old else []) + ([(*new, 1)] if new else [])
    _upsert(SuggestionCount, ("congress_id", "year", "state", "kind"), rows)


def counted(
    congresses: Iterable[int] | None,
    *,
    state: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> int:
    """How many suggestions past the draft match (`congresses` None: every congress). One
    query over a few hundred rows at most."""
    if state == State.DRAFT:
        return 0
    rows = SuggestionCount.objects.all()
    if congresses is not None:
        rows = rows.filter(congress_id__in=list(congresses))
    if state:
        rows = rows.filter(state=state)
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.aggregate(n=Sum("n"))["n"] or 0


def _truth() -> dict[Key, int]:
    rows = (
        Suggestion.objects.exclude(state=State.DRAFT)
        .values_list("congress_id", "year", "state", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(c, y, s, k): n for c, y, s, k, n in rows}


def difference() -> dict[tuple[object, ...], tuple[int, int]]:
    """The keys whose count differs from a count of the suggestions (congress, year, state,
    kind) or of the assignments ("unit", unit id, state): key → (kept, counted). Empty when in
    step."""
    truth: dict[tuple[object, ...], int] = dict(_truth())
    truth.update(
        (("unit", unit_id, state), n)
        for unit_id, state, n in Assignment.objects.values_list("unit_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    kept: dict[tuple[object, ...], int] = {
        (c, y, s, k): n
        for c, y, s, k, n in SuggestionCount.objects.values_list(
            "congress_id", "year", "state", "kind", "n"
        )
        if n
    }
    kept.update(
        (("unit", unit_id, state), n)
        for unit_id, state, n in UnitQueueCount.objects.values_list("unit_id", "state", "n")
        if n
    )
    return {
        key: (kept.get(key, 0), truth.get(key, 0))
        for key in sorted(set(truth) | set(kept), key=str)
        if kept.get(key, 0) != truth.get(key, 0)
    }


def rebuild_counts() -> int:
    """Every count again from the suggestions and the assignments (one transaction, one
    INSERT … SELECT each). Returns the number of rows."""
    q = connection.ops.quote_name
    table, suggestions = q(SuggestionCount._meta.db_table), q(Suggestion._meta.db_table)
    units, assignments = q(UnitQueueCount._meta.db_table), q(Assignment._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our table name
        cursor.execute(
            f"INSERT INTO {table} (congress_id, year, state, kind, n)"  # noqa: S608 - constants
            f" SELECT congress_id, year, state, kind, COUNT(*) FROM {suggestions}"
            " WHERE state <> %s GROUP BY congress_id, year, state, kind",
            [State.DRAFT],
        )
        cursor.execute(f"DELETE FROM {units}")  # noqa: S608 - our table name
        cursor.execute(
            f"INSERT INTO {units} (unit_id, state, n)"  # noqa: S608 - constants
            f" SELECT unit_id, state, COUNT(*) FROM {assignments} GROUP BY unit_id, state"
        )
    return SuggestionCount.objects.count() + UnitQueueCount.objects.count()
