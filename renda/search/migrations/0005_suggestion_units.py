"""Each suggestion's index row also holds the units it is assigned to, in the GIN index
(PostgreSQL only; docs/search.md, "The database's full-text index").

A busy unit (thousands of assignments) searches among its own suggestions. With only the words
and the id in the index, PostgreSQL read every match of a word to learn each one's id and kept
the unit's: the 29 000 matches of 路 at a million suggestions, for 7 000 of the unit's (about
150 ms). With the units among the index's keys, the index itself ANDs the word's entries with
the unit's and only the unit's matches are read.

`units` is the ids of the units with an assignment to the suggestion that is not returned (the
units whose staff may see it by that assignment: `queries.Own`), sorted, `{}`
where there is none. It is kept by the database, whoever writes the rows:
- a trigger on `suggestions_assignment` (after each statement: inserts, updates, deletes, COPY)
  recomputes it for the suggestions the statement touched (only rows whose units changed are
  written: a new answer's state change writes nothing here);
- a trigger on `search_document` fills it in for a suggestion's new row.
Indexing a record never writes it (`renda.search.index`), so the two cannot disagree;
`rebuild_search_index` computes it again and repairs a row that differs. Answers'
and opinions' rows keep `{}`; the column is not in the model (as `tsv` is not).

Existing rows are filled in by rewriting the table once (`ALTER COLUMN … TYPE … USING`, the
way PostgreSQL computes a column from a row's other columns without leaving a dead version of
every row behind, as an UPDATE would: the table twice its size until a VACUUM FULL, and
searches slower for it). Every index of the table is rebuilt with it; the suggestions' GIN
index is dropped first and built once after. At a million suggestions and as many answers,
about 70 s, with the table locked meanwhile (docs/performance.md).
"""

from __future__ import annotations

from django.db import migrations

FORWARD = [
    # The column, added empty (no rewrite).
    "ALTER TABLE search_document ADD COLUMN units bigint[] NOT NULL DEFAULT '{}'",
    # A row's units: a suggestion's from its assignments, none for answers and opinions.
    "CREATE FUNCTION search_document_units(kind varchar, object_id bigint) RETURNS bigint[]"
    " LANGUAGE sql STABLE AS $$ SELECT CASE WHEN $1 = 'suggestion' THEN"
    " ARRAY(SELECT DISTINCT a.unit_id FROM suggestions_assignment a"
    " WHERE a.suggestion_id = $2 AND a.state <> 'returned' ORDER BY 1)"
    " ELSE '{}'::bigint[] END $$",
    # The units of some suggestions, written where they changed.
    "CREATE FUNCTION search_document_set_units(ids bigint[]) RETURNS void LANGUAGE sql AS $$"
    " UPDATE search_document d SET units = u.units FROM (SELECT r.id,"
    " search_document_units(r.kind, r.object_id) AS units FROM search_document r"
    " WHERE r.kind = 'suggestion' AND r.object_id = ANY(ids)) u"
    " WHERE d.id = u.id AND d.units IS DISTINCT FROM u.units $$",
    # After each statement on assignments: the suggestions of the rows it wrote or deleted.
    # Transition tables, one trigger per event (a statement of 100 000 rows, as seeding writes,
    # is one UPDATE, not 100 000).
    "CREATE FUNCTION search_units_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM search_document_set_units(ARRAY(SELECT DISTINCT suggestion_id"
    " FROM new_rows)); RETURN NULL; END $$",
    "CREATE FUNCTION search_units_after_update() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM search_document_set_units(ARRAY(SELECT n.suggestion_id FROM new_rows n"
    " UNION SELECT o.suggestion_id FROM old_rows o)); RETURN NULL; END $$",
    "CREATE FUNCTION search_units_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM search_document_set_units(ARRAY(SELECT DISTINCT suggestion_id"
    " FROM old_rows)); RETURN NULL; END $$",
    "CREATE TRIGGER search_units_ai AFTER INSERT ON suggestions_assignment"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION search_units_after_insert()",
    "CREATE TRIGGER search_units_au AFTER UPDATE ON suggestions_assignment"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION search_units_after_update()",
    "CREATE TRIGGER search_units_ad AFTER DELETE ON suggestions_assignment"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION search_units_after_delete()",
    # A suggestion's new index row: its units as they are (an upsert's update keeps them).
    "CREATE FUNCTION search_document_units_of_new() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN NEW.units := search_document_units(NEW.kind, NEW.object_id); RETURN NEW; END $$",
    "CREATE TRIGGER search_document_units_bi BEFORE INSERT ON search_document FOR EACH ROW"
    " WHEN (NEW.kind = 'suggestion') EXECUTE FUNCTION search_document_units_of_new()",
    # Filled in for the rows there are: computed from each row's kind and id in one rewrite of
    # the table.
    "ALTER TABLE search_document ALTER COLUMN units TYPE bigint[]"
    " USING search_document_units(kind, object_id)",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_units_bi ON search_document",
    "DROP TRIGGER IF EXISTS search_units_ai ON suggestions_assignment",
    "DROP TRIGGER IF EXISTS search_units_au ON suggestions_assignment",
    "DROP TRIGGER IF EXISTS search_units_ad ON suggestions_assignment",
    "DROP FUNCTION IF EXISTS search_document_units_of_new()",
    "DROP FUNCTION IF EXISTS search_units_after_insert()",
    "DROP FUNCTION IF EXISTS search_units_after_update()",
    "DROP FUNCTION IF EXISTS search_units_after_delete()",
    "DROP FUNCTION IF EXISTS search_document_set_units(bigint[])",
    "DROP FUNCTION IF EXISTS search_document_units(varchar, bigint)",
]

# The suggestions' GIN index: words, id (with `btree_gin`, migration 0003) and units. The
# units' operator class (array_ops) ships with PostgreSQL: without `btree_gin` the index holds
# the words and the units.
WITH_IDS = "gin (tsv, object_id, units)"
WITHOUT_IDS = "gin (tsv, units)"
OLD_INDEXES = ("search_document_tsv_suggestion_ids", "search_document_tsv_suggestion")
NEW_INDEX = "search_document_tsv_suggestion_units"


def _has_btree_gin(cursor) -> bool:  # noqa: ANN001
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'")
    return cursor.fetchone() is not None


def forwards(apps, schema_editor) -> None:  # noqa: ANN001, ARG001 - RunPython's signature
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for old in OLD_INDEXES:  # dropped first, not rebuilt by the rewrite below for nothing
            cursor.execute(f"DROP INDEX IF EXISTS {old}")
        for sql in FORWARD:
            cursor.execute(sql)
        columns = WITH_IDS if _has_btree_gin(cursor) else WITHOUT_IDS
        cursor.execute(
            f"CREATE INDEX {NEW_INDEX} ON search_document USING {columns}"
            " WHERE kind = 'suggestion'"
        )


def backwards(apps, schema_editor) -> None:  # noqa: ANN001, ARG001
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in BACKWARD:
            cursor.execute(sql)
        cursor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")
        cursor.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS units")
        name, columns = (
            (OLD_INDEXES[0], "gin (tsv, object_id)")
            if _has_btree_gin(cursor)
            else (OLD_INDEXES[1], "gin (tsv)")
        )
        cursor.execute(
            f"CREATE INDEX {name} ON search_document USING {columns} WHERE kind = 'suggestion'"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_answer_opinion_indexes_with_ids"),
        ("suggestions", "0013_suggestion_year_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
