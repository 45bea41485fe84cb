"""Plain SQL for the hot public paths: one model row written with one `INSERT … RETURNING id`
(`insert_row`), and rows of several joined models read back as model instances (`select_sql`,
`from_row`).

The ORM's `save()` / `create()` builds the statement anew on every call (compiler, expressions,
signals), which costs more CPU than the insert itself on a citizen's submission (docs/opinions.md,
"The public paths' cost"). `insert_row` builds the statement once per model and fills it with the
fields' own database values (`pre_save` for auto_now_add, `get_db_prep_save` for JSON and the
rest), so what is stored is what `save()` would store. No signals are sent: use it only for
models nobody listens to, inside the action's transaction.

`execute` runs these fixed statements: on PostgreSQL as prepared statements (parsed and planned
once per connection, then only bound and run: less work for the server on every submission,
and the parameters travel apart from the text, nothing to quote), through a server-side-binding
psycopg cursor on the same connection and transaction as Django's; elsewhere through Django's
cursor. Logged in `connection.queries` like any other query when queries are being logged.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


@cache
def _statement(model: type[models.Model], vendor: str) -> tuple[str, tuple[Any, ...]]:
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if f is not meta.auto_field)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    pk = quote(meta.pk.column)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608 - names from the model
    return sql, fields


def insert_row(obj: M) -> M:
    """Insert `obj` (a new, unsaved instance with an auto primary key); sets its pk."""
    sql, fields = _statement(type(obj), connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    obj.pk = execute(sql, values, fetch="one")[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


Fetch = Literal["one", "all"] | None


def _fetched(cursor: Any, fetch: Fetch) -> Any:
    if fetch == "one":
        return cursor.fetchone()
    if fetch == "all":
        return cursor.fetchall()
    return cursor.rowcount


@cache
def _psycopg() -> tuple[Any, ...]:
    import psycopg
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    return psycopg.Cursor, TIMESTAMPTZ_OID, register_tzloader, Format.TEXT


def _prepared_cursor() -> Any:
    """A server-side-binding psycopg cursor on Django's connection, reading time stamps in the
    connection's time zone as Django's own cursors do (its create_cursor)."""
    cursor_class, timestamptz, register_tzloader, text = _psycopg()
    raw = connection.connection
    cursor = cursor_class(raw)
    if connection.timezone != raw.adapters.get_loader(timestamptz, text).timezone:
        register_tzloader(connection.timezone, cursor)
    return cursor


def execute(sql: str, params: Sequence[Any], *, fetch: Fetch = None) -> Any:
    """Run one of the hot paths' fixed statements (placeholders `%s`) in the current transaction;
    the first row (`fetch="one"`, None when there is none), every row ("all") or the row count.
    On PostgreSQL a prepared statement (see above)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return _fetched(cursor, fetch)
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    start = time.monotonic()
    with connection.wrap_database_errors, _prepared_cursor() as cursor:
        cursor.execute(sql, params, prepare=True)
        result = _fetched(cursor, fetch)
    if connection.queries_logged:  # as Django's debug cursor logs its own
        connection.queries_log.append(
            {"sql": f"{sql} -- {list(params)!r}", "time": f"{time.monotonic() - start:.3f}"}
        )
    return result


# --- reading: one row of several models, joined, in plain SQL ---------------------------------
def _columns(model: type[models.Model], alias: str) -> tuple[str, list[Any]]:
    """`alias.col, …` for every concrete field, and each one's converters (what the ORM's
    compiler applies to a value read from the database: dates on SQLite, booleans, JSON)."""
    quote = connection.ops.quote_name
    fields = list(model._meta.concrete_fields)
    sql = ", ".join(f"{alias}.{quote(f.column)}" for f in fields)
    converters = []
    for f in fields:
        col = f.get_col(alias)
        # As the compiler: the backend's converters, then the field's own (from_db_value).
        converters.append(
            (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        )
    return sql, converters


def from_row(model: type[M], values: list[Any], converters: list[Any]) -> M | None:
    """A model instance from its columns as read (None when its primary key is NULL: a LEFT
    JOIN that found nothing), converted as the ORM converts them."""
    if values[model._meta.concrete_fields.index(model._meta.pk)] is None:
        return None
    out = []
    for value, (col, convs) in zip(values, converters, strict=True):
        for conv in convs:
            value = conv(value, col, connection)
        out.append(value)
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(connection.alias, names, out)


def select_sql(*parts: tuple[type[models.Model], str]) -> tuple[str, list[list[Any]]]:
    """The SELECT list of several models' full rows (model, table alias) and the converters of
    each model's columns, for `from_row`."""
    sqls, convs = [], []
    for model, alias in parts:
        sql, converters = _columns(model, alias)
        sqls.append(sql)
        convs.append(converters)
    return ", ".join(sqls), convs
