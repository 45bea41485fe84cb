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

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from renda.plainsql import execute, insert_row

from .models import Kind, SearchDocument, SearchTerm
from .segment import _get_tokenizer, is_cjk, segmented

BATCH = 1000


# --- the words of each kind (pure functions of the record's text: the same in `index` and in
# `rebuild`'s worker processes) ------------------------------------------------------------------
def suggestion_words(title: str, body: str) -> tuple[str, str]:
    return segmented(title), segmented(body)


def answer_words(title: str, text: str, plan: str, reason: str) -> tuple[str, str]:
    from renda.suggestions.masking import mask_personal

    whole = "\n".join(t for t in (text, plan, reason) if t)
    return segmented(title), segmented(mask_personal(whole))


def opinion_words(text: str, name: str) -> tuple[str, str]:
    from renda.opinions.masking import mask_personal

    return "", segmented(mask_personal(text, names=(name,)))


def _suggestion_doc(s: Any) -> SearchDocument:
    title_words, body_words = suggestion_words(s.title, s.body)
    return SearchDocument(
        kind=Kind.SUGGESTION,
        object_id=s.pk,
        congress_id=s.congress_id,
        title_words=title_words,
        body_words=body_words,
    )


def _answer_doc(a: Any, title: str, congress_id: int) -> SearchDocument:
    title_words, body_words = answer_words(title, a.text, a.plan, a.reason)
    return SearchDocument(
        kind=Kind.ANSWER,
        object_id=a.pk,
        congress_id=congress_id,
        title_words=title_words,
        body_words=body_words,
    )


def _opinion_doc(o: Any) -> SearchDocument:
    title_words, body_words = opinion_words(o.text, o.name)
    return SearchDocument(
        kind=Kind.OPINION,
        object_id=o.pk,
        congress_id=o.congress_id,
        title_words=title_words,
        body_words=body_words,
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


# Words this process has seen committed to the vocabulary: a submission whose words are all
# known writes nothing more (most of them, once the vocabulary has grown). The vocabulary only
# loses words in `refresh_terms`, which recounts it from the index (so every indexed word is back)
# and clears this process's set; other processes forget theirs every KNOWN_SECONDS, so a word
# dropped by a recount and indexed again by them is back in the vocabulary within that time.
KNOWN_MAX = 200_000
KNOWN_SECONDS = 600
_known: set[str] = set()
_known_since = [0.0]


def _forget_known() -> None:
    _known.clear()
    _known_since[0] = time.monotonic()


def _add_to_vocabulary(docs: list[SearchDocument]) -> None:
    """Words of two characters or more, Chinese among them, that are not in the vocabulary
    yet (SearchTerm, counted as in no suggestion until `refresh_terms`): a single character
    inside them (路 in 道路) is looked up there (queries.words_within), so the vocabulary holds
    every indexed word, not only those of the last rebuild."""
    if time.monotonic() - _known_since[0] > KNOWN_SECONDS or len(_known) > KNOWN_MAX:
        _forget_known()
    words = {
        w
        for d in docs
        for w in f"{d.title_words} {d.body_words}".split()
        if 2 <= len(w) <= 100 and w not in _known and any(is_cjk(ch) for ch in w)
    }
    if not words:
        return
    # One INSERT … ON CONFLICT DO NOTHING: words already counted stay as they are. Known to
    # this process only once committed (a rolled-back submission's words were not kept).
    ordered = sorted(words)
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    if connection.vendor == "postgresql":
        execute(
            f"INSERT INTO {table} (word, documents) SELECT w, 0 FROM unnest(%s::text[]) w"  # noqa: S608 - model name
            " ON CONFLICT (word) DO NOTHING",
            [ordered],
        )
    else:
        with connection.cursor() as cursor:
            for start in range(0, len(ordered), 500):
                part = ordered[start : start + 500]
                values = ", ".join(["(%s, 0)"] * len(part))
                cursor.execute(
                    f"INSERT INTO {table} (word, documents) VALUES {values}"  # noqa: S608 - model name
                    " ON CONFLICT (word) DO NOTHING",
                    part,
                )
    transaction.on_commit(lambda: _known.update(ordered))


def index(record: Any) -> None:
    """Write the index row of a suggestion, answer or opinion, in the caller's transaction."""
    _save([document_for(record)])


def index_new(record: Any) -> None:
    """The index row of a record created in this transaction (a citizen's submission): one plain
    INSERT (renda.plainsql), without the upsert's statement building of `index`; its new words
    join the vocabulary as `index`'s do."""
    doc = insert_row(document_for(record))
    _add_to_vocabulary([doc])


def remove(kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


# --- rebuilding ------------------------------------------------------------------------------
# Rows are read in the main process (keyset paging by primary key: no OFFSET, no open cursor),
# cut into words by `jobs` worker processes (segmentation is most of the time: pure Python), and
# written back in the main process — on PostgreSQL with COPY into a temporary table and one
# upsert per batch that leaves unchanged rows alone (no new row version, no GIN update); a
# suggestion's units (search migration 0005) are computed again and repaired too. At most
# 2 × jobs batches are in flight, so memory stays flat whatever the table size.
Row = tuple[int, int, str, str]  # object_id, congress_id, title words, body words


def _raw_batches(kind: str) -> Iterator[list[tuple[Any, ...]]]:
    from renda.opinions.models import Opinion
    from renda.suggestions.models import Answer, Suggestion

    model, fields = {
        Kind.SUGGESTION: (Suggestion, ("pk", "congress_id", "title", "body")),
        Kind.ANSWER: (
            Answer,
            (
                "pk",
                "assignment__suggestion__congress_id",
                "assignment__suggestion__title",
                "text",
                "plan",
                "reason",
            ),
        ),
        Kind.OPINION: (Opinion, ("pk", "congress_id", "text", "name")),
    }[kind]
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _segment(kind: str, rows: list[tuple[Any, ...]]) -> list[Row]:
    """The index rows of a batch read by `_raw_batches` (run in a worker process)."""
    words = {Kind.SUGGESTION: suggestion_words, Kind.ANSWER: answer_words}.get(kind, opinion_words)
    return [(r[0], r[1], *words(*(t or "" for t in r[2:]))) for r in rows]


def _write(kind: str, rows: list[Row]) -> None:
    """Upsert one batch of index rows, in its own transaction."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            _save_rows(kind, rows)
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS search_load (object_id bigint,"
                " congress_id integer, title_words text, body_words text) ON COMMIT DELETE ROWS"
            )
            with cursor.cursor.copy(
                "COPY search_load (object_id, congress_id, title_words, body_words) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                "INSERT INTO search_document (kind, object_id, congress_id, title_words,"
                " body_words) SELECT %s, object_id, congress_id, title_words, body_words"
                " FROM search_load ON CONFLICT (kind, object_id) DO UPDATE SET"
                " congress_id = EXCLUDED.congress_id, title_words = EXCLUDED.title_words,"
                " body_words = EXCLUDED.body_words, units = EXCLUDED.units"
                " WHERE (search_document.congress_id, search_document.title_words,"
                " search_document.body_words, search_document.units) IS DISTINCT FROM"
                " (EXCLUDED.congress_id, EXCLUDED.title_words, EXCLUDED.body_words,"
                " EXCLUDED.units)",
                [kind],
            )


def _save_rows(kind: str, rows: list[Row]) -> None:
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(kind=kind, object_id=o, congress_id=c, title_words=t, body_words=b)
            for o, c, t, b in rows
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["congress_id", "title_words", "body_words"],
    )


def _start_worker() -> None:
    # A worker never touches the database: forget the parent's connections without closing
    # them (they are the parent's).
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.connection = None


def source_count(kind: str) -> int:
    from renda.opinions.models import Opinion
    from renda.suggestions.models import Answer, Suggestion

    model = {Kind.SUGGESTION: Suggestion, Kind.ANSWER: Answer, Kind.OPINION: Opinion}[kind]
    return model.objects.count()


def rebuild(kind: str, progress: Callable[[int], None] | None = None, *, jobs: int = 1) -> int:
    """Rewrite the index rows of every record of one kind (each batch its own transaction), then
    drop rows whose record is gone. Returns the number of rows read. `jobs` > 1: the words are
    cut in that many worker processes. The vocabulary (SearchTerm) is left to `refresh_terms`,
    which `rebuild_search_index` runs after it."""
    done = 0

    def write(rows: list[Row]) -> None:
        nonlocal done
        _write(kind, rows)
        done += len(rows)
        if progress is not None:
            progress(done)

    if jobs <= 1:
        for raw in _raw_batches(kind):
            write(_segment(kind, raw))
    else:
        _get_tokenizer()  # loaded once, before the fork: the workers share it
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker)
        try:
            pending: deque[Any] = deque()
            for raw in _raw_batches(kind):
                pending.append(pool.apply_async(_segment, (kind, raw)))
                if len(pending) >= 2 * jobs:
                    write(pending.popleft().get())
            while pending:
                write(pending.popleft().get())
        finally:
            pool.terminate()
            pool.join()
    _drop_orphans(kind)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics: with a table's estimates from before the rebuild the planner
            # guessed a word's matches a hundred times off.
            cursor.execute("ANALYZE search_document")
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
    _forget_known()
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
