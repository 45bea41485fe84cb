"""The search index and its full-text index, each database its own (docs/search.md)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


class VendorSQL(migrations.RunSQL):
    """RunSQL on one database vendor only (the FTS5 table on SQLite, the tsvector on PG)."""

    def __init__(self, vendor: str, *args: Any, **kwargs: Any) -> None:
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, *args)


SQLITE_FTS = [
    # External content: the words are stored once, in search_document; FTS5 keeps the index.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_words, body_words,"
    " content='search_document', content_rowid='id')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN"
    " INSERT INTO search_fts(rowid, title_words, body_words)"
    " VALUES (new.id, new.title_words, new.body_words); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title_words, body_words)"
    " VALUES ('delete', old.id, old.title_words, old.body_words); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, title_words, body_words)"
    " VALUES ('delete', old.id, old.title_words, old.body_words);"
    " INSERT INTO search_fts(rowid, title_words, body_words)"
    " VALUES (new.id, new.title_words, new.body_words); END",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_TSV = [
    # Title words weigh A, text words B (ts_rank); the segmented words are already normalised,
    # 'simple' only lower-cases and keeps every word (no stemming, no stop words).
    "ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_words), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_words), 'B')) STORED",
    "CREATE INDEX search_document_tsv ON search_document USING gin (tsv)",
]
POSTGRES_TSV_DROP = [
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv",
]


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("suggestion", "Suggestions"),
                            ("answer", "Answers"),
                            ("opinion", "Opinions"),
                        ],
                        max_length=12,
                    ),
                ),
                ("object_id", models.BigIntegerField()),
                ("congress_id", models.IntegerField()),
                ("title_words", models.TextField(blank=True)),
                ("body_words", models.TextField(blank=True)),
            ],
            options={"db_table": "search_document"},
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
                ("documents", models.IntegerField()),
            ],
            options={"db_table": "search_term"},
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(
                fields=("kind", "object_id"), name="search_document_unique"
            ),
        ),
        VendorSQL("sqlite", SQLITE_FTS, SQLITE_FTS_DROP),
        VendorSQL("postgresql", POSTGRES_TSV, POSTGRES_TSV_DROP),
    ]
