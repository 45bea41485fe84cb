"""The search index (issue 7 point 1): one row per indexed text, its words cut by the segmenter.

Derived rows, never edited by hand: `renda.search.index.index` writes a record's row in the
transaction of every action that writes its text; `manage.py rebuild_search_index` rewrites them
all. The database's own full-text index is built over the rows' words — on SQLite an FTS5 table
(`search_fts`, kept in step by triggers on this table), on PostgreSQL a generated `tsvector`
column (`tsv`, 'simple' configuration) with a GIN index — both created by migration 0001 on
their own database only (docs/search.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestions")
    ANSWER = "answer", _("Answers")
    OPINION = "opinion", _("Opinions")


class SearchDocument(models.Model):
    """The segmented words of one suggestion (title, text), answer (the suggestion's title, the
    answer's text, masked) or citizens' opinion (its text, masked)."""

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # A copy of the record's congress: similar suggestions look within one congress.
    congress_id = models.IntegerField()
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)

    class Meta:
        db_table = "search_document"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchTerm(models.Model):
    """How many suggestions hold a word (document frequency): the weight of a word in similar
    suggestions (rare words weigh more). Refreshed by `rebuild_search_index` (and `--terms`);
    a word not counted yet counts as rare."""

    word = models.CharField(max_length=100, unique=True)
    documents = models.IntegerField()

    class Meta:
        db_table = "search_term"

    def __str__(self) -> str:
        return f"{self.word}: {self.documents}"
