"""The official day table (CalendarYear + SpecialDay), read for the period arithmetic.

One query reads the revisions of the years a computation needs; a second reads the special days
of those years this process has not cached at their current revision. Every edit gives the year
a new random revision, so a change made in one process is seen by every other process on its
next computation: the cache can never serve a stale schedule.
"""

from __future__ import annotations

import uuid
from datetime import date

from .models import CalendarYear, SpecialDay

# year -> (revision, {date: "rest" | "workday"}); whole-tuple assignment keeps it thread-safe.
_cache: dict[int, tuple[uuid.UUID, dict[date, str]]] = {}


class TableCalendar:
    """The platform's own calendar, as `periods.DayCalendar`; one instance per computation
    (or per batch of computations, as when a year's schedule is entered)."""

    def __init__(self) -> None:
        # year -> its special days, or None when the year is unknown (CALENDAR-UNKNOWN-YEAR).
        self._years: dict[int, dict[date, str] | None] = {}

    def prefetch(self, first: date, last: date) -> None:
        self._load(first.year, last.year)

    def year_known(self, year: int) -> bool:
        if year not in self._years:
            self._load(year, year)
        return self._years[year] is not None

    def special_kind(self, day: date) -> str | None:
        if day.year not in self._years:
            self._load(day.year, day.year)
        days = self._years[day.year]
        return days.get(day) if days is not None else None

    def _load(self, first_year: int, last_year: int) -> None:
        wanted = [y for y in range(first_year, last_year + 1) if y not in self._years]
        if not wanted:
            return
        revisions = dict(
            CalendarYear.objects.filter(year__gte=wanted[0], year__lte=wanted[-1]).values_list(
                "year", "revision"
            )
        )
        stale = [y for y, rev in revisions.items() if (_cache.get(y) or (None,))[0] != rev]
        if stale:
            fresh: dict[int, dict[date, str]] = {y: {} for y in stale}
            for day, kind, year in SpecialDay.objects.filter(year__in=stale).values_list(
                "date", "kind", "year"
            ):
                fresh[year][day] = kind
            for y in stale:
                _cache[y] = (revisions[y], fresh[y])
        for y in wanted:
            self._years[y] = _cache[y][1] if y in revisions else None


def clear_cache() -> None:
    """Forget every cached year (tests; never needed for correctness)."""
    _cache.clear()
