"""The calendar in the browser, on a phone: an administrator enters a new year's schedule."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Watch, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def watch(page: Any) -> Any:
    w = Watch()
    w.attach(page)
    yield w
    w.assert_clean()


def test_administrator_enters_2027_on_a_phone(page: Any, watch: Any, world: Any) -> None:
    """CALENDAR-UNKNOWN-YEAR: the missing year is marked, the form saves it, the month grid
    shows the holiday and the swapped working day."""
    sign_in(page, "admin")
    page.goto("/calendar/2027/")
    assert page.locator("[data-status=missing]").is_visible()
    assert_accessible(page)
    page.locator("textarea[name=holidays]").fill(
        "元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13"
    )
    page.locator("textarea[name=workdays]").fill("2027-02-14 春节调休")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-status=known]").is_visible()
    assert page.locator("[data-day='2027-02-08']").get_attribute("data-kind") == "holiday"
    assert page.locator("[data-day='2027-02-14']").get_attribute("data-kind") == "swap"
    assert page.locator(".alert-success").is_visible()
    assert_accessible(page)
    screenshot(page, "calendar-2027-admin-phone")


def test_deputy_affairs_reads_the_calendar_without_a_form(
    page: Any, watch: Any, world: Any
) -> None:
    sign_in(page, "affairs")
    page.goto("/calendar/")
    assert_accessible(page)
    page.goto("/calendar/2026/")
    assert page.locator("[data-testid=holidays]").is_visible()
    assert page.locator("textarea").count() == 0
    assert_accessible(page)
    screenshot(page, "calendar-2026-affairs-phone")
