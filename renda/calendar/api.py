"""The legal calendar's JSON API (mounted at /api/v1/calendar).

Public information, like the State Council's notice itself: every endpoint here answers
anonymous callers too (auth=None), and a bearer token or session is simply not needed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from renda.errors import InvalidInput, NotFound

from .periods import DAYS, MAX_START, MIN_START, MONTHS, WORKING_DAYS, compute
from .queries import year_detail, year_overview

router = Router()

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DeadlineQuery(Schema):
    start: str | None = None
    days: int | None = None
    months: int | None = None
    working_days: int | None = None


class DeadlineOut(Schema):
    start: date
    due: date
    provisional: bool
    rules: list[str]


class DayOut(Schema):
    date: date
    name: str


class YearOut(Schema):
    year: int
    known: bool
    source: str | None
    entered_at: datetime | None
    rest_days: list[DayOut]
    workdays: list[DayOut]


class YearSummaryOut(Schema):
    year: int
    known: bool
    source: str | None
    rest_days: int
    workdays: int


def _parse_start(value: str | None) -> date:
    if not value:
        raise InvalidInput(_("Give the start date: start=YYYY-MM-DD (the day of the event)."))
    value = value.strip()
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            _("start: “%(value)s” is not a date written YYYY-MM-DD, e.g. 2026-03-01.")
            % {"value": value[:40]}
        ) from None


@router.get(
    "/deadline",
    response=DeadlineOut,
    auth=None,
    summary="Compute a deadline under the period rules",
)
def deadline(request, params: Query[DeadlineQuery]) -> dict[str, object]:
    """The last day of a period of `days`, `months` or `working_days` after `start` (the event
    day, not counted): rules PERIOD-START, PERIOD-MONTH, PERIOD-REST-DAY, PERIOD-WORKDAYS and
    CALENDAR-UNKNOWN-YEAR. Give exactly one of days, months, working_days. `provisional` is true
    when the result depends on a year whose official schedule is not entered yet."""
    start = _parse_start(params.start)
    given = {
        kind: n
        for kind, n in (
            (DAYS, params.days),
            (MONTHS, params.months),
            (WORKING_DAYS, params.working_days),
        )
        if n is not None
    }
    if len(given) != 1:
        raise InvalidInput(
            _("Give exactly one of days=N, months=N or working_days=N (you gave %(n)d).")
            % {"n": len(given)}
        )
    ((kind, amount),) = given.items()
    return compute(kind, start, amount).as_dict()


@router.get("/years", response=list[YearSummaryOut], auth=None, summary="Years of the calendar")
def years(request) -> list[dict[str, object]]:
    """Every year the calendar knows, and every missing year in use (known: false)."""
    return [
        {
            "year": row.year,
            "known": row.known,
            "source": row.calendar_year.source if row.calendar_year else None,
            "rest_days": row.rest_days,
            "workdays": row.workdays,
        }
        for row in year_overview()
    ]


@router.get("/{int:year}", response=YearOut, auth=None, summary="A year's rest and working days")
def year(request, year: int) -> dict[str, object]:
    """The official rest days and swapped working days of one year. A year not entered yet has
    none (known: false): weekends alone are rest days (CALENDAR-UNKNOWN-YEAR)."""
    if not (MIN_START.year <= year <= MAX_START.year):
        raise NotFound(_("No such year."))
    detail = year_detail(year)
    cy = detail.calendar_year
    return {
        "year": year,
        "known": detail.known,
        "source": cy.source if cy else None,
        "entered_at": cy.entered_at if cy else None,
        "rest_days": [{"date": d, "name": p.name} for p in detail.holidays for d in p.days()],
        "workdays": [{"date": w.date, "name": w.name} for w in detail.workdays],
    }
