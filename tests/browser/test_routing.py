"""Assignment proposals in a real browser: the assign form shows the proposed lead units with
score and reason (htmx), one click ticks the proposed unit, the assignment records the office's
choice beside the proposal, and the overview shows the accuracy in use. Pages clean (console,
CSP) and accessible, on a phone and a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trained(world: Any, settings: Any, tmp_path: Any) -> Any:
    from renda.routing import training
    from renda.routing.actions import import_history, train_model
    from renda.routing.tests.archive import rows, write_csv

    settings.DATA_DIR = tmp_path
    training._cache.clear()
    import_history(world.city, write_csv(tmp_path / "h.csv", rows(80)))
    return train_model(world.city).trained


def test_office_picks_a_proposed_unit_in_one_click(page, desktop, watch, world, trained):
    from renda.routing.models import Proposal
    from renda.suggestions.tests.assignment_builders import registered

    s = registered(world, title="关于增加农村学校教师编制的建议")
    sign_in(page, "affairs")
    page.goto(f"/suggestions/{s.pk}/office/assign/")
    proposals = page.locator("[data-testid=proposal]")
    expect(proposals.first).to_be_visible()
    expect(proposals.first).to_contain_text("市教育局")
    expect(proposals.first).to_contain_text("%")
    assert_accessible(page)

    box = page.locator(f"#options-lead_units input[name=lead_units][value='{world.edu.pk}']")
    expect(box).not_to_be_checked()
    with page.expect_response(lambda r: "/office/units/" in r.url):
        page.locator("[data-testid=pick-proposal]").first.click()
    expect(box).to_be_checked()
    screenshot(page, "routing-assign-phone")
    desktop.sync()
    desktop.goto(f"/suggestions/{s.pk}/office/assign/")
    expect(desktop.locator("[data-testid=proposal]").first).to_be_visible()
    screenshot(desktop, "routing-assign-desktop")

    page.locator("[data-testid=assign]").click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get(suggestion=s)
    assert proposal.chosen == [world.edu.pk]

    page.goto("/routing/")
    expect(page.locator("[data-testid=in-use]")).to_contain_text("1")
    assert_accessible(page)
    screenshot(page, "routing-overview-phone")
    desktop.goto("/routing/")
    screenshot(desktop, "routing-overview-desktop")


def test_without_history_the_form_proposes_nothing_and_says_so(
    page, watch, world, settings, tmp_path
):
    from renda.suggestions.tests.assignment_builders import registered

    settings.DATA_DIR = tmp_path
    s = registered(world)
    sign_in(page, "affairs")
    page.goto(f"/suggestions/{s.pk}/office/assign/")
    expect(page.locator("[data-testid=no-proposals]")).to_contain_text("历史数据太少")
