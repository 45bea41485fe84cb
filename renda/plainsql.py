"""Plain SQL for the hot public paths: one model row written with one `INSERT … RETURNING id`
(`insert_row`), and rows of several joined models read back as model instances (`select_sql`,
`from_row`).

The ORM's `save()` / `create()` builds the statement anew on every call (compiler, expressions,
signals), which costs more CPU than the insert itself on a citizen's submission (docs/opinions.md,
"The public paths' cost"). `insert_row` builds the statement once per model and fills it with the
fields' own database values (`pre_save` for auto_now_add, `get_db_prep_save` for JSON and the
rest), so what is stored is what `save()` would store. No signals are sent: use it only for
models nobody listens to, inside the action's transaction.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

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
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


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
