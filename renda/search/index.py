"""Keeping the search index current (issue 7 point 1).

`index(record)` is the one call: the actions that write a text call it in their own transaction
(create and edit a draft, answer, receive an opinion, pass an opinion up), so a search never
misses a committed text and never finds a rolled-back one. `rebuild` rewrites every row for
records written before the index existed, or by bulk loaders (seed_scale), in batches read by
primary key so memory stays flat whatever the table size.

What is indexed is what a searcher may be shown: suggestions' title and text; answers' text
(with the suggestion's title, so an answer is found by what it answers) and opinions' text, both
with phone and ID numbers masked first (a number nobody may see in a snippet cannot be searched
for either; docs/search.md, "Privacy")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from .models import Kind, SearchDocument, SearchTerm
from .segment import is_cjk, segmented

BATCH = 1000


def _suggestion_doc(s: Any) -> SearchDocument:
    return SearchDocument(
        kind=Kind.SUGGESTION,
        object_id=s.pk,
        congress_id=s.congress_id,
        title_words=segmented(s.title),
        body_words=segmented(s.body),
    )


def _answer_doc(a: Any, title: str, congress_id: int) -> SearchDocument:
    from renda.suggestions.masking import mask_personal

    text = "\n".join(t for t in (a.text, a.plan, a.reason) if t)
    return SearchDocument(
        kind=Kind.ANSWER,
        object_id=a.pk,
        congress_id=congress_id,
        title_words=segmented(title),
        body_words=segmented(mask_personal(text)),
    )


def _opinion_doc(o: Any) -> SearchDocument:
    from renda.opinions.masking import mask_personal

    return SearchDocument(
        kind=Kind.OPINION,
        object_id=o.pk,
        congress_id=o.congress_id,
        title_words="",
        body_words=segmented(mask_personal(o.text, names=(o.name,))),
    )


def document_for(record: Any) -> SearchDocument:
    """The index row of a suggestion, answer or opinion (not saved)."""
    from renda.opinions.models import Opinion
    from renda.suggestions.models import Answer, Suggestion

    if isinstance(record, Suggestion):
        return _suggestion_doc(record)
    if isinstance(record, Answer):
        suggestion = record.assignment.suggestion
        return _answer_doc(record, suggestion.title, suggestion.congress_id)
    if isinstance(record, Opinion):
        return _opinion_doc(record)
    raise TypeError(f"not indexed: {type(record).__name__}")


def _save(docs: list[SearchDocument]) -> None:
    SearchDocument.objects.bulk_create(
        docs,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["congress_id", "title_words", "body_words"],
    )
    _add_to_vocabulary(docs)


def _add_to_vocabulary(docs: list[SearchDocument]) -> None:
    """Words of two characters or more, Chinese among them, that are not in the vocabulary
    yet (SearchTerm, counted as in no suggestion until `refresh_terms`): a single character
    inside them (路 in 道路) is looked up there (queries.words_within), so the vocabulary holds
    every indexed word, not only those of the last rebuild."""
    words = {
        w
        for d in docs
        for w in f"{d.title_words} {d.body_words}".split()
        if 2 <= len(w) <= 100 and any(is_cjk(ch) for ch in w)
    }
    if not words:
        return
    known = set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w, documents=0) for w in sorted(words - known)],
        ignore_conflicts=True,
        batch_size=1000,
    )


def index(record: Any) -> None:
    """Write the index row of a suggestion, answer or opinion, in the caller's transaction."""
    _save([document_for(record)])


def remove(kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


# --- rebuilding ------------------------------------------------------------------------------
def _batches(model: Any, select: Callable[[Any], Any]) -> Iterator[list[Any]]:
    """Rows of `model` in primary-key order, BATCH at a time (keyset paging: no OFFSET, no
    open cursor, the same memory whatever the table size)."""
    last = 0
    while True:
        rows = list(select(model.objects.filter(pk__gt=last).order_by("pk"))[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _suggestion_batches() -> Iterator[list[SearchDocument]]:
    from renda.suggestions.models import Suggestion

    for rows in _batches(Suggestion, lambda qs: qs.only("title", "body", "congress_id")):
        yield [_suggestion_doc(s) for s in rows]


def _answer_batches() -> Iterator[list[SearchDocument]]:
    from renda.suggestions.models import Answer

    def select(qs: Any) -> Any:
        return qs.select_related("assignment__suggestion").only(
            "text",
            "plan",
            "reason",
            "assignment__suggestion__title",
            "assignment__suggestion__congress_id",
        )

    for rows in _batches(Answer, select):
        yield [
            _answer_doc(a, a.assignment.suggestion.title, a.assignment.suggestion.congress_id)
            for a in rows
        ]


def _opinion_batches() -> Iterator[list[SearchDocument]]:
    from renda.opinions.models import Opinion

    for rows in _batches(Opinion, lambda qs: qs.only("text", "name", "congress_id")):
        yield [_opinion_doc(o) for o in rows]


BATCHES: dict[str, Callable[[], Iterator[list[SearchDocument]]]] = {
    Kind.SUGGESTION: _suggestion_batches,
    Kind.ANSWER: _answer_batches,
    Kind.OPINION: _opinion_batches,
}


def source_count(kind: str) -> int:
    from renda.opinions.models import Opinion
    from renda.suggestions.models import Answer, Suggestion

    model = {Kind.SUGGESTION: Suggestion, Kind.ANSWER: Answer, Kind.OPINION: Opinion}[kind]
    return model.objects.count()


def rebuild(kind: str, progress: Callable[[int], None] | None = None) -> int:
    """Rewrite the index rows of every record of one kind (each batch its own transaction), then
    drop rows whose record is gone. Returns the number of rows written."""
    done = 0
    for docs in BATCHES[kind]():
        with transaction.atomic():
            _save(docs)
        done += len(docs)
        if progress is not None:
            progress(done)
    _drop_orphans(kind)
    return done


def _drop_orphans(kind: str) -> None:
    from renda.opinions.models import Opinion
    from renda.suggestions.models import Answer, Suggestion

    model = {Kind.SUGGESTION: Suggestion, Kind.ANSWER: Answer, Kind.OPINION: Opinion}[kind]
    # NOT EXISTS (an anti-join), not NOT IN (…): PostgreSQL ran NOT IN over a million ids as a
    # subplan per row once the id list no longer fitted in work_mem (minutes at 1 M).
    SearchDocument.objects.filter(kind=kind).exclude(
        Exists(model.objects.filter(pk=OuterRef("object_id")))
    ).delete()


def refresh_terms() -> int:
    """Count in how many suggestions each word occurs (SearchTerm), from the database's own
    full-text index: FTS5's vocabulary table on SQLite, ts_stat on PostgreSQL. Returns the
    number of suggestions counted (kept as the row of the empty word)."""
    with transaction.atomic(), connection.cursor() as cursor:
        SearchTerm.objects.all().delete()
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO search_term (word, documents) SELECT word, ndoc FROM ts_stat("
                "'SELECT tsv FROM search_document WHERE kind = ''suggestion''')"
                " WHERE length(word) <= 100 ON CONFLICT (word) DO UPDATE"
                " SET documents = EXCLUDED.documents"
            )
            # Words only answers and opinions hold: in the vocabulary too (a single character
            # is looked up there, queries.words_within), counted in no suggestion.
            cursor.execute(
                "INSERT INTO search_term (word, documents) SELECT word, 0 FROM ts_stat("
                "'SELECT tsv FROM search_document WHERE kind <> ''suggestion''')"
                " WHERE length(word) <= 100 ON CONFLICT (word) DO NOTHING"
            )
        else:
            # The vocabulary of the whole FTS table: counted over every kind (answers and
            # opinions too); the weights only need to say which words are rare.
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab"
                " USING fts5vocab(main, search_fts, 'row')"
            )
            cursor.execute(
                "INSERT INTO search_term (word, documents) SELECT term, doc FROM"
                " temp.search_vocab WHERE length(term) <= 100"
                " ON CONFLICT (word) DO UPDATE SET documents = excluded.documents"
            )
        total = SearchDocument.objects.filter(kind=Kind.SUGGESTION).count()
        SearchTerm.objects.update_or_create(word="", defaults={"documents": total})
    return total
