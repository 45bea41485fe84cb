"""Reads of the legal calendar: which years are known or missing, a year's days, deadlines."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .choices import DayKind
from .models import CalendarYear, Deadline, SpecialDay
from .schedule import HolidayPeriod, SwappedWorkday, periods_of

# From this month on, next year's schedule is needed (deadlines of three months and more reach
# into it); the State Council usually publishes it in October or November.
NEXT_YEAR_FROM_MONTH = 11


def calendar_gaps(today: date | None = None) -> list[int]:
    """Years in use whose official schedule is missing (CALENDAR-UNKNOWN-YEAR): this year, next
    year from November on, and any year a provisional deadline falls due in."""
    today = today or timezone.localdate()
    wanted = {today.year}
    if today.month >= NEXT_YEAR_FROM_MONTH:
        wanted.add(today.year + 1)
    wanted |= {d.year for d in Deadline.objects.filter(provisional=True).dates("due", "year")}
    known = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return sorted(wanted - known)


def provisional_counts() -> dict[int, int]:
    """Provisional deadlines per year they fall due in."""
    rows = (
        Deadline.objects.filter(provisional=True)
        .annotate(y=ExtractYear("due"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["y"]: row["n"] for row in rows}


def provisional_deadlines_touching(year: int) -> int:
    """Provisional deadlines reaching into `year` (recomputed when it is entered)."""
    return Deadline.objects.filter(
        provisional=True, start__lte=date(year, 12, 31), due__gte=date(year, 1, 1)
    ).count()


@dataclass
class YearRow:
    year: int
    calendar_year: CalendarYear | None
    rest_days: int = 0
    workdays: int = 0
    provisional: int = 0
    missing_in_use: bool = False

    @property
    def known(self) -> bool:
        return self.calendar_year is not None


def year_overview(today: date | None = None) -> list[YearRow]:
    """Every known year, every missing year in use, newest first (four queries)."""
    years = {cy.year: cy for cy in CalendarYear.objects.select_related("entered_by")}
    counts: dict[tuple[int, str], int] = {
        (row["year"], row["kind"]): row["n"]
        for row in SpecialDay.objects.values("year", "kind").annotate(n=Count("pk")).order_by()
    }
    provisional = provisional_counts()
    gaps = set(calendar_gaps(today))
    rows = []
    for year in sorted(set(years) | gaps | set(provisional), reverse=True):
        rows.append(
            YearRow(
                year=year,
                calendar_year=years.get(year),
                rest_days=counts.get((year, DayKind.REST), 0),
                workdays=counts.get((year, DayKind.WORKDAY), 0),
                provisional=provisional.get(year, 0),
                missing_in_use=year in gaps,
            )
        )
    return rows


@dataclass
class DayCell:
    day: date
    css: str  # holiday | swap | weekend | plain
    name: str = ""


@dataclass
class MonthGrid:
    month: int
    first: date
    weeks: list[list[DayCell | None]] = field(default_factory=list)


@dataclass
class YearDetail:
    year: int
    calendar_year: CalendarYear | None
    holidays: list[HolidayPeriod]
    workdays: list[SwappedWorkday]
    months: list[MonthGrid]
    provisional: int

    @property
    def known(self) -> bool:
        return self.calendar_year is not None


def year_detail(year: int) -> YearDetail:
    """A year's holiday periods, swapped working days and a month-by-month grid."""
    calendar_year = CalendarYear.objects.select_related("entered_by").filter(year=year).first()
    rows = list(SpecialDay.objects.filter(year=year).values_list("date", "kind", "name"))
    if calendar_year is None:
        rows = []  # CALENDAR-UNKNOWN-YEAR: an unknown year has weekends only
    special = {day: (kind, name) for day, kind, name in rows}
    holidays, workdays = periods_of(rows)
    months = []
    for month in range(1, 13):
        grid = MonthGrid(month=month, first=date(year, month, 1))
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                kind, name = special.get(day, ("", ""))
                if kind == DayKind.REST:
                    css = "holiday"
                elif kind == DayKind.WORKDAY:
                    css = "swap"
                else:
                    css = "weekend" if day.weekday() >= 5 else "plain"
                cells.append(DayCell(day=day, css=css, name=name))
            grid.weeks.append(cells)
        months.append(grid)
    return YearDetail(
        year=year,
        calendar_year=calendar_year,
        holidays=holidays,
        workdays=workdays,
        months=months,
        provisional=provisional_deadlines_touching(year),
    )


def deadlines_of(owner: Any) -> list[Deadline]:
    """The deadlines another record depends on."""
    from django.contrib.contenttypes.models import ContentType

    return list(
        Deadline.objects.filter(
            owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
        )
    )
