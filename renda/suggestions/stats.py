"""Suggestion statistics (issue 3, "Statistics and exports"): pure reads, no writes.

Every figure is defined in docs/statistics.md; the dashboard, the API and the Excel export all
call `suggestion_stats`, so they cannot disagree. The figures are aggregated in the database
(conditional COUNTs grouped by one dimension at a time): a fixed number of queries whatever the
amount of data, and no Python loop over suggestion rows (only over the groups).

Four sources, each grouped by year, session, topic, lead deputy and unit:
1. suggestions (received, rejected, registered) — for a unit: the suggestions assigned to it;
2. lead assignments (lead_assignments, unanswered_overdue, overdue_now);
3. lead units' answers (on time, categories, final ratings — SUG-DEADLINE, SUG-CATEGORY,
   SUG-FEEDBACK, SUG-REHANDLE);
4. commitments of the current answers (met, met on time — SUG-CATEGORY, 回头看).
Totals are the sums of the per-year rows (every suggestion has exactly one year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.orgs.models import Congress, HandlingUnit, Session

from .actions.answers import MAX_ROUNDS
from .actions.assignment import ANSWER as ANSWER_PURPOSE
from .choices import AssignmentState, Category, Kind, Rating, State, UnitRole
from .models import Answer, Assignment, Commitment, Suggestion, Topic

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The answer deadline's purpose before any re-handling (SUG-REHANDLE replaces it).
FIRST_ANSWER_PURPOSE = ANSWER_PURPOSE
# Past the draft: what the office has received (rejected and converted ones included).
RECEIVED_STATES = tuple(s for s in State.values if s != State.DRAFT)
DEPUTY_LIMIT_DEFAULT = 50

# The figures, in the order of the table columns and the Excel sheets: key -> label.
COUNTS: dict[str, Any] = {
    "received": gettext_lazy("Received"),
    "rejected": gettext_lazy("Not accepted"),
    "registered": gettext_lazy("Registered"),
    "lead_assignments": gettext_lazy("Lead assignments"),
    "answers_due": gettext_lazy("Answers due"),
    "answered_on_time": gettext_lazy("Answered on time"),
    "answered_late": gettext_lazy("Answered late"),
    "unanswered_overdue": gettext_lazy("Not answered, past due"),
    "overdue_now": gettext_lazy("Overdue now"),
    "answers": gettext_lazy("Answers"),
    "category_a": gettext_lazy("Category A"),
    "category_b": gettext_lazy("Category B"),
    "category_c": gettext_lazy("Category C"),
    "category_d": gettext_lazy("Category D"),
    "rated": gettext_lazy("Rated answers"),
    "satisfied": gettext_lazy("Satisfied"),
    "basically_satisfied": gettext_lazy("Basically satisfied"),
    "dissatisfied": gettext_lazy("Dissatisfied"),
    "no_feedback": gettext_lazy("No feedback"),
    "commitments": gettext_lazy("Commitments"),
    "commitments_met": gettext_lazy("Commitments met"),
    "commitments_met_on_time": gettext_lazy("Commitments met on time"),
}
# Rates in per cent: key -> (numerator keys, denominator key, label).
RATES: dict[str, tuple[tuple[str, ...], str, Any]] = {
    "on_time_rate": (("answered_on_time",), "answers_due", gettext_lazy("On-time answer rate")),
    "satisfied_rate": (("satisfied",), "rated", gettext_lazy("Satisfied rate")),
    "basically_satisfied_rate": (
        ("basically_satisfied",),
        "rated",
        gettext_lazy("Basically satisfied rate"),
    ),
    "satisfaction_rate": (
        ("satisfied", "basically_satisfied"),
        "rated",
        gettext_lazy("Satisfied or basically satisfied rate"),
    ),
    "dissatisfied_rate": (("dissatisfied",), "rated", gettext_lazy("Dissatisfied rate")),
    "no_feedback_rate": (("no_feedback",), "rated", gettext_lazy("No feedback rate")),
    "a_share": (("category_a",), "answers", gettext_lazy("Solved rate (A share)")),
    "commitments_met_rate": (
        ("commitments_met",),
        "commitments",
        gettext_lazy("Commitments met rate"),
    ),
    "commitments_met_on_time_rate": (
        ("commitments_met_on_time",),
        "commitments",
        gettext_lazy("Commitments met on time rate"),
    ),
}
FIGURES = [*COUNTS, *RATES]

# One line per figure (the Excel export's definitions sheet and the page); the full text, with
# the reasons, is docs/statistics.md.
DEFINITIONS: dict[str, Any] = {
    "received": gettext_lazy(
        "Suggestions submitted (past the draft), including those not accepted; for a unit: "
        "suggestions assigned to it as lead or co-unit."
    ),
    "rejected": gettext_lazy("Submitted suggestions not accepted (SUG-EXCLUDED)."),
    "registered": gettext_lazy("Submitted suggestions the office accepted (registered)."),
    "lead_assignments": gettext_lazy(
        "Lead units' assignments (主办), not counting assignments returned (SUG-RETURN)."
    ),
    "answers_due": gettext_lazy(
        "Lead assignments whose first answer was sent, plus those still unanswered after "
        "their due date."
    ),
    "answered_on_time": gettext_lazy(
        "First answers sent on or before the due date (SUG-DEADLINE); re-handled answers "
        "are not counted again."
    ),
    "answered_late": gettext_lazy("First answers sent after the due date."),
    "unanswered_overdue": gettext_lazy("Lead assignments with no answer yet, past the due date."),
    "overdue_now": gettext_lazy(
        "Lead assignments still being handled (first answer or re-handling) past their "
        "current due date, as of today."
    ),
    "answers": gettext_lazy(
        "Current answers of lead units: a first answer rated dissatisfied is replaced by the "
        "re-handled one (SUG-REHANDLE)."
    ),
    "category_a": gettext_lazy("Current answers of category A (solved or adopted)."),
    "category_b": gettext_lazy("Current answers of category B (being solved or planned)."),
    "category_c": gettext_lazy("Current answers of category C (cannot be solved for now)."),
    "category_d": gettext_lazy("Current answers of category D (kept for reference)."),
    "rated": gettext_lazy(
        "Lead units' answers with a final rating: the rating of the re-handled answer after a "
        "dissatisfied one; no feedback counts as a rating (SUG-FEEDBACK)."
    ),
    "satisfied": gettext_lazy("Final ratings: satisfied."),
    "basically_satisfied": gettext_lazy("Final ratings: basically satisfied."),
    "dissatisfied": gettext_lazy("Final ratings: dissatisfied."),
    "no_feedback": gettext_lazy(
        "Answers the lead deputy did not rate within the window; never counted as satisfied."
    ),
    "commitments": gettext_lazy("Commitments of the current answers (SUG-CATEGORY)."),
    "commitments_met": gettext_lazy("Commitments marked met, with evidence (回头看)."),
    "commitments_met_on_time": gettext_lazy(
        "Commitments marked met on or before their due date (Beijing time)."
    ),
    "on_time_rate": gettext_lazy("Answered on time ÷ answers due."),
    "satisfied_rate": gettext_lazy("Satisfied ÷ rated answers."),
    "basically_satisfied_rate": gettext_lazy("Basically satisfied ÷ rated answers."),
    "satisfaction_rate": gettext_lazy("(Satisfied + basically satisfied) ÷ rated answers."),
    "dissatisfied_rate": gettext_lazy("Dissatisfied ÷ rated answers."),
    "no_feedback_rate": gettext_lazy("No feedback ÷ rated answers."),
    "a_share": gettext_lazy("Category A ÷ current answers."),
    "commitments_met_rate": gettext_lazy("Commitments met ÷ commitments."),
    "commitments_met_on_time_rate": gettext_lazy("Commitments met on time ÷ commitments."),
}
RATE_NOTE = gettext_lazy(
    "Rates are per cent with one decimal, rounded half up; a rate with nothing to divide by is "
    "shown as — (never 0)."
)
BREAKDOWNS = ("by_year", "by_session", "by_unit", "by_topic", "by_deputy")


@dataclass(frozen=True)
class StatsFilter:
    """What to count: one congress, optionally one year, one session and one unit."""

    congress: Congress
    year: int | None = None
    session: Session | None = None
    unit: HandlingUnit | None = None
    today: date = field(default_factory=date.today)
    # Internal: only these lead deputies (the ranked ones of the per-deputy breakdown).
    deputies: tuple[int, ...] | None = None


@dataclass
class SuggestionStats:
    """The totals and the breakdowns; every row has the keys of FIGURES plus `id` and `name`."""

    filter: StatsFilter
    totals: dict[str, Any]
    by_year: list[dict[str, Any]]
    by_session: list[dict[str, Any]]
    by_unit: list[dict[str, Any]]
    by_topic: list[dict[str, Any]]
    by_deputy: list[dict[str, Any]]
    by_deputy_count: int

    def as_dict(self) -> dict[str, Any]:
        f = self.filter
        return {
            "congress": f.congress.pk,
            "year": f.year,
            "session": f.session.pk if f.session else None,
            "unit": f.unit.pk if f.unit else None,
            "as_of": f.today,
            "totals": self.totals,
            "by_year": self.by_year,
            "by_session": self.by_session,
            "by_unit": self.by_unit,
            "by_topic": self.by_topic,
            "by_deputy": self.by_deputy,
            "by_deputy_count": self.by_deputy_count,
        }


def rate(numerator: int, denominator: int) -> float | None:
    """Per cent with one decimal, rounded half up; None (shown "—") when nothing to divide."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return float(value)


def with_rates(counts: dict[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {key: int(counts.get(key) or 0) for key in COUNTS}
    # Sums of other figures (not separate aggregates).
    row["answers_due"] = row["answered_on_time"] + row["answered_late"] + row["unanswered_overdue"]
    row["rated"] = sum(row[r] for r in Rating.values)
    for key, (numerators, denominator, _label) in RATES.items():
        row[key] = rate(sum(row[n] for n in numerators), row[denominator])
    return row


# --- where each source finds the suggestion and the assignment -------------------------------
@dataclass(frozen=True)
class _Source:
    suggestion: str  # path from the source row to the suggestion ("" for Suggestion itself)
    assignment: str | None  # path to the assignment (None: the source has none)


SUGGESTIONS = _Source("", None)
ASSIGNMENTS = _Source("suggestion__", "")
ANSWERS = _Source("assignment__suggestion__", "assignment__")
COMMITMENTS = _Source("answer__assignment__suggestion__", "answer__assignment__")

# Dimension -> the suggestion's field it groups by (unit: the assignment's).
DIMENSIONS = {
    "year": "year",
    "session": "session_id",
    "topic": "topic_id",
    "deputy": "lead_deputy_id",
    "unit": "unit_id",
}


def _key_path(source: _Source, dimension: str) -> str:
    if dimension == "unit":
        assert source.assignment is not None
        return source.assignment + "unit_id"
    return source.suggestion + DIMENSIONS[dimension]


def _scope(f: StatsFilter, source: _Source, *, lead_only: bool) -> Q:
    """The filter's congress, year, session (and unit) on this source's rows."""
    s = source.suggestion
    q = Q(
        **{
            f"{s}congress_id": f.congress.pk,
            f"{s}kind": Kind.SUGGESTION,
            f"{s}state__in": RECEIVED_STATES,
        }
    )
    if f.year is not None:
        q &= Q(**{f"{s}year": f.year})
    if f.session is not None:
        q &= Q(**{f"{s}session_id": f.session.pk})
    if f.deputies is not None:
        q &= Q(**{f"{s}lead_deputy_id__in": f.deputies})
    if source.assignment is not None:
        a = source.assignment
        # A returned assignment is not the unit's any more (SUG-RETURN): it counts nowhere.
        q &= Q(**{f"{a}state__in": (AssignmentState.ACTIVE, AssignmentState.ANSWERED)})
        if lead_only:
            q &= Q(**{f"{a}role": UnitRole.LEAD})
        if f.unit is not None:
            q &= Q(**{f"{a}unit_id": f.unit.pk})
    return q


def _current_answer(prefix: str = "") -> Q:
    """The answer that stands for its lead unit: not a first answer the deputy rated
    dissatisfied (SUG-REHANDLE sends it back; the re-handled answer replaces it)."""
    return (
        Q(**{f"{prefix}round__gte": MAX_ROUNDS})
        | Q(**{f"{prefix}evaluation__isnull": True})
        | Q(
            **{
                f"{prefix}evaluation__rating__in": (
                    Rating.SATISFIED,
                    Rating.BASICALLY_SATISFIED,
                    Rating.NO_FEEDBACK,
                )
            }
        )
    )


def _group_key(path: str) -> ExpressionWrapper:
    """GROUP BY `path + 0`, not the bare column: given a bare indexed column (unit, lead deputy,
    topic) SQLite walks that whole index — every year's rows — to avoid a sort, instead of
    starting from the year's suggestions; 15–30× slower at 100,000 suggestions. PostgreSQL
    plans the same either way."""
    return ExpressionWrapper(F(path) + 0, output_field=IntegerField())


def _grouped(qs: Any, key: str, aggregates: dict[str, Any]) -> dict[Any, dict[str, int]]:
    rows = qs.values(group_key=_group_key(key)).order_by().annotate(**aggregates)
    return {row.pop("group_key"): row for row in rows}


def _suggestion_counts(f: StatsFilter, dimension: str) -> dict[Any, dict[str, int]]:
    """received, rejected, registered. For a unit (dimension or filter), the suggestions
    assigned to it as lead or co-unit: all of them registered, none rejected."""
    if dimension == "unit" or f.unit is not None:
        key = _key_path(ASSIGNMENTS, dimension)
        qs = Assignment.objects.filter(_scope(f, ASSIGNMENTS, lead_only=False))
        return _grouped(
            qs,
            key,
            {"received": Count("pk"), "registered": Count("pk")},
        )
    key = _key_path(SUGGESTIONS, dimension)
    qs = Suggestion.objects.filter(_scope(f, SUGGESTIONS, lead_only=False))
    return _grouped(
        qs,
        key,
        {
            "received": Count("pk"),
            "rejected": Count("pk", filter=Q(state=State.REJECTED)),
            "registered": Count("pk", filter=Q(registered_at__isnull=False)),
        },
    )


def _assignment_counts(f: StatsFilter, dimension: str) -> dict[Any, dict[str, int]]:
    """Lead assignments; those with no answer past their first due date; those overdue now
    (still handling — first answer or re-handling — past the current due date)."""
    today = f.today
    qs = Assignment.objects.filter(_scope(f, ASSIGNMENTS, lead_only=True))
    active = Q(state=AssignmentState.ACTIVE, answer_deadline__due__lt=today)
    return _grouped(
        qs,
        _key_path(ASSIGNMENTS, dimension),
        {
            "lead_assignments": Count("pk"),
            # SUG-DEADLINE: an assignment still on its first deadline has not answered yet.
            "unanswered_overdue": Count(
                "pk", filter=active & Q(answer_deadline__purpose=FIRST_ANSWER_PURPOSE)
            ),
            "overdue_now": Count("pk", filter=active),
        },
    )


def _answer_counts(f: StatsFilter, dimension: str) -> dict[Any, dict[str, int]]:
    """First answers on time or late (SUG-DEADLINE); the current answers' categories
    (SUG-CATEGORY) and final ratings (SUG-FEEDBACK, SUG-REHANDLE)."""
    qs = Answer.objects.filter(_scope(f, ANSWERS, lead_only=True))
    current = _current_answer()
    aggregates: dict[str, Any] = {
        "answered_on_time": Count("pk", filter=Q(round=1, late=False)),
        "answered_late": Count("pk", filter=Q(round=1, late=True)),
        "answers": Count("pk", filter=current),
    }
    for category in Category.values:
        aggregates[f"category_{category.lower()}"] = Count(
            "pk", filter=current & Q(category=category)
        )
    for rating in Rating.values:
        final = Q(evaluation__rating=rating)
        if rating == Rating.DISSATISFIED:
            final &= Q(round__gte=MAX_ROUNDS)
        aggregates[rating] = Count("pk", filter=final)
    return _grouped(qs, _key_path(ANSWERS, dimension), aggregates)


def _commitment_counts(f: StatsFilter, dimension: str) -> dict[Any, dict[str, int]]:
    """The commitments of the current answers: met, and met by their due date (local day)."""
    qs = Commitment.objects.filter(_scope(f, COMMITMENTS, lead_only=True)).filter(
        _current_answer("answer__")
    )
    met_on = TruncDate("met_at", tzinfo=SHANGHAI)
    return _grouped(
        qs,
        _key_path(COMMITMENTS, dimension),
        {
            "commitments": Count("pk"),
            "commitments_met": Count("pk", filter=Q(met_at__isnull=False)),
            "commitments_met_on_time": Count("pk", filter=Q(met_at__isnull=False, due__gte=met_on)),
        },
    )


def _rows(f: StatsFilter, dimension: str) -> dict[Any, dict[str, Any]]:
    """Every figure per group of one dimension: four queries, merged by group key."""
    merged: dict[Any, dict[str, int]] = {}
    for counts in (_suggestion_counts, _assignment_counts, _answer_counts, _commitment_counts):
        for key, values in counts(f, dimension).items():
            merged.setdefault(key, {}).update(values)
    return {key: with_rates(values) for key, values in merged.items()}


def _top_deputies(f: StatsFilter, limit: int | None) -> tuple[list[tuple[int, str]], int]:
    """The lead deputies with most suggestions received (for a unit: assigned to it), with
    their names, and how many deputies there are in all (one query, two with a limit)."""
    source = SUGGESTIONS if f.unit is None else ASSIGNMENTS
    model = Suggestion if f.unit is None else Assignment
    s = source.suggestion
    qs = model.objects.filter(_scope(f, source, lead_only=False))
    key = _group_key(f"{s}lead_deputy_id")
    ranked = (
        qs.values(
            group_key=key,
            full_name=F(f"{s}lead_deputy__full_name"),
            username=F(f"{s}lead_deputy__username"),
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "group_key")
    )
    if limit is not None:
        ranked = ranked[:limit]
    rows = [(r["group_key"], r["full_name"] or r["username"]) for r in ranked]
    if limit is None or len(rows) < limit:
        return rows, len(rows)
    return rows, qs.values(group_key=key).distinct().count()


def _sum(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    total = dict.fromkeys(COUNTS, 0)
    for row in rows:
        for key in COUNTS:
            total[key] += row[key]
    return with_rates(total)


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["received"], -r["lead_assignments"], str(r["name"])))


def session_label(session: Any) -> str:
    return _("Term %(term)s, session %(number)s") % {
        "term": session["term__number"],
        "number": session["number"],
    }


def suggestion_stats(f: StatsFilter, *, deputy_limit: int | None = DEPUTY_LIMIT_DEFAULT) -> Any:
    """All figures for the filter, with the breakdowns by year, session, unit, topic and lead
    deputy. `deputy_limit`: the deputies with most suggestions received (None: all of them).

    Queries: 4 per dimension (5 dimensions), 3 for the names of units, topics and sessions,
    and 2 to rank and count the deputies: 25 at most, whatever the amount of data."""
    by_year = _rows(f, "year")
    by_session = _rows(f, "session")
    by_unit = _rows(f, "unit")
    by_topic = _rows(f, "topic")
    deputies, deputy_count = _top_deputies(f, deputy_limit)
    by_deputy = _rows(replace(f, deputies=tuple(pk for pk, _name in deputies)), "deputy")

    unit_names = dict(HandlingUnit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    topic_names = dict(Topic.objects.filter(congress=f.congress).values_list("pk", "name"))
    sessions = {
        s["pk"]: s
        for s in Session.objects.filter(term__congress=f.congress).values(
            "pk", "number", "term__number", "start_date"
        )
    }

    def named(rows: dict[Any, dict], name_of: Any) -> list[dict[str, Any]]:
        return [{"id": key, "name": name_of(key), **values} for key, values in rows.items()]

    year_rows = sorted(named(by_year, str), key=lambda r: r["id"])
    session_rows = sorted(
        named(
            by_session,
            lambda k: session_label(sessions[k]) if k in sessions else _("Between sessions"),
        ),
        key=lambda r: (r["id"] is None, str(sessions.get(r["id"], {}).get("start_date", ""))),
    )
    unit_rows = _order(named(by_unit, lambda k: unit_names.get(k, str(k))))
    topic_rows = _order(named(by_topic, lambda k: topic_names.get(k, _("No topic"))))
    deputy_rows = [
        {"id": pk, "name": name, **by_deputy.get(pk, with_rates({}))} for pk, name in deputies
    ]
    return SuggestionStats(
        filter=f,
        totals=_sum(year_rows),
        by_year=year_rows,
        by_session=session_rows,
        by_unit=unit_rows,
        by_topic=topic_rows,
        by_deputy=deputy_rows,
        by_deputy_count=deputy_count,
    )


def figure_label(key: str) -> Any:
    """The words for one figure (translated)."""
    return COUNTS[key] if key in COUNTS else RATES[key][2]
