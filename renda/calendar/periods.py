"""Adding days, months and working days under the rules of law on periods.

Pure arithmetic over a day calendar (anything with `prefetch`, `year_known` and `special_kind`):
the platform's own table by default (`renda.calendar.table.TableCalendar`), never the
chinese-calendar package at run time (it raises for years it does not know).

Rules: PERIOD-START, PERIOD-MONTH, PERIOD-REST-DAY, PERIOD-WORKDAYS, CALENDAR-UNKNOWN-YEAR
(see RULES.md). Each result lists the ids of the rules that shaped it.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.utils.translation import gettext as _

from renda.errors import InvalidInput

PERIOD_START = "PERIOD-START"
PERIOD_MONTH = "PERIOD-MONTH"
PERIOD_REST_DAY = "PERIOD-REST-DAY"
PERIOD_WORKDAYS = "PERIOD-WORKDAYS"
CALENDAR_UNKNOWN_YEAR = "CALENDAR-UNKNOWN-YEAR"

DAYS, MONTHS, WORKING_DAYS = "days", "months", "working_days"
# Generous bounds: the longest statutory period is months; nobody needs ten years of days.
MAX_AMOUNT = {DAYS: 3650, MONTHS: 120, WORKING_DAYS: 1000}
MIN_START = date(1900, 1, 1)
MAX_START = date(2999, 12, 31)
# Longer than any run of rest days a real schedule has (the longest was under three weeks).
_MAX_REST_RUN = 120

REST = "rest"
WORKDAY = "workday"


class DayCalendar(Protocol):
    """What the arithmetic needs to know about days."""

    def prefetch(self, first: date, last: date) -> None:
        """Load what is needed for days first..last at once (a hint; may do nothing)."""

    def year_known(self, year: int) -> bool:
        """Whether the official schedule of `year` is entered."""

    def special_kind(self, day: date) -> str | None:
        """ "rest", "workday" or None (a plain day) for a day of a known year."""


@dataclass(frozen=True)
class PeriodResult:
    """The last day of a period, whether it may still move, and the rules that shaped it."""

    start: date
    kind: str
    amount: int
    due: date
    provisional: bool
    rules: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "rules": list(self.rules),
        }


class _Days:
    """Answers "is this a rest day?" and remembers whether an unknown year was consulted."""

    def __init__(self, calendar: DayCalendar) -> None:
        self.calendar = calendar
        self.unknown_year_seen = False

    def is_rest(self, day: date) -> bool:
        if not self.calendar.year_known(day.year):
            # CALENDAR-UNKNOWN-YEAR: weekends alone are rest days; the result is provisional.
            self.unknown_year_seen = True
            return day.weekday() >= 5
        kind = self.calendar.special_kind(day)
        if kind == REST:
            return True
        if kind == WORKDAY:
            return False
        return day.weekday() >= 5


def _default_calendar() -> DayCalendar:
    from .table import TableCalendar

    return TableCalendar()


def check_input(start: date, kind: str, amount: int) -> None:
    """Refuse what no period can be, with a message a person can act on (InvalidInput, 422)."""
    if kind not in MAX_AMOUNT:
        raise InvalidInput(_("A period is counted in days, months or working days."))
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(_("The length of a period must be a whole number."))
    if amount < 1 or amount > MAX_AMOUNT[kind]:
        raise InvalidInput(
            _("The number of %(unit)s must be between 1 and %(max)d.")
            % {"unit": _unit_label(kind), "max": MAX_AMOUNT[kind]}
        )
    if not isinstance(start, date) or not (MIN_START <= start <= MAX_START):
        raise InvalidInput(
            _("The start date must be between %(min)s and %(max)s.")
            % {"min": MIN_START.isoformat(), "max": MAX_START.isoformat()}
        )


def _unit_label(kind: str) -> str:
    return {DAYS: _("days"), MONTHS: _("months"), WORKING_DAYS: _("working days")}[kind]


def _roll_to_working_day(
    start: date, kind: str, amount: int, end: date, rules: list[str], calendar: DayCalendar
) -> PeriodResult:
    """PERIOD-REST-DAY: a period whose last day is a rest day ends on the next working day."""
    calendar.prefetch(end, end + timedelta(days=45))
    days = _Days(calendar)
    due = end
    for _i in range(_MAX_REST_RUN):
        if not days.is_rest(due):
            break
        due += timedelta(days=1)
    if due != end:
        rules.append(PERIOD_REST_DAY)
    if days.unknown_year_seen:
        rules.append(CALENDAR_UNKNOWN_YEAR)
    return PeriodResult(start, kind, amount, due, days.unknown_year_seen, tuple(rules))


def add_days(start: date, n: int, *, calendar: DayCalendar | None = None) -> PeriodResult:
    """N days after `start` (PERIOD-START: the event day is not counted), moved past rest days
    (PERIOD-REST-DAY)."""
    check_input(start, DAYS, n)
    end = start + timedelta(days=n)
    return _roll_to_working_day(
        start, DAYS, n, end, [PERIOD_START], calendar or _default_calendar()
    )


def month_end(start: date, n: int) -> date:
    """PERIOD-MONTH: the corresponding day n months on, or that month's last day."""
    index = start.month - 1 + n
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, pycalendar.monthrange(year, month)[1]))


def add_months(start: date, n: int, *, calendar: DayCalendar | None = None) -> PeriodResult:
    """N months after `start` (PERIOD-START, PERIOD-MONTH: Jan 31 + 1 month → Feb 28/29),
    moved past rest days (PERIOD-REST-DAY)."""
    check_input(start, MONTHS, n)
    end = month_end(start, n)
    return _roll_to_working_day(
        start, MONTHS, n, end, [PERIOD_START, PERIOD_MONTH], calendar or _default_calendar()
    )


def add_working_days(start: date, n: int, *, calendar: DayCalendar | None = None) -> PeriodResult:
    """The n-th working day after `start` (PERIOD-START, PERIOD-WORKDAYS: holidays skipped,
    weekend days made working days counted)."""
    check_input(start, WORKING_DAYS, n)
    calendar = calendar or _default_calendar()
    # Five working days a week, plus room for the long holidays: one load covers it.
    calendar.prefetch(start + timedelta(days=1), start + timedelta(days=n * 7 // 5 + 60))
    days = _Days(calendar)
    due, counted = start, 0
    while counted < n:
        due += timedelta(days=1)
        if not days.is_rest(due):
            counted += 1
    rules = [PERIOD_START, PERIOD_WORKDAYS]
    if days.unknown_year_seen:
        rules.append(CALENDAR_UNKNOWN_YEAR)
    return PeriodResult(start, WORKING_DAYS, n, due, days.unknown_year_seen, tuple(rules))


_ADDERS = {DAYS: add_days, MONTHS: add_months, WORKING_DAYS: add_working_days}


def compute(
    kind: str, start: date, amount: int, *, calendar: DayCalendar | None = None
) -> PeriodResult:
    """The due date of a period of `amount` `kind` after `start`."""
    if kind not in _ADDERS:
        raise InvalidInput(_("A period is counted in days, months or working days."))
    return _ADDERS[kind](start, amount, calendar=calendar)
