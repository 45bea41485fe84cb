"""Station performance (运行绩效评价, issue 5 §5): pure reads. The page, the API and the Excel
export all call `station_performance`, so they cannot disagree.

The opinion figures come from the station-day fact rows (`stats.py`), summed over the days of
receipt in the period: one grouped query whatever the number of opinions. Two small live
queries complete them: the open referrals by due date (StationOpenReferrals, kept with the facts)
give "overdue now" as of today, and the reception days of the period are counted live.
Definitions: docs/opinions.md, "Stations and station performance".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.errors import InvalidInput
from renda.orgs.models import Congress
from renda.suggestions.stats import rate

from .choices import ReceptionState
from .models import (
    ANSWER_DAY_COLUMNS,
    ANSWER_DAY_RANGES,
    ANSWER_DAYS_EXACT,
    ReceptionDay,
    Station,
    StationDayFact,
    StationOpenReferrals,
)
from .permissions_stations import station_stats_congresses

FACT_COUNTS = (
    "received",
    "answered",
    "answered_in_time",
    "converted",
    "rated",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
)
# The figures of a row, in table and Excel order: key -> label.
COUNTS: dict[str, Any] = {
    "received": gettext_lazy("Opinions received"),
    "answered": gettext_lazy("Answered"),
    "answered_in_time": gettext_lazy("Answered in time"),
    "overdue_now": gettext_lazy("Overdue now"),
    "converted": gettext_lazy("Turned into suggestions"),
    "rated": gettext_lazy("Rated"),
    "satisfied": gettext_lazy("Satisfied"),
    "basically_satisfied": gettext_lazy("Basically satisfied"),
    "dissatisfied": gettext_lazy("Dissatisfied"),
    "receptions_planned": gettext_lazy("Reception days planned"),
    "receptions_held": gettext_lazy("Reception days held"),
    "receptions_cancelled": gettext_lazy("Reception days cancelled"),
}
RATES: dict[str, Any] = {
    "in_time_rate": gettext_lazy("Answered in time rate"),
    "satisfaction_rate": gettext_lazy("Satisfaction rate"),
    "converted_rate": gettext_lazy("Turned into suggestions rate"),
    "receptions_held_rate": gettext_lazy("Reception days held rate"),
}
OTHER: dict[str, Any] = {"median_days": gettext_lazy("Median days to answer")}
FIGURES: dict[str, Any] = {**COUNTS, **OTHER, **RATES}
DEFINITIONS: dict[str, Any] = {
    "received": gettext_lazy("Opinions the station received in the period (by day of receipt)."),
    "answered": gettext_lazy("Of those, opinions with an answer to the citizen."),
    "answered_in_time": gettext_lazy(
        "Answered on the spot or by the deputy, or every referral answered on or before its "
        "due date."
    ),
    "overdue_now": gettext_lazy("Referrals not answered yet whose due date is before today."),
    "converted": gettext_lazy("Turned into a deputy's suggestion."),
    "rated": gettext_lazy("Answers the citizen rated."),
    "satisfied": gettext_lazy("Ratings: satisfied."),
    "basically_satisfied": gettext_lazy("Ratings: basically satisfied."),
    "dissatisfied": gettext_lazy("Ratings: dissatisfied."),
    "receptions_planned": gettext_lazy(
        "Reception days starting in the period (planned, held or cancelled)."
    ),
    "receptions_held": gettext_lazy("Reception days marked held."),
    "receptions_cancelled": gettext_lazy("Reception days cancelled."),
    "median_days": gettext_lazy(
        "Median of the whole days from receipt to answer (Beijing dates); beyond 30 days "
        "the lower end of the range (31–60, 61–90, 91+)."
    ),
    "in_time_rate": gettext_lazy("Answered in time ÷ (answered + overdue now)."),
    "satisfaction_rate": gettext_lazy("(Satisfied + basically satisfied) ÷ rated."),
    "converted_rate": gettext_lazy("Turned into suggestions ÷ received."),
    "receptions_held_rate": gettext_lazy("Held ÷ planned reception days."),
}
SORTS = ("name", *FIGURES)
DAYS_MAX = 3700  # about ten years: a period longer than that is a typo
_BUCKET_LOW = [*range(ANSWER_DAYS_EXACT + 1), *(low for _n, low, _h in ANSWER_DAY_RANGES)]


@dataclass(frozen=True)
class StationPeriod:
    congress: Congress
    start: date
    end: date
    today: date


@dataclass
class StationPerformance:
    period: StationPeriod
    totals: dict[str, Any]
    stations: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        p = self.period
        return {
            "congress": p.congress.pk,
            "from": p.start,
            "to": p.end,
            "as_of": p.today,
            "totals": self.totals,
            "stations": self.stations,
        }


def parse_day(raw: str | None, field: str) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(_("%(field)s: not a date; use YYYY-MM-DD.") % {"field": field}) from None


def period_for(user: Any, params: Mapping[str, Any]) -> StationPeriod:
    """The congress and period asked for, as this user may see them: a congress they may not
    see is 404; a bad date, or `from` after `to`, is a 422 naming the field. Default: this year
    up to today."""
    congresses = station_stats_congresses(user)
    if congresses is not None and not congresses:
        raise Http404
    raw_congress = params.get("congress")
    qs = (
        Congress.objects.all() if congresses is None else Congress.objects.filter(pk__in=congresses)
    )
    if raw_congress not in (None, ""):
        text = str(raw_congress).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 18:
            raise InvalidInput(_("congress: must be a whole number."))
        qs = qs.filter(pk=int(text))
    congress = qs.order_by("division_code").first()
    if congress is None:
        raise Http404
    today = timezone.localdate()
    start = parse_day(params.get("from"), "from") or date(today.year, 1, 1)
    end = parse_day(params.get("to"), "to") or today
    if start > end:
        raise InvalidInput(_("from: must be on or before to."))
    if (end - start).days > DAYS_MAX:
        raise InvalidInput(_("to: the period may be at most ten years."))
    return StationPeriod(congress=congress, start=start, end=end, today=today)


def median_days(histogram: list[int]) -> float | None:
    """The median of the days to answer from the histogram (ANSWER_DAY_COLUMNS order); a value
    in a range bucket counts as the range's lower end."""
    n = sum(histogram)
    if not n:
        return None
    wanted = [(n + 1) // 2, n // 2 + 1]  # the two middle positions (the same when n is odd)
    found: list[int] = []
    seen = 0
    for low, count in zip(_BUCKET_LOW, histogram, strict=True):
        seen += count
        while wanted and seen >= wanted[0]:
            wanted.pop(0)
            found.append(low)
        if not wanted:
            break
    return (found[0] + found[1]) / 2


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    histogram = [row.pop(c, 0) or 0 for c in ANSWER_DAY_COLUMNS]
    for key in COUNTS:
        row[key] = int(row.get(key) or 0)
    row["median_days"] = median_days(histogram)
    row["in_time_rate"] = rate(row["answered_in_time"], row["answered"] + row["overdue_now"])
    row["satisfaction_rate"] = rate(row["satisfied"] + row["basically_satisfied"], row["rated"])
    row["converted_rate"] = rate(row["converted"], row["received"])
    row["receptions_held_rate"] = rate(row["receptions_held"], row["receptions_planned"])
    row["_histogram"] = histogram
    return row


def station_performance(p: StationPeriod, *, sort: str = "received") -> StationPerformance:
    """Per station of the congress (active or not) and in total, for the period."""
    stations = list(
        Station.objects.filter(congress=p.congress).values("id", "name", "kind", "active")
    )
    rows = {s["id"]: dict(s) for s in stations}
    tz = timezone.get_default_timezone()
    start_at = datetime.combine(p.start, time.min, tzinfo=tz)
    end_at = datetime.combine(p.end + timedelta(days=1), time.min, tzinfo=tz)
    in_congress = Q(station__congress=p.congress)
    facts = (
        StationDayFact.objects.filter(in_congress, day__gte=p.start, day__lte=p.end)
        .values("station_id")
        .annotate(**{c: Sum(c) for c in (*FACT_COUNTS, *ANSWER_DAY_COLUMNS)})
    )
    for fact in facts:
        rows[fact.pop("station_id")].update(fact)
    overdue = (
        StationOpenReferrals.objects.filter(
            in_congress, day__gte=p.start, day__lte=p.end, due__lt=p.today
        )
        .values("station_id")
        .annotate(n=Sum("open"))
    )
    for item in overdue:
        rows[item["station_id"]]["overdue_now"] = item["n"]
    receptions = (
        ReceptionDay.objects.filter(in_congress, starts_at__gte=start_at, starts_at__lt=end_at)
        .values("station_id")
        .annotate(
            receptions_planned=Count("id"),
            receptions_held=Count("id", filter=Q(state=ReceptionState.HELD)),
            receptions_cancelled=Count("id", filter=Q(state=ReceptionState.CANCELLED)),
        )
    )
    for item in receptions:
        rows[item.pop("station_id")].update(item)
    finished = [_finish(r) for r in rows.values()]
    total: dict[str, Any] = {c: sum(int(r[c]) for r in finished) for c in COUNTS}
    histogram = [sum(col) for col in zip(*(r["_histogram"] for r in finished), strict=True)]
    total.update(
        dict(zip(ANSWER_DAY_COLUMNS, histogram or [0] * len(ANSWER_DAY_COLUMNS), strict=True))
    )
    totals = _finish(total)
    totals.pop("_histogram")
    for r in finished:
        r.pop("_histogram")
    return StationPerformance(period=p, totals=totals, stations=ranked(finished, sort))


def ranked(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Rows by `sort`: a figure ranks the best first (the highest, but for median days and
    overdue now the lowest), "name" by name; a leading "-" reverses. Missing values (no rate)
    last, then by name."""
    ascending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise InvalidInput(_("sort: unknown column."))
    if key == "name":
        return sorted(rows, key=lambda r: str(r["name"]), reverse=ascending)
    low_first = key in ("median_days", "overdue_now")
    if ascending:
        low_first = not low_first
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    present.sort(key=lambda r: str(r["name"]))
    present.sort(key=lambda r: r[key], reverse=not low_first)
    return present + sorted(missing, key=lambda r: str(r["name"]))
