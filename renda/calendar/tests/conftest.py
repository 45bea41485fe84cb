"""Fixtures for the calendar tests: the package's own data, to check our table against."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from renda.calendar.table import clear_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts with an empty per-process cache (test databases roll back)."""
    clear_cache()
    yield
    clear_cache()


def package_is_workday(day: date) -> bool:
    """The chinese-calendar package's answer (test-time reference only; it knows 2004–2026)."""
    import chinese_calendar

    return chinese_calendar.is_workday(day)


def package_next_workday(day: date) -> date:
    while not package_is_workday(day):
        day += timedelta(days=1)
    return day


def package_nth_workday_after(start: date, n: int) -> date:
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if package_is_workday(day):
            counted += 1
    return day


def package_holidays(year: int, name: str) -> list[date]:
    from chinese_calendar.constants import holidays

    return sorted(d for d, n in holidays.items() if d.year == year and n == name)


def package_workdays(year: int, name: str) -> list[date]:
    from chinese_calendar.constants import workdays

    return sorted(d for d, n in workdays.items() if d.year == year and n == name)
