"""The suggestions' GIN index also holds each row's suggestion id (PostgreSQL only, with the
`btree_gin` extension; docs/search.md, "Similar suggestions").

Similar suggestions look among this year's and last year's suggestions: a lower bound on the
suggestion id. With the words alone in the index, PostgreSQL read every matching row of every
year from the table and only then dropped the old ones (16 000 rows read for 3 500 kept, for a
common pair of words at 1 M); with the id in the same GIN index the bound is applied in the
index and only the window's rows are read. A query without a bound (search) uses the index's
first column as before.

`btree_gin` ships with PostgreSQL and is a trusted extension (PostgreSQL 13 and later): the
database's owner may create it. Where it cannot be created, the words-only index stays and the
bound is a filter, as before: slower at a million suggestions, the same results.
"""

from __future__ import annotations

from django.db import DatabaseError, migrations, transaction

WITH_IDS = (
    "CREATE INDEX IF NOT EXISTS search_document_tsv_suggestion_ids ON search_document"
    " USING gin (tsv, object_id) WHERE kind = 'suggestion'"
)
WORDS_ONLY = (
    "CREATE INDEX IF NOT EXISTS search_document_tsv_suggestion ON search_document"
    " USING gin (tsv) WHERE kind = 'suggestion'"
)


def forwards(apps, schema_editor) -> None:  # noqa: ANN001, ARG001 - RunPython's signature
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    except DatabaseError:
        return  # not allowed here: the words-only index stays
    with connection.cursor() as cursor:
        cursor.execute(WITH_IDS)
        cursor.execute("DROP INDEX IF EXISTS search_document_tsv_suggestion")


def backwards(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(WORDS_ONLY)
        cursor.execute("DROP INDEX IF EXISTS search_document_tsv_suggestion_ids")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_tsv_index_per_kind")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
