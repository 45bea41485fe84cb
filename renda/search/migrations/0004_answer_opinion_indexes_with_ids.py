"""The answers' and opinions' GIN indexes also hold each row's id, as the suggestions' do since
0003 (PostgreSQL only, with `btree_gin`; docs/search.md, "Ranking a common word").

A search for a very common word ranks only the newest matches (queries.RANK_WINDOW). With the
id in the index, "the newest" is read as an id window applied in the index, and only the
window's rows are read from the table instead of every match of every year (养: 19 000 rows at
a million answers). Where the extension cannot be created, the words-only indexes stay and the
window is a filter: slower at a million rows, the same results.
"""

from __future__ import annotations

from django.db import DatabaseError, migrations, transaction

KINDS = ("answer", "opinion")


def _with_ids(kind: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS search_document_tsv_{kind}_ids ON search_document"
        f" USING gin (tsv, object_id) WHERE kind = '{kind}'"
    )


def _words_only(kind: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS search_document_tsv_{kind} ON search_document"
        f" USING gin (tsv) WHERE kind = '{kind}'"
    )


def forwards(apps, schema_editor) -> None:  # noqa: ANN001, ARG001 - RunPython's signature
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError:
        return  # not allowed here: the words-only indexes stay
    with connection.cursor() as cursor:
        for kind in KINDS:
            cursor.execute(_with_ids(kind))
            cursor.execute(f"DROP INDEX IF EXISTS search_document_tsv_{kind}")


def backwards(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for kind in KINDS:
            cursor.execute(_words_only(kind))
            cursor.execute(f"DROP INDEX IF EXISTS search_document_tsv_{kind}_ids")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_suggestion_index_with_ids")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
