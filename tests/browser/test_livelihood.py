"""Livelihood projects in a real browser (issue 6): a citizen proposes a project on a phone;
the government side drafts a candidate and the congress office approves it; the public progress
board shows a late and a done project with the map. Pages must be clean (no console or CSP
errors), fit the phone's width and pass the accessibility check; no proposer's name or phone
ever shows in public."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from renda.livelihood import actions
from renda.livelihood.models import Project, Proposal
from renda.livelihood.tests import builders as b

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, PHONE = "王大妈", "13700001111"


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width


def test_citizen_proposes_a_project_on_a_phone(
    page: Any, desktop: Any, watch: Any, world: Any
) -> None:
    caches["ratelimit"].clear()  # a flushed test database keeps the counters' table
    plan = b.plan(world)
    page.goto("/minsheng/")
    _fits(page)
    assert_accessible(page)
    screenshot(page, "livelihood-index-phone")
    page.locator("[data-testid=propose-link]").first.click()
    page.wait_for_url(f"**/minsheng/{plan.pk}/propose/")
    assert page.locator("input[name=website]").is_hidden()  # the honeypot
    _fits(page)
    assert_accessible(page)
    screenshot(page, "livelihood-propose-phone")
    page.locator("input[name=title]").fill("老旧小区加装电梯")
    page.locator("textarea[name=text]").fill("我们小区六层没有电梯，老人上下楼很难。")
    page.locator("input[name=location]").fill("鹿城区五马街道")
    page.locator("input[name=name]").fill(NAME)
    page.locator("input[name=phone]").fill(PHONE)
    page.locator("[data-testid=proposal-submit]").click()
    page.wait_for_url(f"**/minsheng/{plan.pk}/thanks/")
    assert page.locator("[data-testid=proposal-thanks]").is_visible()
    content = page.content()
    assert NAME not in content and PHONE not in content
    _fits(page)
    assert_accessible(page)
    screenshot(page, "livelihood-thanks-phone")
    proposal = Proposal.objects.get()
    assert (proposal.name, proposal.phone, proposal.source) == (NAME, PHONE, "public")
    desktop.goto(f"/minsheng/{plan.pk}/propose/")
    screenshot(desktop, "livelihood-propose-desktop")


def test_government_side_screens_and_the_office_approves(
    page: Any, desktop: Any, watch: Any, world: Any
) -> None:
    plan = b.plan(world)
    actions.propose(plan, title="社区老年食堂", text="老人吃饭难。", name=NAME, phone=PHONE)
    actions.close_collection(plan, by=world["affairs"])
    sign_in(page, "supervisor")
    page.goto(f"/livelihood/plan/{plan.pk}/")
    assert PHONE in page.locator("[data-testid=proposals]").inner_text()  # staff see the contact
    _fits(page)
    assert_accessible(page)
    page.locator("[data-testid=new-candidate]").click()
    page.wait_for_url(f"**/livelihood/plan/{plan.pk}/candidate/new/")
    _fits(page)
    assert_accessible(page)
    screenshot(page, "livelihood-candidate-form-phone")
    page.locator("input[name=title]").fill("社区老年食堂全覆盖")
    page.locator("textarea[name=content]").fill("新建社区老年食堂 80 家。")
    page.locator("select[name=lead_unit]").select_option(label=world.edu.name)
    page.locator("input[name=budget]").fill("24000000")
    page.locator("input[name=funding_source]").fill("市级财政")
    page.locator("input[name=timeline]").fill("全年")
    page.locator("textarea[name=expected_outcome]").fill("城市社区全覆盖")
    page.locator("select[name=proposals]").select_option(index=0)
    page.locator("[data-testid=candidate-save]").click()
    page.wait_for_url("**/livelihood/project/*/")
    page.locator("[data-testid=submit-candidate]").click()
    page.wait_for_load_state()
    project = Project.objects.get()
    assert project.state == "submitted" and project.proposals.count() == 1
    assert page.locator("[data-testid=project-state]").inner_text().strip() == "已报送审核"

    page.context.clear_cookies()
    sign_in(page, "affairs")
    page.goto(f"/livelihood/project/{project.pk}/")
    _fits(page)
    assert_accessible(page)
    screenshot(page, "livelihood-review-phone")
    page.locator("[data-testid=approve]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=project-state]").inner_text().strip() == "审核通过"
    assert Project.objects.get().state == "approved"
    desktop.sync()
    desktop.goto(f"/livelihood/plan/{plan.pk}/")
    assert "审核通过" in desktop.locator("[data-testid=candidates]").inner_text()
    assert_accessible(desktop)
    screenshot(desktop, "livelihood-plan-desktop")


def test_public_board_shows_a_late_and_a_done_project(
    page: Any, desktop: Any, watch: Any, world: Any
) -> None:
    plan, chosen = b.chosen(world)
    late, done = chosen
    Project.objects.filter(pk=late.pk).update(latitude="28.012", longitude="120.654")
    Project.objects.filter(pk=done.pk).update(latitude="27.935", longitude="120.810")
    actions.add_milestone(late, title="开工建设", planned_on=b.some_day(-10), by=world["affairs"])
    actions.file_report(
        done,
        month=f"{b.some_day(0):%Y-%m}",
        text="全部完工",
        percent=100,
        spent="1100000",
        by=world["edu_clerk"],
    )
    actions.complete_project(done, done_on=b.some_day(0), by=world["edu_clerk"])
    page.goto(f"/minsheng/{plan.pk}/")
    assert page.locator("[data-testid=count-late]").inner_text() == "1"
    assert page.locator("[data-testid=count-done]").inner_text() == "1"
    assert page.locator("[data-testid=board-project][data-progress=late]").count() == 1
    assert page.locator("[data-testid=board-project][data-progress=done]").count() == 1
    assert page.locator("[data-testid=board-map] circle").count() == 2
    assert "91.7%" in page.locator("[data-testid=board-project][data-progress=done]").inner_text()
    _fits(page)
    assert_accessible(page)
    screenshot(page, "livelihood-board-phone")
    desktop.goto(f"/minsheng/{plan.pk}/")
    assert_accessible(desktop)
    screenshot(desktop, "livelihood-board-desktop")
