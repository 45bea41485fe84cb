"""Search in a real browser (issue 7 point 5): typing in a list page's search box shows
highlighted results as one types (htmx), a traditional-character query finds simplified text,
the search page works with the keyboard alone, and the deputy's submit form shows suggestions
on the same matter as the title is typed. Pages stay clean (no console or CSP errors) and pass
the accessibility check."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_in_the_office_list_box_shows_highlighted_results(
    page: Any, watch: Any, world: Any
) -> None:
    from renda.search.tests.builders import registered

    s = registered(world, "关于加快养老服务中心建设的建议", "社区养老床位不足。")
    registered(world, "关于完善医保异地结算的建议", "异地就医报销繁琐。")
    sign_in(page, "affairs")
    page.goto("/suggestions/office/")
    box = page.locator("[data-testid=list-search-input]")
    box.press_sequentially("養老", delay=50)  # traditional: finds the simplified text
    hit = page.locator("[data-testid=list-search-results] [data-testid=search-hit]")
    hit.first.wait_for()
    assert hit.count() == 1
    assert hit.first.get_attribute("data-id") == str(s.pk)
    assert hit.first.locator("mark").first.inner_text() == "养老"
    assert_accessible(page)
    screenshot(page, "search-office-list-phone")
    box.fill("")
    box.press_sequentially("医保", delay=50)
    page.locator("[data-testid=search-hit] >> text=异地结算").wait_for()
    watch.assert_clean()


def test_search_page_by_keyboard_and_on_a_desktop(
    page: Any, desktop: Any, watch: Any, world: Any
) -> None:
    from renda.search.tests.builders import answered

    answered(world, "关于校车安全的建议", "已为全市校车加装定位设备。")
    sign_in(page, "deputy")
    page.goto("/search/")
    assert_accessible(page)
    page.keyboard.press("Tab")  # skip link first; the box is reachable by keyboard
    page.locator("#id_q").focus()
    page.keyboard.type("5g 校車")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("[data-testid=search-hit]").count() == 0  # no 5g in it
    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially("校車", delay=50)
    page.locator("[data-testid=search-hit] mark").first.wait_for()
    assert page.locator("[data-testid=search-hit]").count() == 2  # suggestion and answer
    screenshot(page, "search-page-phone")
    desktop.sync()
    desktop.goto(page.url)
    desktop.locator("[data-testid=search-hit]").first.wait_for()
    screenshot(desktop, "search-page-desktop")
    watch.assert_clean()


def test_the_submit_form_shows_suggestions_on_the_same_matter(
    page: Any, watch: Any, world: Any
) -> None:
    from renda.search.tests.builders import registered

    s = registered(world, "关于解决老城区停车难问题的建议", "老城区停车位严重不足，乱停车突出。")
    sign_in(page, "deputy")
    page.goto("/suggestions/new/")
    page.locator("input[name=title]").press_sequentially("关于缓解老城区停车难的建议", delay=20)
    item = page.locator("[data-testid=similar-item]")
    item.first.wait_for()
    assert item.first.get_attribute("data-id") == str(s.pk)
    assert "停车" in item.first.inner_text()
    assert_accessible(page)
    screenshot(page, "search-similar-submit-phone")
    watch.assert_clean()
