"""One model row written with one plain `INSERT … RETURNING id`, for the hot public paths.

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
