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
from datetime import date
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from renda.calendar.models import Deadline

from .choices import AssignmentState, Kind, Rating, State, UnitRole
from .models import (
    Answer,
    Assignment,
    AssignmentFact,
    Commitment,
    Evaluation,
    JointRating,
    StatsCounter,
    StatsCounterDay,
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
        "jointrating": JointRating._meta.db_table,
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
    # last round) and its rating. The first answer is current unless it was sent back
    # (SUG-REHANDLE): rated dissatisfied by the lead deputy, or under joint handling by a merged
    # suggestion's deputy (a JointRating); the re-handled one is always current; a dissatisfied
    # rating is final only on the re-handled answer, and a rating of a first answer that was sent
    # back is not final either (the deputy rates the re-handled answer too).
    # jb: the first answer's joint 不满意, joined once (not a subquery in each measure below).
    _SENT_BACK_JOINTLY_1 = "jb.answer_id IS NOT NULL"
    _CURRENT_1 = (
        "(r1.id IS NOT NULL AND (e1.id IS NULL OR e1.rating <> "
        + _lit(Rating.DISSATISFIED)
        + f") AND NOT {_SENT_BACK_JOINTLY_1})"
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
        first = f"e1.rating = {_lit(rating)} AND NOT {_SENT_BACK_JOINTLY_1}"
        return f"{_flag(first)} + {_flag(f'e2.rating = {_lit(rating)}')}"

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
        + " FROM {assignment} a JOIN {suggestion} s ON s.id = a.suggestion_id"  # noqa: S608
        " LEFT JOIN {deadline} d ON d.id = a.answer_deadline_id"
        f" LEFT JOIN {{answer}} r1 ON r1.assignment_id = a.id AND r1.round = 1 AND {_LEAD}"
        " LEFT JOIN {evaluation} e1 ON e1.answer_id = r1.id"
        " LEFT JOIN (SELECT DISTINCT answer_id FROM {jointrating}"
        f" WHERE rating = {_lit(Rating.DISSATISFIED)}) jb ON jb.answer_id = r1.id"
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


# "Overdue" as of the counters' day (StatsCounterDay): the lead assignments still handling whose
# due date is before that day. `stats.py` adds or takes away those whose due date lies between
# that day and the day asked for (a day's worth when the daily job has rolled the day forward).
OVERDUE = ("unanswered_overdue", "overdue_now")
COUNTED = ("received", "rejected", "registered", "lead_assignments", *MEASURES, *OVERDUE)
_COUNTER_KEYS = ("congress_id", "year", "session_id", "dimension", "group_id")  # SELECT order


def _overdue_parts(sign: int, where: str, late: str) -> list[str]:
    """Per dimension, the fact rows matching `where` counted as overdue when `late` holds (only
    lead assignments still handling have a due date; every other counted figure 0): SELECTs
    for `_counter_upsert`."""
    zeros = ", ".join(["0"] * (len(COUNTED) - len(OVERDUE)))
    overdue = (
        f"{sign} * SUM(CASE WHEN {late} THEN awaiting_first ELSE 0 END),"
        f" {sign} * SUM(CASE WHEN {late} THEN 1 ELSE 0 END)"
    )
    keys = "congress_id, year, COALESCE(session_id, 0)"
    # `where` alone, no "due IS NOT NULL": for one suggestion's rows the planner must take the
    # suggestion id index, not scan the partial index of every row still handling.
    where = f"WHERE {where}"
    # Table names and constants only, no input: S608 does not apply.
    return [
        f"SELECT {keys}, {StatsCounter.TOPIC}, COALESCE(topic_id, 0), {zeros}, {overdue}"  # noqa: S608
        f" FROM {{afact}} {where} GROUP BY {keys}, COALESCE(topic_id, 0)",
        f"SELECT {keys}, {StatsCounter.DEPUTY}, lead_deputy_id, {zeros}, {overdue}"  # noqa: S608
        f" FROM {{afact}} {where} GROUP BY {keys}, lead_deputy_id",
        f"SELECT {keys}, {StatsCounter.UNIT}, unit_id, {zeros}, {overdue}"  # noqa: S608
        f" FROM {{afact}} {where} GROUP BY {keys}, unit_id",
    ]


def _counter_upsert(parts: list[str]) -> str:
    """Add the rows of `parts` (each: the counter's keys, then COUNTED) to the counters, one
    row per group: parts for the same group are added up first (an upsert may touch a row only
    once), in a CTE that names the columns."""
    names = ", ".join([*_COUNTER_KEYS, *COUNTED])
    keys = ", ".join(_COUNTER_KEYS)
    sums = ", ".join(f"SUM({m})" for m in COUNTED)
    add = ", ".join(f"{m} = {{counter}}.{m} + excluded.{m}" for m in COUNTED)
    # Table names and our constants only, no input.
    union = " UNION ALL ".join(parts)
    return (
        f"WITH d ({names}) AS ({union}) INSERT INTO {{counter}} ({names})"  # noqa: S608
        f" SELECT {keys}, {sums} FROM d WHERE 1 = 1 GROUP BY {keys}"  # noqa: S608
        f" ON CONFLICT ({keys}) DO UPDATE SET {add}"
    )


@cache
def _count_statement(sign: int) -> str:
    """Add (sign +1) or take away (-1) a range of suggestions' fact rows to/from the counters:
    one upsert for the three dimensions; parameters `low` and `high`, the suggestion ids, and
    `day`, the counters' day (a lead assignment still handling is overdue when due before it)."""
    assert sign in (1, -1)
    suggestion_sums = ", ".join(
        [f"{sign} * COUNT(*)"]
        + [f"{sign} * SUM({m})" for m in COUNTED if m not in ("received", *OVERDUE)]
        + ["0"] * len(OVERDUE)
    )
    assignment_sums = ", ".join(
        [f"{sign} * COUNT(*)", "0", f"{sign} * COUNT(*)", f"{sign} * SUM(lead)"]
        + [f"{sign} * SUM({m})" for m in MEASURES]
        + ["0"] * len(OVERDUE)
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
        *_overdue_parts(sign, "suggestion_id BETWEEN %(low)s AND %(high)s", "due < %(day)s"),
    ]
    return _counter_upsert(parts)


@cache
def _roll_statement(sign: int) -> str:
    """Add (+1) to the counters' overdue figures the lead assignments still handling whose due
    date is in [`low`, `high`) (the counters' day moves forward over them), or take them away
    (-1, the day moves back)."""
    assert sign in (1, -1)
    return _counter_upsert(_overdue_parts(sign, "due >= %(low)s AND due < %(high)s", "1 = 1"))


def _count(cursor: object, low: int, high: int, sign: int, day: date) -> None:
    cursor.execute(  # type: ignore[attr-defined]
        _sql(_count_statement(sign)), {"low": low, "high": high, "day": day}
    )


def _read_day(cursor: Any, lock: str) -> date | None:
    table = connection.ops.quote_name(StatsCounterDay._meta.db_table)
    cursor.execute(f"SELECT day FROM {table} WHERE id = 1{lock}")  # noqa: S608 - constants
    row = cursor.fetchone()
    if row is None:
        return None
    return date.fromisoformat(row[0]) if isinstance(row[0], str) else row[0]


def _day_row(cursor: Any, lock: str) -> date:
    """The counters' day, read with `lock`; created as today when there is no row (a database
    emptied by hand or by a test's flush: its counters are empty too, so any day is theirs)."""
    day = _read_day(cursor, lock)
    if day is None:
        table = connection.ops.quote_name(StatsCounterDay._meta.db_table)
        cursor.execute(
            f"INSERT INTO {table} (id, day) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",  # noqa: S608
            [timezone.localdate()],
        )
        day = _read_day(cursor, lock)
    assert day is not None
    return day


def counter_day(*, lock: bool = False) -> date:
    """The day the counters' overdue figures are as of. `lock`: hold it (shared) until the end
    of the transaction, so that it cannot move between taking a suggestion's rows out of the
    counters and adding them back (`roll_counter_day` takes it exclusively)."""
    share = " FOR SHARE" if lock and connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        if not lock:
            # A reader with no row: nothing was counted since the counters were emptied.
            return _read_day(cursor, "") or timezone.localdate()
        return _day_row(cursor, share)


@transaction.atomic
def roll_counter_day(today: date) -> int:
    """Move the counters' day to `today`: the lead assignments still handling whose due date
    falls between the old day and today become (or stop being) overdue in the counters. One
    upsert over those rows (a day's worth when run daily, by the deadline job). Returns the
    number of days moved (negative: back)."""
    table = connection.ops.quote_name(StatsCounterDay._meta.db_table)
    with connection.cursor() as cursor:
        day = _day_row(cursor, _for_update())
        if day == today:
            return 0
        low, high, sign = (day, today, 1) if day < today else (today, day, -1)
        cursor.execute(_sql(_roll_statement(sign)), {"low": low, "high": high})
        cursor.execute(f"UPDATE {table} SET day = %s WHERE id = 1", [today])  # noqa: S608
    return (today - day).days


def _for_update() -> str:
    return " FOR UPDATE" if connection.vendor == "postgresql" else ""


def _write(low: int, high: int, *, delete: bool) -> None:
    day = counter_day(lock=True)
    with connection.cursor() as cursor:
        if delete:
            _count(cursor, low, high, -1, day)
            cursor.execute(
                _sql("DELETE FROM {afact} WHERE suggestion_id BETWEEN %s AND %s"), [low, high]
            )
            cursor.execute(
                _sql("DELETE FROM {sfact} WHERE suggestion_id BETWEEN %s AND %s"), [low, high]
            )
        insert_assignments, insert_suggestions = _statements()
        cursor.execute(_sql(insert_assignments), [low, high])
        cursor.execute(_sql(insert_suggestions), [low, high, low, high])
        _count(cursor, low, high, +1, day)


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
        # The counters' overdue figures are as of today (Asia/Shanghai), as the statistics ask.
        StatsCounterDay.objects.update_or_create(pk=1, defaults={"day": timezone.localdate()})
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
