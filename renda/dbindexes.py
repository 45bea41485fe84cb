"""Dropping a foreign key's own index in a migration, where another index already serves it
(a composite index that starts with the column, or a partial one where it is set).

Django's AlterField(db_index=False) would do it on PostgreSQL, but on SQLite it rebuilds the
whole table — and a rebuilt table loses its triggers (the audit trail's append-only guard). So
the migrations change the model state with AlterField and, in the database, only drop the
index, found by introspection (its generated name is the same on both back-ends, but looking it
up leaves nothing to guess)."""

from __future__ import annotations

from typing import Any


def drop_single_column_indexes(schema_editor: Any, table: str, columns: list[str]) -> list[str]:
    """Drop the plain (not unique, not primary key) indexes on exactly one of `columns` of
    `table`, and on PostgreSQL the `…_like` pattern index of each; returns their names."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    dropped = []
    for name, info in sorted(constraints.items()):
        if not info.get("index") or info.get("unique") or info.get("primary_key"):
            continue
        if len(info.get("columns") or []) != 1 or info["columns"][0] not in columns:
            continue
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
        dropped.append(name)
    return dropped
