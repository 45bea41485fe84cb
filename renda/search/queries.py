"""Search and similar suggestions (issue 7 points 1, 2, 3, 6): reads only, always restricted to
what the user may see.

Visibility is the apps' own: `suggestions_visible_to` (renda/suggestions/queries.py) for
suggestions and for the answers to them, the public portal's `published_suggestions` and
`public_answers` (SUG-PUBLIC) for the answers anyone may read, `opinions_visible_to`
(renda/opinions/permissions.py) for opinions. Each is turned into SQL and asked inside the
full-text query (`object_id IN (…)`), so the database ranks and counts only rows the user may see.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from renda.errors import InvalidInput

from . import fanout
from .models import Kind, SearchTerm
from .segment import clean, found_whole, is_cjk, marked_words, query_words, tokens
from .snippets import SNIPPET_CHARS, highlight

PER_PAGE = 20
MAX_PER_PAGE = 50
MAX_PAGE = 50  # deeper than 1 000 hits nobody reads; refine the query instead
COUNT_CAP = 1000  # "more than 1 000": counting every match of 养 at 1 M costs more than it tells


@dataclass
class Hit:
    kind: str
    id: int
    score: float
    title: SafeString
    snippet: SafeString
    url: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Results:
    query: str
    words: list[str]
    hits: list[Hit]
    total: int
    total_capped: bool
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total and self.page < MAX_PAGE


def clean_kind(kind: str | None) -> str | None:
    if not kind:
        return None
    if kind not in Kind.values:
        raise InvalidInput(
            _("kind: must be one of %(kinds)s.") % {"kinds": ", ".join(Kind.values)},
            code="bad_kind",
        )
    return kind


# --- what the user may see, per kind ---------------------------------------------------------
def _filters(kind: str, congress: int | None, year: int | None, state: str | None) -> Q:
    prefix = "assignment__suggestion__" if kind == Kind.ANSWER else ""
    where = Q()
    if congress:
        where &= Q(**{f"{prefix}congress_id": congress})
    if year:
        field = "created_at__year" if kind == Kind.OPINION else f"{prefix}year"
        where &= Q(**{field: year})
    if state:
        where &= Q(**{f"{prefix}state": state})
    return where


def _published_answer() -> Q:
    """SUG-PUBLIC, row by row: an answer marked public, to a suggestion published (answered or
    later and public) — `published_suggestions()` of the public portal, whose "has a public
    answer" holds by this answer itself."""
    from renda.suggestions.views_public import PUBLISHED_STATES

    return Q(
        public=True,
        assignment__suggestion__public=True,
        assignment__suggestion__state__in=PUBLISHED_STATES,
    )


def is_broad(user: Any, kind: str) -> bool:
    """Whether the user may see most of a kind (the public's published answers, an office's
    whole congress, an administrator's everything): then the best matches are taken first and
    checked row by row; otherwise (a deputy's own, a unit's assigned) what the user may see is
    listed first and only that is matched."""
    from renda.accounts.permissions import is_admin
    from renda.opinions.permissions import office_ids_of
    from renda.suggestions.queries import OFFICE_ROLES

    if kind == Kind.ANSWER:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return True
    if kind == Kind.OPINION:
        return bool(office_ids_of(user))
    from renda.accounts.permissions import role_assignments

    return any(ra.role in OFFICE_ROLES for ra in role_assignments(user))


def visible(
    user: Any,
    kind: str,
    *,
    congress: int | None = None,
    year: int | None = None,
    state: str | None = None,
    row_by_row: bool = False,
) -> QuerySet[Any]:
    """The records of `kind` the user may find, with the filters applied. `row_by_row` builds
    it to be checked on a few rows (the answers' arm a correlated EXISTS instead of a list of
    every visible suggestion)."""
    from django.db.models import Exists, OuterRef

    from renda.opinions.permissions import opinions_visible_to
    from renda.suggestions.models import Answer
    from renda.suggestions.queries import suggestions_visible_to

    where = _filters(kind, congress, year, state)
    if kind == Kind.SUGGESTION:
        return suggestions_visible_to(user, one=row_by_row).filter(where)
    if kind == Kind.OPINION:
        return opinions_visible_to(user).filter(where)
    arm = _published_answer()
    if getattr(user, "is_authenticated", False):
        if row_by_row:
            own = suggestions_visible_to(user, one=True).filter(
                pk=OuterRef("assignment__suggestion_id")
            )
            arm |= Q(Exists(own))
        else:
            own_ids = suggestions_visible_to(user).order_by().values("pk")
            arm |= Q(assignment__suggestion__in=own_ids)
    return Answer.objects.filter(arm & where)


def _narrow(user: Any, kind: str, where: Q) -> QuerySet[Any] | None:
    """What a user who is not broad for `kind` may see of it by their own role (their
    suggestions, their unit's, their stations' opinions, the answers to those), listed first."""
    from renda.opinions.permissions import opinions_visible_to
    from renda.suggestions.models import Answer
    from renda.suggestions.queries import suggestions_visible_to

    if not getattr(user, "is_authenticated", False):
        return None
    if kind == Kind.SUGGESTION:
        return suggestions_visible_to(user).filter(where)
    if kind == Kind.OPINION:
        return opinions_visible_to(user).filter(where)
    own_ids = suggestions_visible_to(user).order_by().values("pk")
    return Answer.objects.filter(Q(assignment__suggestion__in=own_ids) & where)


# --- the full-text query, per database -------------------------------------------------------
def _quoted(word: str, prefix: bool) -> str:
    if connection.vendor == "postgresql":
        tail = ":*" if prefix else ""
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'" + tail
    return '"' + word.replace('"', '""') + '"' + ("*" if prefix else "")


def match_expression(
    words: list[str], *, prefix: bool = True, within: dict[str, list[str]] | None = None
) -> str:
    """The words as the database's full-text query: every word, each as a prefix (or whole;
    a dictionary word of 2 or 3 characters always whole, finding the same: `found_whole`).
    Words are quoted (FTS5 "…", tsquery '…'), so no character of a query is read as query
    syntax. `within` maps a single character (or two) to the indexed words holding it after
    their first character (路 → 道路, 公路): it is then found as a prefix OR as one of those."""
    pg = connection.vendor == "postgresql"
    parts = []
    for w in words:
        alts = [_quoted(w, prefix and not found_whole(w))]
        alts += [_quoted(o, False) for o in (within or {}).get(w, [])]
        parts.append(
            alts[0] if len(alts) == 1 else "(" + (" | " if pg else " OR ").join(alts) + ")"
        )
    return (" & " if pg else " AND ").join(parts)


# A single character or a two-character string inside or at the end of a word (路 in 道路, 老 in
# 养老院, 保卡 in 医保卡) is looked up in the vocabulary of indexed words (SearchTerm, kept
# current by every index write): the most common EXPAND_WORDS words holding it are asked for
# with it (docs/search.md, "Short words").
EXPAND_WORDS = 200


def words_within(words: list[str]) -> dict[str, list[str]]:
    """For each single Chinese character, and each two-character Chinese string that is not a
    word of its own, among `words`: the indexed words holding it after their first character
    (路 in 道路, 保卡 in 医保卡; those beginning with it are found by the prefix), most common
    first."""
    out: dict[str, list[str]] = {}
    for w in words:
        if len(w) == 2 and SearchTerm.objects.filter(word=w).exists():
            # A word of its own (养老, 医保): the segmenter also cuts it out of the longer words
            # holding it (社区养老 → 社区 养老), so the index has it wherever it appears.
            continue
        if 1 <= len(w) <= 2 and all(is_cjk(ch) for ch in w):
            out[w] = list(
                SearchTerm.objects.filter(word__contains=w)
                .exclude(word__startswith=w)
                .order_by("-documents", "word")
                .values_list("word", flat=True)[:EXPAND_WORDS]
            )
    return out


def _ranked_sql(where_sql: str) -> tuple[str, str]:
    """The visibility subquery is Django's own SQL for a queryset (its values are parameters),
    never text from a request. Returns (ranked rows, count) SQL over the index for one kind;
    placeholders: match, kind, then the visibility subquery's, then the limit."""
    if connection.vendor == "postgresql":
        base = (
            "FROM search_document d WHERE d.tsv @@ to_tsquery('simple', %s) AND d.kind = %s"
            f" AND d.object_id IN ({where_sql})"
        )
        ranked = (
            "SELECT d.object_id, ts_rank(d.tsv, to_tsquery('simple', %s)) AS score "
            + base
            + " ORDER BY score DESC, d.id DESC LIMIT %s"
        )
        return ranked, f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) t"  # noqa: S608  # noqa: S608
    base = (
        # CROSS JOIN: SQLite keeps this order (the matches first, then their rows); a plain
        # JOIN let it scan every row of the kind and run the MATCH once per row (2.7 s at 20 000).
        "FROM search_fts CROSS JOIN search_document d ON d.id = search_fts.rowid"
        " WHERE search_fts MATCH %s AND d.kind = %s"
        f" AND d.object_id IN ({where_sql})"
    )
    # bm25: lower is better; title words weigh three times the text's.
    ranked = (
        "SELECT d.object_id, -bm25(search_fts, 3.0, 1.0) AS score "
        + base
        + " ORDER BY score DESC, d.id DESC LIMIT %s"
    )
    return ranked, f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) t"  # noqa: S608


def _listed_sql(where_sql: str) -> tuple[str, str]:
    """PostgreSQL, a short list (a deputy's suggestions, a small unit's): (ranked rows, count)
    SQL that takes the ids the user may see first and looks each up by the (kind, object_id)
    index (LATERAL: one lookup per id), keeping those that match. The planner guesses a query
    of several words to match a few dozen records and reads its matches first instead: 8 600
    rows for 农村 饮水 安全 to keep a deputy's 3 (150 ms; listed, 10 ms). Placeholders: the
    visibility subquery's, then match, kind, match, then the limit."""
    listed = (
        f"WITH v AS MATERIALIZED (SELECT DISTINCT u.i FROM ({where_sql}) u(i))"  # noqa: S608
        " SELECT {columns} FROM v CROSS JOIN LATERAL (SELECT d.id, d.object_id,"
        " ts_rank(d.tsv, to_tsquery('simple', %s)) AS score FROM search_document d"
        " WHERE d.kind = %s AND d.object_id = v.i AND d.tsv @@ to_tsquery('simple', %s)"
        " LIMIT 1) d"  # one row per id (unique); and the LIMIT keeps the lookup per id
    )
    ranked = listed.format(columns="d.object_id, d.score") + (
        " ORDER BY d.score DESC, d.id DESC LIMIT %s"
    )
    count = "SELECT count(*) FROM (" + listed.format(columns="1") + " LIMIT %s) t"  # noqa: S608
    return ranked, count


def _ranked(
    kind: str, match: str, qs: QuerySet[Any], limit: int, *, listed: bool = False
) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` matches among `qs` (what the user may see of `kind`) and their number
    (up to COUNT_CAP + 1). `listed`: the list is short (at most a few thousand), so on
    PostgreSQL it is taken first and each of its records looked up (`_listed_sql`)."""
    try:
        sub_sql, sub_params = qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # nothing of this kind is visible (e.g. `pk__in=[]`)
        return [], 0
    with connection.cursor() as cursor:
        if listed and connection.vendor == "postgresql":
            ranked_sql, count_sql = _listed_sql(sub_sql)
            params = [*sub_params, match, kind, match]
            cursor.execute(ranked_sql, [*params, limit])
            rows = [(int(r[0]), float(r[1])) for r in cursor.fetchall()]
            cursor.execute(count_sql, [*params, COUNT_CAP + 1])
            return rows, int(cursor.fetchone()[0])
        ranked_sql, count_sql = _ranked_sql(sub_sql)
        head = [match, match] if connection.vendor == "postgresql" else [match]
        cursor.execute(ranked_sql, [*head, kind, *sub_params, limit])
        rows = [(int(r[0]), float(r[1])) for r in cursor.fetchall()]
        cursor.execute(count_sql, [match, kind, *sub_params, COUNT_CAP + 1])
        total = int(cursor.fetchone()[0])
    return rows, total


CANDIDATE_CAP = 1000
# Ranking reads every match's words: for a word in 20 000 suggestions that is most of the time
# of a query. The best CANDIDATE_CAP are taken from the newest RANK_WINDOW matches (all of them
# for every query but the most common words).
RANK_WINDOW = 5000
# On PostgreSQL, a query the planner expects to match at least WINDOW_FROM rows of a kind reads
# its newest RANK_WINDOW matches as an id window applied in the GIN index (search migrations
# 0003, 0004), WINDOW_MARGIN times as wide as the planner's count says it needs; below that the
# window's own cost (the index walks every id in it) is more than it saves (docs/search.md,
# "Ranking a common word").
WINDOW_FROM = 3 * RANK_WINDOW
WINDOW_MARGIN = 1.3


def _top(
    kind: str,
    match: str,
    limit: int,
    congress: int | None = None,
    among: Own | None = None,
    since: int | None = None,
) -> list[tuple[int, float]]:
    """The best `limit` matches of a kind (in one congress; among a unit's own, when given;
    of records with an id of at least `since`, when given), best first, whoever may see them
    (on PostgreSQL: of the newest RANK_WINDOW matches)."""
    if among is not None:
        return _top_among(kind, match, limit, among)
    if connection.vendor == "postgresql":
        return _top_postgresql(kind, match, limit, congress, since)
    sql = (
        "SELECT d.object_id, -bm25(search_fts, 3.0, 1.0) AS score FROM search_fts"
        " CROSS JOIN search_document d ON d.id = search_fts.rowid"
        " WHERE search_fts MATCH %s AND d.kind = %s"
        " AND (%s IS NULL OR d.congress_id = %s) AND d.object_id >= %s"
        " ORDER BY score DESC, d.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, kind, congress, congress, since or 0, limit])
        return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]


def _window_rows(
    kind: str, match: str, limit: int, congress: int | None, lo: int | None, *, window: bool
) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` of the newest RANK_WINDOW matches with an id of at least `lo` (of all
    matches where None), best first, and, for a `window` (the newest ids of a very common
    query), how many matches that was (up to RANK_WINDOW).

    `d.object_id + 0`: sorted from the matches found by the GIN index, never by walking an id
    index backwards and testing every row (the planner's guess for a rare word). The bound is
    applied in the index (it holds the id: search migrations 0003, 0004; bigint, the column's
    type, or the index is not used). No bound, no condition: `>= 0` would have the index walk
    every id. Within a window the matches are about RANK_WINDOW: each is ranked, and only the
    narrow (id, score) rows are sorted and counted; without one, only the newest RANK_WINDOW of
    what may be 20 000 matches are read again and ranked."""
    where = (
        "WHERE d.tsv @@ to_tsquery('simple', %s) AND d.kind = %s"
        " AND (%s::integer IS NULL OR d.congress_id = %s::integer)"
    )
    bound = " AND d.object_id >= %s::bigint" if lo else ""
    params = [match, match, kind, congress, congress, *([lo] if lo else []), RANK_WINDOW, limit]
    if window:
        # About RANK_WINDOW matches: each ranked as it is read, the narrow rows sorted.
        sql = (
            "SELECT w.object_id, w.score, count(*) OVER () FROM (SELECT d.id, d.object_id,"  # noqa: S608 - constants
            f" ts_rank(d.tsv, to_tsquery('simple', %s)) AS score FROM search_document d {where}"
            f"{bound} ORDER BY d.object_id + 0 DESC LIMIT %s) w"
            " ORDER BY w.score DESC, w.id DESC LIMIT %s"
        )
    else:
        # The newest matches as row addresses (ctid): narrow rows to sort (wide ones, with their
        # words, spilled to disk: 60 → 26 ms for 养老 at 1 M); then only those rows read again
        # by their address (a TID scan, in the same statement: the same row versions), ranked.
        sql = (
            "SELECT d.object_id, ts_rank(d.tsv, to_tsquery('simple', %s)) AS score, 0"  # noqa: S608 - constants
            " FROM search_document d WHERE d.ctid = ANY(ARRAY(SELECT d.ctid"
            f" FROM search_document d {where}{bound} ORDER BY d.object_id + 0 DESC LIMIT %s))"
            " ORDER BY score DESC, d.id DESC LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(int(r[0]), float(r[1])) for r in rows], int(rows[0][2]) if rows else 0


def _expected_matches(kind: str, match: str) -> float:
    """The planner's count of the matches of a kind (from the words' statistics, nothing read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document d"
            " WHERE d.tsv @@ to_tsquery('simple', %s) AND d.kind = %s",
            [match, kind],
        )
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _id_range(kind: str) -> tuple[int, int]:
    """The kind's lowest and highest record id (two reads of the (kind, object_id) index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(object_id), max(object_id) FROM search_document WHERE kind = %s", [kind]
        )
        low, high = cursor.fetchone()
    return int(low or 0), int(high or 0)


def _windowed(
    kind: str, match: str, limit: int, congress: int | None, floor: int, high: int, width: int
) -> list[tuple[int, float]] | None:
    """The best `limit` of the newest RANK_WINDOW matches, from the newest `width` ids; where
    those hold fewer, once more from as many ids as their matches say RANK_WINDOW needs. None
    where that falls short too, or would reach back to `floor` (the whole query then costs no
    more: the index walks every id of a window)."""
    lo = high + 1 - width
    for attempt in range(2):
        rows, held = _window_rows(kind, match, limit, congress, lo, window=True)
        if held >= RANK_WINDOW:
            return rows
        if attempt or not held:
            return None
        lo = high + 1 - int(RANK_WINDOW * WINDOW_MARGIN * (high + 1 - lo) / held)
        if lo <= floor:
            return None
    return None


def _top_postgresql(
    kind: str, match: str, limit: int, congress: int | None, since: int | None
) -> list[tuple[int, float]]:
    """`_top` on PostgreSQL: the best `limit` of the newest RANK_WINDOW matches (of ids from
    `since`). A very common query (the planner expects WINDOW_FROM matches or more) reads them
    from the newest ids only: as many as the planner's count says RANK_WINDOW needs
    (WINDOW_MARGIN over); a wider window where that held fewer, as wide as its own matches say;
    the whole query where that falls short too. The same rows as the whole query, in about half
    the time for 养 and 路 at 1 M and a hundredth for 建议 (docs/performance.md, "Search")."""
    expected = _expected_matches(kind, match)
    if expected >= WINDOW_FROM:  # else no window: the kind's ids are not even read
        floor = since or 0
        low, high = _id_range(kind)
        ids, span = high - low + 1, high - max(low, floor) + 1  # the kind's; those from `since`
        width = int(RANK_WINDOW * WINDOW_MARGIN * ids / expected)
        if expected * span / ids >= WINDOW_FROM and width * 2 <= span:
            rows = _windowed(kind, match, limit, congress, floor, high, width)
            if rows is not None:
                return rows
    return _window_rows(kind, match, limit, congress, since, window=False)[0]


# A word in at least this share of a kind's records (建议, 的: nearly all; 加强: half) is looked
# for in a busy unit's own records newest first, one by one, until RANK_WINDOW hold it (5 000
# lookups for 建议, 60 ms at 1 M), not by reading all the unit's matches of it from the index
# (39 000 for 建议, 212 ms). Below it the index's way is quicker: from about 0.4 (人才, 37 %:
# 76 ms one by one, 62 from the index; 服务, 10 %: 239 against 39; docs/performance.md).
AMONG_FIRST_SHARE = 0.4


@dataclass(frozen=True)
class Own:
    """A superset of the suggestions a unit's staff may see by their roles, to be checked row
    by row (drafts, a returned assignment beside a live one): those `assigned` to their `units`
    and not returned (on PostgreSQL also the `units` of each suggestion's index row: search
    migration 0005), and their `personal` ones, led or co-signed (a short list, if any)."""

    units: frozenset[int]
    assigned: QuerySet[Any]
    personal: QuerySet[Any]

    def ids(self) -> QuerySet[Any]:
        """All of them, as one list of ids from indexed columns."""
        return self.assigned.union(self.personal, all=True)


def _top_among(kind: str, match: str, limit: int, own: Own) -> list[tuple[int, float]]:
    try:
        sub_sql, sub_params = own.ids().query.sql_with_params()
    except EmptyResultSet:
        return []
    # `sub_sql` is Django's own SQL for a queryset (its values are parameters).
    if connection.vendor == "postgresql":
        low, high = _id_range(kind)
        if _expected_matches(kind, match) >= AMONG_FIRST_SHARE * (high - low + 1):
            # The unit's ids newest first, each looked up by the (kind, id) index and kept if
            # it matches, until RANK_WINDOW do (LATERAL: one lookup per id, in that order).
            sql = (
                "SELECT w.object_id, ts_rank(w.tsv, to_tsquery('simple', %s)) AS score FROM"  # noqa: S608
                f" (SELECT d.id, d.object_id, d.tsv FROM (SELECT DISTINCT u.i FROM ({sub_sql})"
                " u(i) ORDER BY u.i DESC) a CROSS JOIN LATERAL (SELECT d.id, d.object_id, d.tsv"
                " FROM search_document d WHERE d.kind = %s AND d.object_id = a.i"
                " AND d.tsv @@ to_tsquery('simple', %s) LIMIT 1) d ORDER BY a.i DESC LIMIT %s) w"
                " ORDER BY score DESC, w.id DESC LIMIT %s"
            )
            params: list[Any] = [match, *sub_params, kind, match, RANK_WINDOW, limit]
        else:
            return _top_of_units(kind, match, limit, own)
    else:
        sql = (
            "SELECT d.object_id, -bm25(search_fts, 3.0, 1.0) AS score FROM search_fts"  # noqa: S608
            " CROSS JOIN search_document d ON d.id = search_fts.rowid"
            " WHERE search_fts MATCH %s AND d.kind = %s"
            f" AND d.object_id IN ({sub_sql}) ORDER BY score DESC, d.id DESC LIMIT %s"
        )
        params = [match, kind, *sub_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]


def _top_of_units(kind: str, match: str, limit: int, own: Own) -> list[tuple[int, float]]:
    """`_top_among` on PostgreSQL for a word in fewer than AMONG_FIRST_SHARE of the records.

    The unit's matches are found in the GIN index, which holds each suggestion's units beside
    its words (search migration 0005): the index ANDs the word's entries with the units', and
    only the unit's matches are read (路 for a unit with 40 000 suggestions at 1 M: 7 000 rows,
    not all 29 000 matches to learn each one's id; docs/performance.md). The personal ones,
    if any, are looked up id by id (LATERAL). Of both, only the newest RANK_WINDOW are read
    again by their row address (ctid, as in `_window_rows`) and ranked."""
    try:
        personal_sql, personal_params = own.personal.query.sql_with_params()
    except EmptyResultSet:
        personal_sql, personal_params = "SELECT NULL::bigint WHERE false", ()
    sql = (
        "WITH m AS MATERIALIZED (SELECT d.ctid AS t, d.object_id FROM search_document d"  # noqa: S608
        " WHERE d.tsv @@ to_tsquery('simple', %s) AND d.kind = %s AND d.units && %s::bigint[]"
        f" UNION SELECT d.ctid, d.object_id FROM ({personal_sql}) p(i) CROSS JOIN LATERAL"
        " (SELECT d.ctid, d.object_id FROM search_document d WHERE d.kind = %s"
        " AND d.object_id = p.i AND d.tsv @@ to_tsquery('simple', %s)) d)"
        " SELECT d.object_id, ts_rank(d.tsv, to_tsquery('simple', %s)) AS score"
        " FROM search_document d WHERE d.ctid = ANY(ARRAY(SELECT m.t FROM m"
        " ORDER BY m.object_id DESC LIMIT %s)) ORDER BY score DESC, d.id DESC LIMIT %s"
    )
    units = sorted(own.units)
    params = [match, kind, units, *personal_params, kind, match, match, RANK_WINDOW, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(r[0]), float(r[1])) for r in cursor.fetchall()]


def _own_suggestions(user: Any) -> Own:
    """What a unit's staff may see of suggestions by their roles (`Own`)."""
    from renda.accounts.permissions import role_assignments
    from renda.suggestions.choices import AssignmentState
    from renda.suggestions.models import Assignment, Sponsor, Suggestion
    from renda.suggestions.queries import UNIT_ROLES

    units = {ra.unit_id for ra in role_assignments(user) if ra.role in UNIT_ROLES and ra.unit_id}
    assigned = (
        Assignment.objects.filter(unit_id__in=units)
        .exclude(state=AssignmentState.RETURNED)
        .order_by()
        .values("suggestion_id")
    )
    sponsored = (
        Sponsor.objects.filter(deputy=user, declined_at__isnull=True)
        .order_by()
        .values("suggestion_id")
    )
    led = Suggestion.objects.filter(lead_deputy=user).order_by().values("pk")
    return Own(frozenset(units), assigned, sponsored.union(led, all=True))


def _busy(user: Any, kind: str) -> bool:
    """Whether what the user may see of `kind` by their role is large: a unit (of theirs) with
    at least settings.SEARCH_BUSY_UNIT assignments (not returned; RENDA_SEARCH_BUSY_UNIT,
    default 2000), searched like the office: the best matches first, checked row by row.
    Listing its 40 000 suggestions first and ranking every match among them took 4–5 s at 1 M
    (docs/performance.md, "Search"). Deputies and small units stay on the narrow path."""
    from renda.accounts.permissions import role_assignments
    from renda.suggestions.choices import AssignmentState
    from renda.suggestions.models import Assignment
    from renda.suggestions.queries import UNIT_ROLES

    if kind == Kind.OPINION or not getattr(user, "is_authenticated", False):
        return False
    units = {ra.unit_id for ra in role_assignments(user) if ra.role in UNIT_ROLES and ra.unit_id}
    if not units:
        return False
    busy = settings.SEARCH_BUSY_UNIT
    assigned = Assignment.objects.filter(unit_id__in=units).exclude(state=AssignmentState.RETURNED)
    return assigned.order_by().values("pk")[:busy].count() >= busy


def _allowed(user: Any, kind: str, ids: list[int], filters: dict[str, Any]) -> set[int]:
    """Which of `ids` (of `kind`) the user may see. Answers in two lookups by primary key: the
    answers with their suggestion and whether they are published, then, for those that are
    not, which of their suggestions are the user's own (none asked when all are published, as
    for most of an office's best matches). Asked as one query, "published OR one of mine" made
    PostgreSQL hash every suggestion and assignment of the table (0.4–0.7 s at 100 000
    suggestions)."""
    from renda.suggestions.models import Answer
    from renda.suggestions.queries import suggestions_visible_to

    if not ids:
        return set()
    if kind != Kind.ANSWER:
        rows = visible(user, kind, row_by_row=True, **filters)
        return set(rows.filter(pk__in=ids).order_by().values_list("pk", flat=True))
    answers = (
        Answer.objects.filter(pk__in=ids)
        .filter(_filters(kind, **filters))
        .order_by()
        .annotate(published=ExpressionWrapper(_published_answer(), BooleanField()))
        .values_list("pk", "assignment__suggestion_id", "published")
    )
    allowed: set[int] = set()
    suggestion_of: dict[int, int] = {}
    for pk, suggestion, published in answers:
        if published:
            allowed.add(pk)
        else:
            suggestion_of[pk] = suggestion
    if suggestion_of and getattr(user, "is_authenticated", False):
        own = set(
            suggestions_visible_to(user, one=True)
            .filter(pk__in=set(suggestion_of.values()))
            .order_by()
            .values_list("pk", flat=True)
        )
        allowed |= {pk for pk, s in suggestion_of.items() if s in own}
    return allowed


# When an earlier kind's total was capped, a later kind's best matches are checked this many
# at a time (at least twice the hits wanted) until the hits wanted are found.
FIRST_CHECK = 100
# Side by side, how long (seconds) a later kind waits to learn whether an earlier one was
# capped; past it (never seen), it is counted: the total stays exact.
KIND_WAIT = 30


def _kind_hits(
    user: Any,
    kind: str,
    match: str,
    wanted: int,
    where: Q,
    filters: dict[str, Any],
    *,
    counted: bool | Callable[[], bool] = True,
) -> tuple[list[tuple[int, float]], int, bool]:
    """The best `wanted` hits of one kind the user may see, their number (up to the cap) and
    whether it was capped. Broad users and busy units: the best CANDIDATE_CAP matches, checked
    row by row. Others: what they may see by their role, matched and ranked whole (a deputy's
    200 suggestions among a million are never crowded out by better matches they may not see).
    A busy unit falls back to that too when the best matches hold fewer than `wanted` of its own.
    Not `counted` (the total is shown as "more than" already): the best matches are checked
    only until `wanted` are found, and the number returned is a lower bound. `counted` may be
    a question asked once the best matches are checked (kinds side by side: whether an earlier
    kind, running beside this one, was capped)."""
    found: dict[int, float] = {}
    total, capped = 0, False
    broad = is_broad(user, kind)
    # Whether the best matches checked row by row are all there is to it: for answers, a user
    # who is not broad for suggestions may also see unpublished answers to their own.
    whole = broad and (kind != Kind.ANSWER or is_broad(user, Kind.SUGGESTION))
    busy = not whole and _busy(user, kind)
    settled = False
    if broad or busy:
        # A busy unit's suggestions: the best matches among its own (its units', its personal
        # ones), not the best of all, of which a unit seeing 4 % of a congress may see 40 of 1 000.
        among = _own_suggestions(user) if busy and kind == Kind.SUGGESTION else None
        top = _top(kind, match, CANDIDATE_CAP, among=among)
        ids = [pk for pk, _s in top]
        first = len(ids) if counted is True else max(2 * wanted, FIRST_CHECK)
        allowed = _allowed(user, kind, ids[:first], filters)
        if first < len(ids) and (len(allowed) < wanted or (callable(counted) and counted())):
            allowed |= _allowed(user, kind, ids[first:], filters)
        found = {pk: score for pk, score in top if pk in allowed}
        total, capped = len(found), len(top) >= CANDIDATE_CAP
        # Every match was checked, or the best `wanted` the user may see are among the best
        # matches of all: the narrow path would find nothing better.
        settled = not capped or len(found) >= wanted
    if not whole and not (busy and settled):
        narrow = _narrow(user, kind, where)
        if narrow is not None:
            # A deputy's or a small unit's suggestions and answers: a short list, taken first.
            listed = not busy and kind != Kind.OPINION
            rows_n, n = _ranked(kind, match, narrow, wanted, listed=listed)
            new = [(pk, score) for pk, score in rows_n if pk not in found]
            found.update(new)
            total += n - (len(rows_n) - len(new))
            capped = capped or n > COUNT_CAP
    ranked = sorted(found.items(), key=lambda r: -r[1])[:wanted]
    return ranked, min(total, COUNT_CAP), capped or total > COUNT_CAP


def search(
    user: Any,
    q: str,
    *,
    kind: str | None = None,
    congress: int | None = None,
    year: int | None = None,
    state: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """Ranked hits of `q` among what the user may see. Any string is a valid query (cut to
    QUERY_MAX_CHARS, stripped of what no database can hold); one with no words finds nothing."""
    kind = clean_kind(kind)
    page = min(max(int(page), 1), MAX_PAGE)
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    words = query_words(q or "")
    empty = Results(q or "", words, [], 0, False, page, per_page)
    if not words:
        return empty
    match = match_expression(words, within=words_within(words))
    kinds = [kind] if kind else list(Kind.values)
    if not getattr(user, "is_authenticated", False):
        kinds = [k for k in kinds if k == Kind.ANSWER]  # the public: published answers only
    wanted = page * per_page
    found: list[tuple[float, str, int]] = []
    total = 0
    capped = False
    filters = {"congress": congress, "year": year, "state": state}
    if getattr(user, "is_authenticated", False):
        from renda.accounts.permissions import role_assignments

        role_assignments(user)  # loaded once, here, before the kinds (maybe side by side) read it

    def kind_hits(
        k: str, *, counted: bool | Callable[[], bool] = True
    ) -> tuple[list[tuple[int, float]], int, bool]:
        return _kind_hits(user, k, match, wanted, _filters(k, **filters), filters, counted=counted)

    if fanout.side_by_side():
        # Every kind at once, each on its own connection: about the time of the slowest kind
        # instead of the sum of them; counted as one by one (below), each later kind asking,
        # once its best matches are checked, whether an earlier one was capped.
        done = [threading.Event() for _k in kinds]
        was_capped = [False for _k in kinds]

        def counted_after(i: int) -> bool:
            # As one by one: counted unless an earlier kind was capped. The earlier kinds run
            # beside this one, or before it in the same thread: waited for, never after it.
            settled = all(done[j].wait(timeout=KIND_WAIT) for j in range(i))
            return not (settled and any(was_capped[:i]))

        def side(i: int, k: str) -> tuple[list[tuple[int, float]], int, bool]:
            try:
                result = kind_hits(k, counted=True if i == 0 else partial(counted_after, i))
                was_capped[i] = result[2]
                return result
            finally:
                done[i].set()

        results = fanout.run_all([partial(side, i, k) for i, k in enumerate(kinds)])
        per_kind = list(zip(kinds, results, strict=True))
    else:
        per_kind = []
        for k in kinds:
            # Once a kind's total is capped, "more than N" is shown: the later kinds' best hits
            # are needed, not their number (their visible best matches are a lower bound).
            result = kind_hits(k, counted=not capped)
            per_kind.append((k, result))
            capped = capped or result[2]
    for k, (rows, n, k_capped) in per_kind:
        found.extend((score, k, pk) for pk, score in rows)
        capped = capped or k_capped
        total += n
    found.sort(key=lambda r: -r[0])
    window = found[(page - 1) * per_page : wanted]
    hits = _hits(user, window, marked_words(q or ""))
    # Totals above COUNT_CAP are "more than 1 000", whatever the kinds (each is capped alone).
    capped = capped or total > COUNT_CAP
    return Results(q or "", words, hits, min(total, COUNT_CAP), capped, page, per_page)


# --- hits: the records, their titles and snippets --------------------------------------------
def _hits(user: Any, window: list[tuple[float, str, int]], words: list[str]) -> list[Hit]:
    from renda.opinions.masking import mask_personal as mask_opinion
    from renda.opinions.models import Opinion
    from renda.suggestions.masking import mask_personal
    from renda.suggestions.models import Answer, Suggestion

    ids: dict[str, list[int]] = {k: [pk for _s, kk, pk in window if kk == k] for k in Kind.values}
    suggestions = Suggestion.objects.in_bulk(ids[Kind.SUGGESTION])
    answers = Answer.objects.select_related("assignment__suggestion", "assignment__unit").in_bulk(
        ids[Kind.ANSWER]
    )
    opinions = Opinion.objects.select_related("category").in_bulk(ids[Kind.OPINION])
    full_answers: set[int] = set()
    if answers and getattr(user, "is_authenticated", False):
        from renda.suggestions.queries import suggestions_visible_to

        # The answers' suggestions are loaded: which of those the user may see, by primary key
        # (not every suggestion the user may see, listed: a unit's 40 000 at 1 M).
        sids = {a.assignment.suggestion_id for a in answers.values()}
        own = set(
            suggestions_visible_to(user, one=True)
            .filter(pk__in=sids)
            .order_by()
            .values_list("pk", flat=True)
        )
        full_answers = {pk for pk, a in answers.items() if a.assignment.suggestion_id in own}
    hits: list[Hit] = []
    for score, kind, pk in window:
        if kind == Kind.SUGGESTION and pk in suggestions:
            s = suggestions[pk]
            hits.append(
                Hit(
                    kind,
                    pk,
                    score,
                    highlight(s.title, words),
                    highlight(s.body, words, width=SNIPPET_CHARS),
                    f"/suggestions/{pk}/",
                    {
                        "number": s.number,
                        "year": s.year,
                        "state": s.state,
                        "state_label": s.get_state_display(),
                    },
                )
            )
        elif kind == Kind.ANSWER and pk in answers:
            a = answers[pk]
            s = a.assignment.suggestion
            text = "\n".join(t for t in (a.text, a.plan, a.reason) if t)
            url = f"/suggestions/{s.pk}/" if pk in full_answers else f"/suggestions/public/{s.pk}/"
            hits.append(
                Hit(
                    kind,
                    pk,
                    score,
                    highlight(mask_personal(s.title), words),
                    highlight(mask_personal(text), words, width=SNIPPET_CHARS),
                    url,
                    {
                        "number": s.number,
                        "year": s.year,
                        "unit": a.assignment.unit.name,
                        "suggestion": s.pk,
                        "category": a.category,
                    },
                )
            )
        elif kind == Kind.OPINION and pk in opinions:
            o = opinions[pk]
            title = _("Opinion No. %(pk)s · %(category)s") % {"pk": pk, "category": o.category.name}
            hits.append(
                Hit(
                    kind,
                    pk,
                    score,
                    highlight(title, []),
                    highlight(mask_opinion(o.text, names=(o.name,)), words, width=SNIPPET_CHARS),
                    f"/opinions/handling/{pk}/",
                    {
                        "year": o.created_at.year,
                        "state": o.state,
                        "state_label": o.get_state_display(),
                    },
                )
            )
    return hits


# --- similar suggestions (并案) ---------------------------------------------------------------
SIMILAR_LIMIT = 5
SIMILAR_MIN_SCORE = 0.3
CANDIDATES = 100
RARE_WORDS = 4
# The candidate pairs after the first: only while they may match this many suggestions in all
# (at 1 M: p95 194 → 65 ms, the same originals found; docs/performance.md, "Search").
PAIR_BUDGET = 50_000


@dataclass
class Similar:
    id: int
    title: str
    score: float
    shared: list[str]
    url: str
    number: str = ""
    state_label: str = ""
    state: str = ""


def _frequencies(words: list[str]) -> tuple[int, dict[str, int]]:
    """How many suggestions are counted, and how many hold each word (SearchTerm; a word not
    counted yet: 0)."""
    known = dict(SearchTerm.objects.filter(word__in=[*words, ""]).values_list("word", "documents"))
    n = max(known.pop("", 0), 1)
    return n, {w: known.get(w, 0) for w in words}


def _weights(n: int, df: dict[str, int]) -> dict[str, float]:
    """Inverse document frequency of each word (a word not counted yet is rare)."""
    return {w: math.log((n + 1) / (d + 1)) + 1.0 for w, d in df.items()}


def _pairs(rare: list[str], df: dict[str, int]) -> list[tuple[str, ...]]:
    """The candidate queries' word pairs (any two of the rarest words; the one word when there
    is one), fewest suggestions first; those after the first only while the suggestions they may
    match (at most the rarer word's count each) add up to PAIR_BUDGET: in a large archive two
    common words match thousands of old titles that only slow the lookup down."""
    if len(rare) < 2:
        return [tuple(rare)]
    pairs = sorted(
        ((a, b) for i, a in enumerate(rare) for b in rare[i + 1 :]),
        key=lambda p: min(df[p[0]], df[p[1]]),
    )
    kept, total = [pairs[0]], min(df[pairs[0][0]], df[pairs[0][1]])
    for a, b in pairs[1:]:
        total += min(df[a], df[b])
        if total > PAIR_BUDGET:
            break
        kept.append((a, b))
    return kept


# Words every suggestion's title is made of (关于…的建议): they say nothing about the matter.
BOILERPLATE = frozenset("关于 的 建议 意见 议案 和 与 及 对 在 了 是 请 进一步 有关 问题".split())


def _vector(title: str, body: str) -> Counter[str]:
    """Word counts, a title word counting twice (the title names the matter)."""
    vec = Counter(body.split())
    for w in title.split():
        vec[w] += 2
    for w in BOILERPLATE.intersection(vec):
        del vec[w]
    return vec


def _window_start(congress: int) -> int | None:
    """The first suggestion id of the years similar suggestions look in (settings.SIMILAR_YEARS,
    this year included; RENDA_SIMILAR_YEARS): each year's first suggestion, one indexed read
    per year (suggestion_year_idx). Ids grow with time, so every suggestion of those years — and
    of the years after — has at least that id (an archive imported later has larger ids too,
    and stays among the candidates). None: every year (0), or no suggestion in those years."""
    from renda.suggestions.models import Suggestion

    years = settings.SIMILAR_YEARS
    if years <= 0:
        return None
    this_year = timezone.localdate().year
    firsts = [
        Suggestion.objects.filter(congress_id=congress, year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
        for year in range(this_year - years + 1, this_year + 2)  # and next year's, if any
    ]
    found = [pk for pk in firsts if pk is not None]
    return min(found) if found else None


def _widest(words: list[str]) -> list[str]:
    """The shared words to show: 老城区, not also 老城 and 城区 inside it."""
    return [w for w in words if not any(o != w and w in o for o in words)]


def similar_suggestions(
    user: Any,
    *,
    title: str,
    body: str = "",
    congress: int,
    exclude: int | None = None,
    limit: int = SIMILAR_LIMIT,
) -> list[Similar]:
    """Suggestions of `congress` of this year and last (settings.SIMILAR_YEARS), past the
    draft, that the user may see (their own and their
    office's or unit's, and every published one) and that look like the same matter: candidates
    are those sharing two of the query's rarest words (or its one rare word), scored by the
    cosine of their word weights (tf × idf)."""
    from renda.suggestions.choices import State
    from renda.suggestions.masking import mask_personal
    from renda.suggestions.models import Suggestion
    from renda.suggestions.queries import suggestions_visible_to
    from renda.suggestions.views_public import published_suggestions

    from .models import SearchDocument

    title_words = " ".join(tokens(clean(title or "")))
    body_words = " ".join(tokens(clean(body or "")[:5000]))
    query = _vector(title_words, body_words)
    if not query:
        return []
    n, df = _frequencies(list(query))
    idf = _weights(n, df)
    qvec = {w: c * idf[w] for w, c in query.items()}
    qnorm = math.sqrt(sum(v * v for v in qvec.values()))
    # The rarest words name the matter; single characters say little.
    ranked = sorted(query, key=lambda w: (len(w) < 2, -idf[w], -len(w)))
    pairs = _pairs(ranked[:RARE_WORDS], df)
    if connection.vendor == "postgresql":
        match = " | ".join("(" + match_expression(list(p), prefix=False) + ")" for p in pairs)
    else:
        match = " OR ".join("(" + match_expression(list(p), prefix=False) + ")" for p in pairs)
    top = _top(Kind.SUGGESTION, match, CANDIDATES, congress=congress, since=_window_start(congress))
    ids = [pk for pk, _s in top]
    seen = set(published_suggestions().filter(pk__in=ids).order_by().values_list("pk", flat=True))
    if getattr(user, "is_authenticated", False):
        seen |= set(
            suggestions_visible_to(user)
            .filter(pk__in=ids)
            .exclude(state=State.DRAFT)
            .order_by()
            .values_list("pk", flat=True)
        )
    seen.discard(exclude or 0)
    rows = [(pk, score) for pk, score in top if pk in seen]
    docs = SearchDocument.objects.filter(
        kind=Kind.SUGGESTION, object_id__in=[pk for pk, _s in rows]
    ).values_list("object_id", "title_words", "body_words")
    scored: list[tuple[float, int, list[str]]] = []
    for pk, t, b in docs:
        vec = _vector(t, b)
        # Only the query's words carry their weight; the candidate's other words weigh 1 (they
        # add nothing to the dot product, only to the candidate's length).
        shared_words = [w for w in qvec if w in vec]
        dot = sum(qvec[w] * vec[w] * idf[w] for w in shared_words)
        norm2 = sum(c * c for c in vec.values()) + sum(
            (vec[w] * idf[w]) ** 2 - vec[w] ** 2 for w in shared_words
        )
        score = dot / (qnorm * math.sqrt(norm2)) if norm2 > 0 and qnorm else 0.0
        cvec = {w: vec[w] * idf[w] for w in shared_words}
        if score >= SIMILAR_MIN_SCORE:
            shared = _widest(sorted(cvec, key=lambda w: -(qvec[w] * cvec[w])))[:5]
            scored.append((score, pk, shared))
    scored.sort(key=lambda r: (-r[0], -r[1]))
    top = scored[:limit]
    found = Suggestion.objects.in_bulk([pk for _s, pk, _w in top])
    return [
        Similar(
            id=pk,
            title=mask_personal(found[pk].title),
            score=round(score, 3),
            shared=shared,
            url=f"/suggestions/{pk}/",
            number=found[pk].number,
            state_label=found[pk].get_state_display(),
            state=found[pk].state,
        )
        for score, pk, shared in top
        if pk in found
    ]
