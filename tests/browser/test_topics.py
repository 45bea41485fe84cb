"""The hot-topics dashboard in a real browser: the rising words, the trend chart (ECharts,
local), the filters and the Excel link; clean (console, CSP) and accessible on a phone and a
desktop."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_sees_rising_words_with_chart_and_filters(page, desktop, watch, world):
    from renda.deputies.models import Delegation, Deputyship
    from renda.suggestions.tests.assignment_builders import registered
    from renda.topics.build import rebuild

    east = Delegation.objects.create(congress=world.city, term=world.term, name="东城代表团")
    Deputyship.objects.filter(person__user=world["deputy"]).update(delegation=east)
    today = timezone.localdate()
    for n in (1, 2, 3, 4):  # this month (no time travel: the live server runs in real time)
        registered(world, title=f"关于缓解老城区停车难的建议（{n}）")
    rebuild(world.city)

    # The first page after four submissions (and their notifications) can take more than the
    # default 10 s on a busy 2-core machine.
    page.set_default_navigation_timeout(60_000)
    sign_in(page, "affairs")
    page.goto("/topics/")
    expect(page.locator("[data-testid=rising]")).to_contain_text("停车难")
    expect(page.locator("#topics-trend svg")).to_have_count(1)
    expect(page.locator("[data-testid=by-region]")).to_contain_text("东城代表团")
    assert_accessible(page)
    screenshot(page, "topics-phone")

    page.select_option("[data-testid=region-filter]", f"suggestion:{east.pk}")
    page.locator("[data-testid=topics-show]").click()
    page.wait_for_load_state()
    expect(page.locator("[data-testid=rising]")).to_contain_text("停车难")
    expect(page.locator("[data-testid=region-row]")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "topics-region-phone")
    page.select_option("[data-testid=region-filter]", "")

    page.select_option("[data-testid=source-filter]", "opinion")
    page.locator("[data-testid=topics-show]").click()
    page.wait_for_load_state()
    expect(page.locator("[data-testid=topics-empty]")).to_be_visible()

    with page.expect_download() as download:
        page.locator("[data-testid=topics-export]").click()
    assert download.value.suggested_filename == f"hot-topics-{today.year}.xlsx"

    desktop.sync()
    desktop.goto("/topics/")
    expect(desktop.locator("#topics-trend svg")).to_have_count(1)
    screenshot(desktop, "topics-desktop")
