"""The office's list counts (`SuggestionCount`): how many suggestions past the draft a congress
has per year, state and kind, so that the API list's exact `count` of a year's suggestions in a
state (≈ 100 000 at 1 M) is a sum over a few rows instead of a count over an index range on every
page (issue 3, "Benchmark"; docs/performance.md "Suggestions at scale").

Kept by `actions.common.copy_state`, in the transaction of every action that changes a
suggestion's state, kind or year: the suggestion leaves the count of its old key and joins the
new one (one upsert). Drafts are not counted (no list that reads the counts shows them), so
writing and editing drafts never touches these rows. `rebuild_counts` rewrites them all from the
suggestions (`seed_scale`, `manage.py rebuild_stats_facts`); `difference` compares them with a
count of the suggestions (`manage.py verify_stats`, the tests).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum

from .choices import State
from .models import Suggestion, SuggestionCount

Key = tuple[int, int, str, str]  # congress id, year, state, kind (the unique key's order)


def key_of(suggestion: Suggestion) -> Key | None:
    """The count a suggestion is in as it stands (None: a draft, not counted)."""
    if suggestion.state == State.DRAFT:
        return None
    return (suggestion.congress_id, suggestion.year, suggestion.state, suggestion.kind)


def move(old: Key | None, new: Key | None) -> None:
    """One suggestion leaves `old`'s count and joins `new`'s: one upsert, its rows in key order
    (two actions moving suggestions between the same two counts in opposite directions lock the
    two rows in the same order, so they queue instead of deadlocking)."""
    if old == new:
        return
    rows = ([(*old, -1)] if old else []) + ([(*new, 1)] if new else [])
    rows.sort(key=lambda row: row[:4])
    table = connection.ops.quote_name(SuggestionCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (congress_id, year, state, kind, n) VALUES {values}"  # noqa: S608 - our table name
            " ON CONFLICT (congress_id, year, state, kind)"
            f" DO UPDATE SET n = {table}.n + excluded.n",
            [value for row in rows for value in row],
        )


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


def difference() -> dict[Key, tuple[int, int]]:
    """The keys whose count differs from a count of the suggestions: key → (kept, counted).
    Empty when in step."""
    truth = _truth()
    kept = {
        (c, y, s, k): n
        for c, y, s, k, n in SuggestionCount.objects.values_list(
            "congress_id", "year", "state", "kind", "n"
        )
        if n
    }
    return {
        key: (kept.get(key, 0), truth.get(key, 0))
        for key in sorted(set(truth) | set(kept))
        if kept.get(key, 0) != truth.get(key, 0)
    }


def rebuild_counts() -> int:
    """Every count again from the suggestions (one transaction, one INSERT … SELECT). Returns
    the number of rows."""
    table = connection.ops.quote_name(SuggestionCount._meta.db_table)
    suggestions = connection.ops.quote_name(Suggestion._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our table name
        cursor.execute(
            f"INSERT INTO {table} (congress_id, year, state, kind, n)"  # noqa: S608 - constants
            f" SELECT congress_id, year, state, kind, COUNT(*) FROM {suggestions}"
            " WHERE state <> %s GROUP BY congress_id, year, state, kind",
            [State.DRAFT],
        )
    return SuggestionCount.objects.count()
