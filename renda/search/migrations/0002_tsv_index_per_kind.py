"""One GIN index per kind instead of one for every row (PostgreSQL only; docs/search.md).

Every query asks for one kind: with a single index PostgreSQL also read the `(kind, object_id)`
index for the kind's rows and ANDed the two bitmaps — reading a whole kind's entries (100 000
at 100 000 suggestions) for every query, most of its time for a rare word. A partial index per
kind holds that kind's rows only, and the condition `kind = …` is the index's own."""

from __future__ import annotations

from importlib import import_module

from django.db import migrations

# RunSQL on one database vendor only: 0001's (a module name that is not an identifier).
VendorSQL = import_module("renda.search.migrations.0001_initial").VendorSQL

KINDS = ("suggestion", "answer", "opinion")

PER_KIND = [
    f"CREATE INDEX search_document_tsv_{k} ON search_document USING gin (tsv) WHERE kind = '{k}'"
    for k in KINDS
] + ["DROP INDEX IF EXISTS search_document_tsv"]
ONE = ["CREATE INDEX search_document_tsv ON search_document USING gin (tsv)"] + [
    f"DROP INDEX IF EXISTS search_document_tsv_{k}" for k in KINDS
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [VendorSQL("postgresql", PER_KIND, ONE)]
