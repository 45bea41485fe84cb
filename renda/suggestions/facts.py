"""The statistics' fact rows (docs/statistics.md, "How the figures are kept").

`SuggestionFact` (one row per counted suggestion) and `AssignmentFact` (one row per assignment
not returned) hold, per row, exactly the measures `stats.py` adds up, so the statistics read two
narrow tables instead of joining suggestions, assignments, deadlines, answers, ratings and
commitments.

One SQL definition of the rows, `_INSERT_ASSIGNMENT_FACTS` and `_INSERT_SUGGESTION_FACTS`, over
a range of suggestion ids, serves both:
- `refresh_facts(suggestion_id)`: called by every action that changes a counted thing, inside its
  transaction, after its writes (the suggestion row is locked by then, so two actions on one
  suggestion cannot interleave): delete the suggestion's rows, insert them again (4 queries);
- `rebuild_facts()`: every row again, in batches of suggestion ids (`manage.py
  rebuild_stats_facts`, and `seed_scale` at its end).

The definitions mirror `stats_reference.py` (the aggregate over the base tables), which
`manage.py verify_stats` and the tests compare with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from django.db import connection, transaction

from renda.calendar.models import Deadline

from .choices import AssignmentState, Kind, Rating, State, UnitRole
from .models import (
    Answer,
    Assignment,
    AssignmentFact,
    Commitment,
    Evaluation,
    StatsCounter,
    Suggestion,
    SuggestionFact,
)

# The measures both fact tables carry (a suggestion's are the sums of its lead assignments').
MEASURES = (
    "answered_on_time",
    "answered_late",
    "answers",
    "category_a",
    "category_b",
    "category_c",
    "category_d",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "no_feedback",
    "commitments",
    "commitments_met",
    "commitments_met_on_time",
)
BATCH = 20_000


def _met_day() -> str:
    """The day (Beijing time) a commitment was marked met, as SQL (China has no summer time)."""
    if connection.vendor == "postgresql":
        return "CAST(cm.met_at AT TIME ZONE 'Asia/Shanghai' AS date)"
    return "date(cm.met_at, '+8 hours')"


def _sql(text: str) -> str:
    tables = {
        "suggestion": Suggestion._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "answer": Answer._meta.db_table,
        "evaluation": Evaluation._meta.db_table,
        "commitment": Commitment._meta.db_table,
        "deadline": Deadline._meta.db_table,
        "sfact": SuggestionFact._meta.db_table,
        "afact": AssignmentFact._meta.db_table,
        "counter": StatsCounter._meta.db_table,
    }
    return text.format(**tables, met_day=_met_day())


def _lit(value: str) -> str:
    assert value.replace("_", "").replace("-", "").isalnum()  # our own constants only
    return f"'{value}'"


@cache
def _statements() -> tuple[str, str]:
    """The two INSERT … SELECT statements (built once: the actions import this module, and the
    constants come from the actions)."""
    from .actions.answers import MAX_ROUNDS
    from .actions.assignment import ANSWER as FIRST_ANSWER_PURPOSE

    # r1/e1: the first answer and its rating; r2/e2: the re-handled answer (round MAX_ROUNDS, the
    # last round) and its rating. The first answer is current unless rated dissatisfied
    # (SUG-REHANDLE); the re-handled one is always current; a dissatisfied rating is final only on
    # the re-handled answer.
    _CURRENT_1 = (
        "(r1.id IS NOT NULL AND (e1.id IS NULL OR e1.rating <> " + _lit(Rating.DISSATISFIED) + "))"
    )

    def _flag(condition: str) -> str:
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def _category(letter: str) -> str:
        return (
            f"{_flag(f'{_CURRENT_1} AND r1.category = {_lit(letter)}')}"
            f" + {_flag(f'r2.category = {_lit(letter)}')}"
        )

    def _rating(rating: str) -> str:
        if rating == Rating.DISSATISFIED:
            return _flag(f"e2.rating = {_lit(rating)}")
        return f"{_flag(f'e1.rating = {_lit(rating)}')} + {_flag(f'e2.rating = {_lit(rating)}')}"

    def _commitments(extra: str) -> str:
        """Commitments of the current answers (SUG-CATEGORY, 回头看)."""
        return (
            "(SELECT COUNT(*) FROM {commitment} cm WHERE cm.answer_id IN "  # noqa: S608 - constants
            f"(CASE WHEN {_CURRENT_1} THEN r1.id END, r2.id){extra})"
        )

    _LEAD = "a.role = " + _lit(UnitRole.LEAD)
    _ASSIGNMENT_COLUMNS = {
        "assignment_id": "a.id",
        "suggestion_id": "s.id",
        "congress_id": "s.congress_id",
        "year": "s.year",
        "session_id": "s.session_id",
        "topic_id": "s.topic_id",
        "lead_deputy_id": "s.lead_deputy_id",
        "unit_id": "a.unit_id",
        "lead": _flag(_LEAD),
        # SUG-DEADLINE: the current deadline while handling (first answer or re-handling).
        "due": f"CASE WHEN {_LEAD} AND a.state = {_lit(AssignmentState.ACTIVE)} THEN d.due END",
        "awaiting_first": _flag(f"d.purpose = {_lit(FIRST_ANSWER_PURPOSE)}"),
        "answered_on_time": _flag("r1.id IS NOT NULL AND NOT r1.late"),
        "answered_late": _flag("r1.late"),
        "answers": f"{_flag(_CURRENT_1)} + {_flag('r2.id IS NOT NULL')}",
        "category_a": _category("A"),
        "category_b": _category("B"),
        "category_c": _category("C"),
        "category_d": _category("D"),
        "satisfied": _rating(Rating.SATISFIED),
        "basically_satisfied": _rating(Rating.BASICALLY_SATISFIED),
        "dissatisfied": _rating(Rating.DISSATISFIED),
        "no_feedback": _rating(Rating.NO_FEEDBACK),
        "commitments": _commitments(""),
        "commitments_met": _commitments(" AND cm.met_at IS NOT NULL"),
        "commitments_met_on_time": _commitments(
            " AND cm.met_at IS NOT NULL AND {met_day} <= cm.due"
        ),
    }
    _SCOPE = (
        f"s.kind = {_lit(Kind.SUGGESTION)} AND s.state <> {_lit(State.DRAFT)}"
        " AND s.id BETWEEN %s AND %s"
    )
    # Answers are joined for lead assignments only (co-units do not answer the deputy).
    _INSERT_ASSIGNMENT_FACTS = (
        "INSERT INTO {afact} ("  # noqa: S608 - table names and our constants, no input
        + ", ".join(_ASSIGNMENT_COLUMNS)
        + ") SELECT "
        + ", ".join(_ASSIGNMENT_COLUMNS.values())
        + " FROM {assignment} a JOIN {suggestion} s ON s.id = a.suggestion_id"
        " LEFT JOIN {deadline} d ON d.id = a.answer_deadline_id"
        f" LEFT JOIN {{answer}} r1 ON r1.assignment_id = a.id AND r1.round = 1 AND {_LEAD}"
        " LEFT JOIN {evaluation} e1 ON e1.answer_id = r1.id"
        f" LEFT JOIN {{answer}} r2 ON r2.assignment_id = a.id AND r2.round = {MAX_ROUNDS}"
        f" AND {_LEAD}"
        " LEFT JOIN {evaluation} e2 ON e2.answer_id = r2.id"
        f" WHERE a.state IN ({_lit(AssignmentState.ACTIVE)}, {_lit(AssignmentState.ANSWERED)})"
        f" AND {_SCOPE}"
    )
    _SUGGESTION_COLUMNS = {
        "suggestion_id": "s.id",
        "congress_id": "s.congress_id",
        "year": "s.year",
        "session_id": "s.session_id",
        "topic_id": "s.topic_id",
        "lead_deputy_id": "s.lead_deputy_id",
        "rejected": _flag(f"s.state = {_lit(State.REJECTED)}"),
        "registered": _flag("s.registered_at IS NOT NULL"),
        "lead_assignments": "COALESCE(f.lead_assignments, 0)",
        **{m: f"COALESCE(f.{m}, 0)" for m in MEASURES},
    }
    _INSERT_SUGGESTION_FACTS = (
        "INSERT INTO {sfact} ("  # noqa: S608 - table names and our constants, no input
        + ", ".join(_SUGGESTION_COLUMNS)
        + ") SELECT "
        + ", ".join(_SUGGESTION_COLUMNS.values())
        + " FROM {suggestion} s LEFT JOIN (SELECT suggestion_id, COUNT(*) AS lead_assignments, "
        + ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
        + " FROM {afact} WHERE lead = 1 AND suggestion_id BETWEEN %s AND %s"
        " GROUP BY suggestion_id) f ON f.suggestion_id = s.id"
        f" WHERE {_SCOPE}"
    )
    return _INSERT_ASSIGNMENT_FACTS, _INSERT_SUGGESTION_FACTS


COUNTED = ("received", "rejected", "registered", "lead_assignments", *MEASURES)
_COUNTER_KEYS = ("congress_id", "year", "session_id", "dimension", "group_id")  # SELECT order


@cache
def _count_statement(sign: int) -> str:
    """Add (sign +1) or take away (-1) a range of suggestions' fact rows to/from the counters:
    one upsert for the three dimensions; parameters `low` and `high`, the suggestion ids."""
    assert sign in (1, -1)
    suggestion_sums = ", ".join(
        [f"{sign} * COUNT(*)"] + [f"{sign} * SUM({m})" for m in COUNTED if m != "received"]
    )
    assignment_sums = ", ".join(
        [f"{sign} * COUNT(*)", "0", f"{sign} * COUNT(*)", f"{sign} * SUM(lead)"]
        + [f"{sign} * SUM({m})" for m in MEASURES]
    )
    keys = "congress_id, year, COALESCE(session_id, 0)"
    where = "WHERE suggestion_id BETWEEN %(low)s AND %(high)s"
    # Table names and constants only, no input: S608 does not apply.
    parts = [
        f"SELECT {keys}, {StatsCounter.TOPIC}, COALESCE(topic_id, 0), {suggestion_sums}"  # noqa: S608
        f" FROM {{sfact}} {where} GROUP BY {keys}, COALESCE(topic_id, 0)",
        f"SELECT {keys}, {StatsCounter.DEPUTY}, lead_deputy_id, {suggestion_sums}"  # noqa: S608
        f" FROM {{sfact}} {where} GROUP BY {keys}, lead_deputy_id",
        f"SELECT {keys}, {StatsCounter.UNIT}, unit_id, {assignment_sums}"  # noqa: S608
        f" FROM {{afact}} {where} GROUP BY {keys}, unit_id",
    ]
    columns = (*_COUNTER_KEYS, *COUNTED)
    return (
        f"INSERT INTO {{counter}} ({', '.join(columns)})"  # noqa: S608 - constants only
        f" SELECT * FROM ({' UNION ALL '.join(parts)}) AS d WHERE 1 = 1"
        f" ON CONFLICT ({', '.join(_COUNTER_KEYS)}) DO UPDATE SET "
        + ", ".join(f"{m} = {{counter}}.{m} + excluded.{m}" for m in COUNTED)
    )


def _count(cursor: object, low: int, high: int, sign: int) -> None:
    cursor.execute(_sql(_count_statement(sign)), {"low": low, "high": high})  # type: ignore[attr-defined]


def _write(low: int, high: int, *, delete: bool) -> None:
    with connection.cursor() as cursor:
        if delete:
            _count(cursor, low, high, -1)
            cursor.execute(
                _sql("DELETE FROM {afact} WHERE suggestion_id BETWEEN %s AND %s"), [low, high]
            )
            cursor.execute(
                _sql("DELETE FROM {sfact} WHERE suggestion_id BETWEEN %s AND %s"), [low, high]
            )
        insert_assignments, insert_suggestions = _statements()
        cursor.execute(_sql(insert_assignments), [low, high])
        cursor.execute(_sql(insert_suggestions), [low, high, low, high])
        _count(cursor, low, high, +1)


def refresh_facts(suggestion_id: int) -> None:
    """Rewrite one suggestion's fact rows from the base tables. Call it inside the action's
    transaction, after its writes, with the suggestion row locked (actions.common.lock)."""
    _write(suggestion_id, suggestion_id, delete=True)


def refresh_facts_of(suggestion_ids: Iterable[int]) -> None:
    for pk in sorted(set(suggestion_ids)):
        refresh_facts(pk)


def rebuild_facts(
    *, batch: int = BATCH, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Every fact row again, from the base tables: empty both tables, then insert batch by
    batch of suggestion ids (one transaction each; the work is done in SQL, so memory stays
    flat). Returns (suggestion facts, assignment facts)."""
    with transaction.atomic():
        AssignmentFact.objects.all().delete()
        SuggestionFact.objects.all().delete()
        StatsCounter.objects.all().delete()
    top = Suggestion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    low = 1
    while low <= top:
        high = low + batch - 1
        with transaction.atomic():
            _write(low, high, delete=False)
        if progress is not None:
            progress(min(high, top), top)
        low = high + 1
    return SuggestionFact.objects.count(), AssignmentFact.objects.count()
