"""A year's official schedule as the State Council's notice gives it: holiday periods and
swapped working days. Parsing the lines a clerk types, checking them, and expanding them to days
(PERIOD-REST-DAY, PERIOD-WORKDAYS)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.utils.translation import gettext as _

from .choices import DayKind

MAX_LINES = 40
MAX_PERIOD_DAYS = 31
MAX_NAME = 100
DEFAULT_WORKDAY_NAME = "调休"

T = TypeVar("T")

# 2027-02-06, 2027/2/6, 2027.2.6, 2027年2月6日
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_EDGE = r"[\s~～\-–—至到:：,，;；()（）]+"
_EDGES = re.compile(rf"^{_EDGE}|{_EDGE}$")


@dataclass(frozen=True)
class HolidayPeriod:
    """A holiday as the notice states it: name, first and last day off (both included)."""

    name: str
    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def as_line(self) -> str:
        if self.first == self.last:
            return f"{self.name} {self.first.isoformat()}"
        return f"{self.name} {self.first.isoformat()} {self.last.isoformat()}"


@dataclass(frozen=True)
class SwappedWorkday:
    """A Saturday or Sunday the notice makes a working day (调休)."""

    date: date
    name: str

    def as_line(self) -> str:
        return f"{self.date.isoformat()} {self.name}"


class LineError(ValueError):
    pass


def _split(line: str) -> tuple[list[date], str]:
    found: list[date] = []
    for match in _DATE.finditer(line):
        y, m, d = (int(g) for g in match.groups())
        try:
            found.append(date(y, m, d))
        except ValueError:
            raise LineError(
                _("%(text)s is not a date of the calendar.") % {"text": match.group(0).strip()}
            ) from None
    rest = _DATE.sub(" ", line)
    name = " ".join(_EDGES.sub("", rest).split())
    return found, name


def _parse_lines(text: str, parse_one: Callable[[str], T]) -> tuple[list[T], list[str]]:
    items: list[T] = []
    errors: list[str] = []
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    if len(lines) > MAX_LINES:
        return [], [_("At most %(n)d lines, please.") % {"n": MAX_LINES}]
    for number, line in lines:
        try:
            items.append(parse_one(line))
        except LineError as exc:
            errors.append(
                _("Line %(n)d (“%(line)s”): %(error)s")
                % {"n": number, "line": line[:60], "error": exc}
            )
    return items, errors


def _holiday(line: str) -> HolidayPeriod:
    dates, name = _split(line)
    if not dates:
        raise LineError(_("no date found; write it as 2027-02-06."))
    if len(dates) > 2:
        raise LineError(_("give a first and a last day only."))
    if not name:
        raise LineError(_("give the holiday's name, e.g. 春节."))
    if len(name) > MAX_NAME:
        raise LineError(_("the name is too long."))
    first, last = dates[0], dates[-1]
    if last < first:
        raise LineError(_("the last day comes before the first."))
    return HolidayPeriod(name=name, first=first, last=last)


def _workday(line: str) -> SwappedWorkday:
    dates, name = _split(line)
    if not dates:
        raise LineError(_("no date found; write it as 2027-02-14."))
    if len(dates) > 1:
        raise LineError(_("one working day per line, please."))
    if len(name) > MAX_NAME:
        raise LineError(_("the name is too long."))
    return SwappedWorkday(date=dates[0], name=name or DEFAULT_WORKDAY_NAME)


def parse_holidays(text: str) -> tuple[list[HolidayPeriod], list[str]]:
    """Lines like `春节 2027-02-06 2027-02-13` (one date for a single day); errors per line."""
    return _parse_lines(text, _holiday)


def parse_workdays(text: str) -> tuple[list[SwappedWorkday], list[str]]:
    """Lines like `2027-02-14 春节调休`; errors per line."""
    return _parse_lines(text, _workday)


def validate_schedule(
    year: int, holidays: Sequence[HolidayPeriod], workdays: Sequence[SwappedWorkday]
) -> list[str]:
    """Every problem with a year's schedule, each in a sentence the clerk can act on."""
    errors: list[str] = []
    if not holidays:
        errors.append(_("Enter at least one holiday period from the notice."))
    if len(holidays) > MAX_LINES or len(workdays) > MAX_LINES:
        errors.append(_("At most %(n)d lines, please.") % {"n": MAX_LINES})
        return errors
    rest_days: dict[date, str] = {}
    for period in holidays:
        label = period.as_line()
        if not period.name.strip() or len(period.name) > MAX_NAME:
            errors.append(_("%(item)s: the name is missing or too long.") % {"item": label})
        if period.last < period.first:
            errors.append(_("%(item)s: the last day comes before the first.") % {"item": label})
            continue
        if period.first.year != year or period.last.year != year:
            errors.append(
                _(
                    "%(item)s: every day must be in %(year)d. Enter days of another year on "
                    "that year's page."
                )
                % {"item": label, "year": year}
            )
            continue
        if (period.last - period.first).days + 1 > MAX_PERIOD_DAYS:
            errors.append(
                _("%(item)s: a holiday period is at most %(n)d days.")
                % {"item": label, "n": MAX_PERIOD_DAYS}
            )
            continue
        for day in period.days():
            if day in rest_days:
                errors.append(
                    _("%(item)s: %(day)s is already part of %(other)s.")
                    % {"item": label, "day": day.isoformat(), "other": rest_days[day]}
                )
                break
            rest_days[day] = period.name
    seen: set[date] = set()
    for workday in workdays:
        label = workday.as_line()
        if workday.date.year != year:
            errors.append(
                _(
                    "%(item)s: the day must be in %(year)d. Enter days of another year on that "
                    "year's page."
                )
                % {"item": label, "year": year}
            )
        elif workday.date.weekday() < 5:
            errors.append(
                _("%(item)s: only a Saturday or a Sunday can be made a working day.")
                % {"item": label}
            )
        elif workday.date in rest_days:
            errors.append(
                _("%(item)s: this day is also listed as a holiday (%(name)s).")
                % {"item": label, "name": rest_days[workday.date]}
            )
        elif workday.date in seen:
            errors.append(_("%(item)s: listed twice.") % {"item": label})
        elif not workday.name.strip() or len(workday.name) > MAX_NAME:
            errors.append(_("%(item)s: the name is missing or too long.") % {"item": label})
        seen.add(workday.date)
    return errors


def expand(
    holidays: Sequence[HolidayPeriod], workdays: Sequence[SwappedWorkday]
) -> list[tuple[date, str, str]]:
    """(date, kind, name) for every special day, in date order."""
    rows = [(day, DayKind.REST.value, p.name) for p in holidays for day in p.days()]
    rows += [(w.date, DayKind.WORKDAY.value, w.name) for w in workdays]
    return sorted(rows)


def periods_of(
    rows: Sequence[tuple[date, str, str]],
) -> tuple[list[HolidayPeriod], list[SwappedWorkday]]:
    """Group stored days back into the notice's shape: runs of consecutive rest days with one
    name become one period."""
    holidays: list[HolidayPeriod] = []
    workdays: list[SwappedWorkday] = []
    for day, kind, name in sorted(rows):
        if kind == DayKind.WORKDAY:
            workdays.append(SwappedWorkday(date=day, name=name))
            continue
        last = holidays[-1] if holidays else None
        if last is not None and last.name == name and last.last + timedelta(days=1) == day:
            holidays[-1] = HolidayPeriod(name=name, first=last.first, last=day)
        else:
            holidays.append(HolidayPeriod(name=name, first=day, last=day))
    return holidays, workdays
