"""Suggestion statistics (issue 3, "Statistics and exports"): pure reads, no writes.

Every figure is defined in docs/statistics.md; the dashboard, the API and the Excel export all
call `suggestion_stats`, so they cannot disagree.

The figures are read from the fact rows the actions keep (`facts.py`: one row per counted
suggestion, one per assignment not returned, each with its measures as small whole numbers):
single-table grouped sums, a fixed number of queries whatever the amount of data, and no Python
loop over suggestion rows (only over the groups). "Overdue" is counted as of the filter's day
from the due date on the lead assignments' rows.

`stats_reference.py` computes the same figures straight from the base tables (the previous
implementation, 20 joined aggregates); `manage.py verify_stats` and the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Window
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts.models import User
from renda.orgs.models import Congress, HandlingUnit, Session

from .choices import Rating
from .facts import COUNTED, MEASURES, counter_day
from .models import AssignmentFact, StatsCounter, Topic

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


def assemble(
    f: StatsFilter,
    *,
    by_year: dict[Any, dict[str, Any]],
    by_session: dict[Any, dict[str, Any]],
    by_unit: dict[Any, dict[str, Any]],
    by_topic: dict[Any, dict[str, Any]],
    deputies: list[tuple[int, str]],
    deputy_count: int,
    by_deputy: dict[Any, dict[str, Any]],
) -> SuggestionStats:
    """Name and order the groups (3 queries: units, topics, sessions); the totals are the sums
    of the per-year rows (every suggestion has exactly one year)."""
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


# --- reading the fact rows (renda/suggestions/facts.py) --------------------------------------
def _fact_filter(f: StatsFilter) -> Q:
    q = Q(congress_id=f.congress.pk)
    if f.year is not None:
        q &= Q(year=f.year)
    if f.session is not None:
        q &= Q(session_id=f.session.pk)
    if f.deputies is not None:
        q &= Q(lead_deputy_id__in=f.deputies)
    return q


def _assignment_sums(today: date) -> dict[str, Any]:
    """One assignment fact row per unit's part: received (lead or co-unit, SUG-RETURN: returned
    ones have no row), the lead unit's measures (co-units' are 0), overdue as of today
    (SUG-DEADLINE: `due` is set only while a lead unit is still handling)."""
    late = Q(due__lt=today)
    return {
        "received": Count("pk"),
        "registered": Count("pk"),
        "lead_assignments": Sum("lead"),
        **{m: Sum(m) for m in MEASURES},
        "unanswered_overdue": Sum("awaiting_first", filter=late),
        "overdue_now": Count("pk", filter=late),
    }


def _add(target: dict[Any, dict[str, int]], key: Any, values: dict[str, Any]) -> None:
    row = target.setdefault(key, {})
    for name, value in values.items():
        row[name] = row.get(name, 0) + (value or 0)


def _split(
    rows: Iterable[dict[str, Any]], keys: tuple[str, ...]
) -> dict[str, dict[Any, dict[str, int]]]:
    """Rows grouped by several keys at once, added up per key: one scan gives the per-year,
    per-session and per-topic figures (the groups are few: years × sessions × topics)."""
    out: dict[str, dict[Any, dict[str, int]]] = {k: {} for k in keys}
    for row in rows:
        values = {k: v for k, v in row.items() if k not in keys}
        for k in keys:
            _add(out[k], row[k], values)
    return out


def _ranked(
    rows: Iterable[dict[str, Any]], limit: int | None
) -> tuple[dict[Any, dict[str, int]], list[int], int]:
    """Per-deputy rows; the `limit` deputies with most received (ties: by id), how many in all."""
    by_deputy = {row.pop("lead_deputy_id"): row for row in rows}
    order = sorted(by_deputy, key=lambda pk: (-by_deputy[pk]["received"], pk))
    return by_deputy, order if limit is None else order[:limit], len(order)


def _deputy_names(pks: list[int]) -> list[tuple[int, str]]:
    names = {
        pk: full_name or username
        for pk, full_name, username in User.objects.filter(pk__in=pks).values_list(
            "pk", "full_name", "username"
        )
    }
    return [(pk, names.get(pk, str(pk))) for pk in pks]


KEYS = ("year", "session_id", "topic_id")


def _counter_filter(f: StatsFilter, dimension: int) -> Q:
    q = Q(congress_id=f.congress.pk, dimension=dimension, received__gt=0)
    if f.year is not None:
        q &= Q(year=f.year)
    if f.session is not None:
        q &= Q(session_id=f.session.pk)
    return q


def _from_counters(f: StatsFilter, deputy_limit: int | None) -> tuple[Any, ...]:
    """The congress-wide figures: the counter rows of the filter (a few hundred groups per
    year, a few thousand deputies), "overdue" among them as of the counters' day, plus the lead
    assignments whose due date lies between that day and the filter's, from their fact rows
    (SUG-DEADLINE: only those still handling have a due date there). 8 queries (7 when no
    deputy has a suggestion in the filter)."""
    counted = {m: Sum(m) for m in COUNTED}
    topic_rows = (
        StatsCounter.objects.filter(_counter_filter(f, StatsCounter.TOPIC))
        .order_by()
        .values("year", "session_id", "group_id", *COUNTED)
    )
    split = _split(
        (
            {
                **{m: r[m] for m in COUNTED},
                "year": r["year"],
                "session_id": r["session_id"] or None,  # 0: between sessions
                "topic_id": r["group_id"] or None,  # 0: no topic
            }
            for r in topic_rows
        ),
        KEYS,
    )

    def grouped(dimension: int, key: str) -> Any:
        return (
            StatsCounter.objects.filter(_counter_filter(f, dimension))
            .order_by()
            .values(**{key: F("group_id")})
            .annotate(**counted)
        )

    # The lead deputies ranked in the database (most received first, ties by id) on their
    # `received` alone, with how many there are (a window over the groups): at 1 M a year has
    # ≈ 10 000 deputy rows, and summing every figure of each before ranking cost ≈ 25 ms; then
    # every figure of the ranked ones only.
    ranking = (
        StatsCounter.objects.filter(_counter_filter(f, StatsCounter.DEPUTY))
        .order_by()
        .values(lead_deputy_id=F("group_id"))
        .annotate(received=Sum("received"), groups=Window(Count("*")))
        .order_by("-received", "lead_deputy_id")
    )
    ranked = list(ranking if deputy_limit is None else ranking[:deputy_limit])
    top = [row["lead_deputy_id"] for row in ranked]
    deputy_count = ranked[0]["groups"] if ranked else 0
    by_deputy = {
        row.pop("lead_deputy_id"): row
        for row in grouped(StatsCounter.DEPUTY, "lead_deputy_id").filter(group_id__in=top)
    }
    by_unit = {row.pop("unit_id"): row for row in grouped(StatsCounter.UNIT, "unit_id")}

    # SUG-DEADLINE, as of the filter's day: the counters hold "overdue" as of their own day
    # (facts.counter_day, moved forward daily by the deadline job); add the lead assignments
    # still handling whose due date lies between that day and the filter's (take them away when
    # the filter's day is the earlier), from the covering partial index on their fact rows: a
    # day's worth of rows, not every overdue one (one grouped query per breakdown).
    day = counter_day()
    low, high, sign = (day, f.today, 1) if day <= f.today else (f.today, day, -1)
    moved = AssignmentFact.objects.filter(_fact_filter(f), due__gte=low, due__lt=high).order_by()
    late = {"unanswered_overdue": Sum("awaiting_first"), "overdue_now": Count("pk")}

    def signed(row: dict[str, Any]) -> dict[str, int]:
        return {k: sign * (row.pop(k) or 0) for k in late}

    for row in moved.values(*KEYS).annotate(**late):
        values = signed(row)
        for k in KEYS:
            _add(split[k], row[k], values)
    for row in moved.values("unit_id").annotate(**late):
        _add(by_unit, row.pop("unit_id"), signed(row))
    for row in moved.filter(lead_deputy_id__in=top).values("lead_deputy_id").annotate(**late):
        _add(by_deputy, row.pop("lead_deputy_id"), signed(row))
    return by_deputy, top, deputy_count, by_unit, split


def suggestion_stats(f: StatsFilter, *, deputy_limit: int | None = DEPUTY_LIMIT_DEFAULT) -> Any:
    """All figures for the filter, with the breakdowns by year, session, unit, topic and lead
    deputy. `deputy_limit`: the deputies with most suggestions received (None: all of them).

    Read from the counters and the fact rows (facts.py), single-table grouped sums. Queries:
    without a unit filter 8 (`_from_counters`), with one 2 — the unit's assignment facts by
    (year, session, topic) and by lead deputy; then the names: deputies, units, topics,
    sessions. 12 at most, whatever the amount of data."""
    today = f.today
    if f.unit is not None:
        facts = AssignmentFact.objects.filter(_fact_filter(f), unit_id=f.unit.pk).order_by()
        sums = _assignment_sums(today)
        split = _split(facts.values(*KEYS).annotate(**sums), KEYS)
        by_deputy, top, deputy_count = _ranked(
            facts.values("lead_deputy_id").annotate(**sums), deputy_limit
        )
        by_unit: dict[Any, dict[str, int]] = {}
        for values in split["year"].values():
            _add(by_unit, f.unit.pk, values)
    else:
        by_deputy, top, deputy_count, by_unit, split = _from_counters(f, deputy_limit)

    def rated(rows: dict[Any, dict[str, int]]) -> dict[Any, dict[str, Any]]:
        return {key: with_rates(values) for key, values in rows.items()}

    return assemble(
        f,
        by_year=rated(split["year"]),
        by_session=rated(split["session_id"]),
        by_unit=rated(by_unit),
        by_topic=rated(split["topic_id"]),
        deputies=_deputy_names(top),
        deputy_count=deputy_count,
        by_deputy=rated({pk: by_deputy[pk] for pk in top}),
    )


def figure_label(key: str) -> Any:
    """The words for one figure (translated)."""
    return COUNTS[key] if key in COUNTS else RATES[key][2]
