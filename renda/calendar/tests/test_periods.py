"""Adding days, months and working days on the platform's own calendar table.

Expected dates for 2025 and 2026 are taken from the chinese-calendar package's data (the source
our migration copied), never typed in by hand.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from renda.calendar.actions import enter_schedule
from renda.calendar.models import CalendarYear, SpecialDay
from renda.calendar.periods import (
    CALENDAR_UNKNOWN_YEAR,
    PERIOD_MONTH,
    PERIOD_REST_DAY,
    PERIOD_START,
    PERIOD_WORKDAYS,
    add_days,
    add_months,
    add_working_days,
    compute,
    month_end,
)
from renda.calendar.schedule import HolidayPeriod, SwappedWorkday
from renda.errors import InvalidInput

from .conftest import (
    package_holidays,
    package_next_workday,
    package_nth_workday_after,
    package_workdays,
)

pytestmark = pytest.mark.django_db


# --- the table the migration filled -----------------------------------------------------------


def test_migration_fills_every_year_the_package_knows():
    """CALENDAR-UNKNOWN-YEAR: 2004–2026 are known (from the package), 2027 is not."""
    from chinese_calendar.constants import holidays, workdays

    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert years == {d.year for d in holidays} == set(range(2004, 2027))
    assert SpecialDay.objects.filter(kind="rest").count() == len(holidays)
    assert SpecialDay.objects.filter(kind="workday").count() == len(workdays)
    assert SpecialDay.objects.get(date=date(2026, 2, 17)).name == "春节"


# --- PERIOD-START -------------------------------------------------------------------------------


def test_period_start_event_day_is_not_counted():
    """PERIOD-START: one day after Tuesday 2026-03-03 is Wednesday 2026-03-04."""
    result = add_days(date(2026, 3, 3), 1)
    assert result.due == date(2026, 3, 4)
    assert result.rules == (PERIOD_START,)
    assert result.provisional is False


def test_period_start_applies_to_working_days_too():
    """PERIOD-START, PERIOD-WORKDAYS: the first working day after Monday is Tuesday."""
    assert add_working_days(date(2026, 3, 2), 1).due == date(2026, 3, 3)


# --- PERIOD-MONTH -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, n, end",
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),  # non-leap
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 15), 120, date(2036, 5, 15)),
    ],
)
def test_period_month_ends_on_corresponding_day_or_month_end(start, n, end):
    """PERIOD-MONTH: the corresponding day of the last month, or its last day."""
    assert month_end(start, n) == end


def test_jan_31_plus_one_month_in_a_leap_year_is_feb_29():
    """PERIOD-MONTH: 2024-01-31 + 1 month → Thursday 2024-02-29, a working day."""
    result = add_months(date(2024, 1, 31), 1)
    assert result.due == date(2024, 2, 29)
    assert result.rules == (PERIOD_START, PERIOD_MONTH)


def test_jan_31_plus_one_month_in_a_common_year_is_feb_28():
    """PERIOD-MONTH: 2025-01-31 + 1 month → Friday 2025-02-28."""
    assert add_months(date(2025, 1, 31), 1).due == date(2025, 2, 28)


def test_aug_31_plus_six_months_ends_on_a_swapped_saturday_working_day():
    """PERIOD-MONTH, PERIOD-REST-DAY: 2025-08-31 + 6 months → Saturday 2026-02-28, which the
    2026 schedule makes a working day (Spring Festival swap), so the period ends there."""
    assert date(2026, 2, 28) in package_workdays(2026, "Spring Festival")
    result = add_months(date(2025, 8, 31), 6)
    assert result.due == date(2026, 2, 28)
    assert PERIOD_REST_DAY not in result.rules


def test_feb_29_plus_twelve_months_is_feb_28():
    """PERIOD-MONTH: 2024-02-29 + 12 months → 2025-02-28 (a Friday)."""
    assert add_months(date(2024, 2, 29), 12).due == date(2025, 2, 28)


def test_month_period_ending_on_a_weekend_moves_to_monday():
    """PERIOD-MONTH, PERIOD-REST-DAY: 2026-03-16 + 2 months is Saturday 2026-05-16, a plain
    weekend day, so the period ends on Monday 2026-05-18."""
    result = add_months(date(2026, 3, 16), 2)
    assert result.due == date(2026, 5, 18)
    assert result.rules == (PERIOD_START, PERIOD_MONTH, PERIOD_REST_DAY)


# --- PERIOD-REST-DAY: Spring Festival and National Day ------------------------------------------


def test_days_period_ending_in_spring_festival_2026_ends_after_the_holiday():
    """PERIOD-REST-DAY: a period whose last day falls in the 2026 Spring Festival holiday ends on
    the first working day after it (the package's data says which)."""
    festival = package_holidays(2026, "Spring Festival")
    inside = festival[1]
    start = inside - timedelta(days=10)
    result = add_days(start, 10)
    assert result.due == package_next_workday(inside) == festival[-1] + timedelta(days=1)
    assert result.rules == (PERIOD_START, PERIOD_REST_DAY)
    assert result.provisional is False


@pytest.mark.parametrize("year", [2025, 2026])
def test_days_period_ending_on_national_day_ends_after_the_holiday(year):
    """PERIOD-REST-DAY: ending on 1 October (National Day) moves past the whole holiday."""
    national = package_holidays(year, "National Day")
    assert national[0] == date(year, 10, 1)
    result = add_days(date(year, 9, 1), 30)
    assert result.due == package_next_workday(date(year, 10, 1))
    assert result.due > national[-1]
    assert PERIOD_REST_DAY in result.rules


@pytest.mark.parametrize("year", [2025, 2026])
def test_national_day_swapped_weekend_workdays_are_working_days(year):
    """PERIOD-REST-DAY, PERIOD-WORKDAYS: the weekend days the notice makes working days around
    National Day are not rest days: a period ending on one ends there."""
    swaps = package_workdays(year, "National Day")
    assert swaps, "the package lists National Day swaps for this year"
    for swap in swaps:
        assert swap.weekday() >= 5
        result = add_days(swap - timedelta(days=3), 3)
        assert result.due == swap
        assert PERIOD_REST_DAY not in result.rules


def test_spring_festival_2026_swapped_saturdays_count_as_working_days():
    """PERIOD-WORKDAYS: Saturday 2026-02-14 is a working day before the 2026 Spring Festival
    holiday; working days from Thursday 2026-02-12 run Fri 13, Sat 14, then the day after the
    holiday."""
    swaps = package_workdays(2026, "Spring Festival")
    assert date(2026, 2, 14) in swaps
    festival = package_holidays(2026, "Spring Festival")
    result = add_working_days(date(2026, 2, 12), 3)
    assert result.due == festival[-1] + timedelta(days=1)
    assert result.due == package_nth_workday_after(date(2026, 2, 12), 3)
    assert result.rules == (PERIOD_START, PERIOD_WORKDAYS)


def test_working_days_across_the_national_day_2025_swap():
    """PERIOD-WORKDAYS: counting from Friday 2025-09-26 includes Sunday 2025-09-28 (a swapped
    working day) and skips the whole National Day holiday."""
    start = date(2025, 9, 26)
    for n in range(1, 8):
        assert add_working_days(start, n).due == package_nth_workday_after(start, n)
    assert add_working_days(start, 1).due == date(2025, 9, 28)


def test_every_period_agrees_with_the_official_schedule_2025_2026():
    """PERIOD-START, PERIOD-REST-DAY, PERIOD-WORKDAYS: across 2025 and 2026, every start day and
    several lengths give the same result as the package's own working-day data."""
    start = date(2025, 1, 1)
    while start < date(2026, 11, 1):
        for n in (1, 3, 7, 15):
            expected = package_next_workday(start + timedelta(days=n))
            assert add_days(start, n).due == expected, (start, n)
        for n in (1, 5, 10, 20):
            assert add_working_days(start, n).due == package_nth_workday_after(start, n), (
                start,
                n,
            )
        start += timedelta(days=1)


# --- CALENDAR-UNKNOWN-YEAR ----------------------------------------------------------------------


def test_unknown_year_uses_weekends_only_and_is_provisional():
    """CALENDAR-UNKNOWN-YEAR: 2027 is not entered; 2026-12-31 + 1 day is Friday 2027-01-01 (New
    Year's Day in every real schedule, but unknown here): it is the due day, provisionally."""
    assert not CalendarYear.objects.filter(year=2027).exists()
    result = add_days(date(2026, 12, 31), 1)
    assert result.due == date(2027, 1, 1)
    assert result.provisional is True
    assert result.rules == (PERIOD_START, CALENDAR_UNKNOWN_YEAR)


def test_unknown_year_weekend_still_moves_the_due_day():
    """CALENDAR-UNKNOWN-YEAR, PERIOD-REST-DAY: Saturday 2027-01-02 → Monday 2027-01-04."""
    result = add_days(date(2027, 1, 1), 1)
    assert result.due == date(2027, 1, 4)
    assert result.rules == (PERIOD_START, PERIOD_REST_DAY, CALENDAR_UNKNOWN_YEAR)


def test_working_days_into_an_unknown_year_count_weekdays_and_are_provisional():
    """CALENDAR-UNKNOWN-YEAR, PERIOD-WORKDAYS: Mon 28 – Thu 31 Dec 2026, then Fri 2027-01-01."""
    result = add_working_days(date(2026, 12, 25), 5)
    assert result.due == date(2027, 1, 1)
    assert result.provisional is True
    assert CALENDAR_UNKNOWN_YEAR in result.rules


def test_period_inside_a_known_year_is_not_provisional():
    """CALENDAR-UNKNOWN-YEAR: a period that never consults 2027 is final."""
    result = add_days(date(2026, 12, 1), 10)
    assert (result.due, result.provisional) == (date(2026, 12, 11), False)


@pytest.mark.parametrize("kind", ["days", "months", "working_days"])
def test_far_unknown_years_never_fail(kind):
    """CALENDAR-UNKNOWN-YEAR: nothing fails because a year is missing (the package itself would
    raise NotImplementedError here)."""
    result = compute(kind, date(2090, 6, 15), 100)
    assert result.provisional is True
    assert date(2090, 6, 15) < result.due < date(2099, 1, 1)
    assert result.due.weekday() < 5


def test_entering_2027_then_computing_again_uses_the_new_schedule(world):
    """CALENDAR-UNKNOWN-YEAR, PERIOD-REST-DAY: once 2027 is entered (a schedule made up for this
    test: 元旦 1–3 January), 2026-12-31 + 1 day ends on Monday 2027-01-04, final."""
    assert add_days(date(2026, 12, 31), 1).provisional is True
    enter_schedule(
        2027,
        [HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 3))],
        [SwappedWorkday(date(2027, 1, 9), "元旦调休")],
        by=world["admin"],
    )
    result = add_days(date(2026, 12, 31), 1)
    assert result.due == date(2027, 1, 4)
    assert result.provisional is False
    assert result.rules == (PERIOD_START, PERIOD_REST_DAY)
    # …and Saturday 2027-01-09 now counts as a working day.
    assert add_days(date(2027, 1, 8), 1).due == date(2027, 1, 9)


def test_correcting_a_year_is_seen_at_once_despite_the_cache(world):
    """CALENDAR-UNKNOWN-YEAR: the per-process cache never serves a replaced schedule."""
    enter_schedule(
        2027, [HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 1))], [], by=world["admin"]
    )
    assert add_days(date(2026, 12, 31), 1).due == date(2027, 1, 4)  # Fri off, then weekend
    assert add_days(date(2027, 1, 4), 1).due == date(2027, 1, 5)  # cached now
    enter_schedule(
        2027, [HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 5))], [], by=world["admin"]
    )
    assert add_days(date(2027, 1, 4), 1).due == date(2027, 1, 6)


def test_a_change_made_by_another_process_is_seen(world):
    """CALENDAR-UNKNOWN-YEAR: another process's edit (new rows and a new revision) reaches this
    process's cache on the next computation."""
    import uuid

    assert add_days(date(2026, 3, 9), 1).due == date(2026, 3, 10)
    SpecialDay.objects.create(date=date(2026, 3, 10), kind="rest", name="测试", year=2026)
    CalendarYear.objects.filter(year=2026).update(revision=uuid.uuid4())
    assert add_days(date(2026, 3, 9), 1).due == date(2026, 3, 11)


# --- loading: one query for the years, one for their days --------------------------------------


def test_a_computation_reads_the_table_in_at_most_two_queries(django_assert_max_num_queries):
    """PERIOD-WORKDAYS: the special days of the whole range come in one query, not one per day."""
    with django_assert_max_num_queries(2):
        add_working_days(date(2024, 1, 1), 1000)
    with django_assert_max_num_queries(1):  # warm: only the revisions are checked
        add_working_days(date(2024, 1, 1), 1000)
    with django_assert_max_num_queries(2):
        add_months(date(2020, 1, 31), 120)


# --- bounds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, n",
    [
        ("days", 0),
        ("days", -1),
        ("days", 3651),
        ("months", 121),
        ("working_days", 1001),
        ("weeks", 1),
        ("days", True),
        ("days", 1.5),
    ],
)
def test_unreasonable_lengths_are_refused_clearly(kind, n):
    with pytest.raises(InvalidInput):
        compute(kind, date(2026, 1, 1), n)


@pytest.mark.parametrize("start", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31)])
def test_unreasonable_start_dates_are_refused_clearly(start):
    with pytest.raises(InvalidInput):
        add_days(start, 1)


@pytest.mark.parametrize("kind, n", [("days", 3650), ("months", 120), ("working_days", 1000)])
def test_largest_lengths_work(kind, n):
    assert compute(kind, date(2999, 12, 31), n).provisional is True
