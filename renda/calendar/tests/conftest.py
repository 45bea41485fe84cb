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


@pytest.fixture(autouse=True)
def _calendar_filled(request):
    """The years the migration filled, even after a transactional test (a browser test) has
    flushed every table: a flush removes the rows that data migrations wrote."""
    names = set(request.fixturenames)
    if "live_server" in names or "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from renda.calendar.models import CalendarYear

    if not CalendarYear.objects.exists():
        fill_from_package()


def fill_from_package() -> None:
    """What migration 0002 does, with today's models."""
    from chinese_calendar.constants import Holiday, holidays, workdays
    from django.utils import timezone

    from renda.calendar.models import CalendarYear, SpecialDay

    chinese = {h.value: h.chinese for h in Holiday}
    rows = [
        SpecialDay(date=d, kind="rest", name=chinese[n], year=d.year) for d, n in holidays.items()
    ]
    rows += [
        SpecialDay(date=d, kind="workday", name=chinese[n], year=d.year)
        for d, n in workdays.items()
    ]
    now = timezone.now()
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=y, source="package", entered_at=now)
            for y in sorted({r.year for r in rows})
        ]
    )
    SpecialDay.objects.bulk_create(rows)


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
