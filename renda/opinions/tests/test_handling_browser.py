"""Handling in a real browser on a phone: station staff find an opinion in their queue, see the
citizen's phone, refer it to a unit (the due date by the legal calendar); the unit's clerk
answers it; staff answer another on the spot. Every page clean and accessible."""

from __future__ import annotations

from typing import Any

import pytest

from renda.opinions.choices import OpinionState
from tests.browser.conftest import Watch, assert_accessible, screenshot, sign_in

from .handling_builders import CITIZEN_PHONE, opinion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watch(page: Any) -> Any:
    w = Watch()
    w.attach(page)
    yield w
    w.assert_clean()


def test_staff_triage_and_refer_then_the_unit_answers(page: Any, watch: Any, world: Any) -> None:
    op = opinion(world)
    sign_in(page, "station")
    page.goto("/opinions/handling/?state=to_triage")
    row = page.locator("[data-testid=queue-row]").first
    assert "公共交通" in row.inner_text() or row.inner_text()
    assert_accessible(page)
    screenshot(page, "opinions-queue-phone")
    row.locator("a").first.click()
    page.wait_for_url(f"**/opinions/handling/{op.pk}/")
    assert CITIZEN_PHONE in page.locator("[data-testid=citizen]").inner_text()
    assert_accessible(page)
    page.locator("[data-testid=outcome-refer] > summary").click()
    page.locator("[data-testid=refer-unit]").select_option(str(world.edu.pk))
    screenshot(page, "opinions-triage-phone")
    page.locator("[data-testid=submit-refer]").click()
    page.wait_for_load_state()
    op.refresh_from_db()
    assert op.state == OpinionState.REFERRED
    due = op.referrals.get().due
    assert due.isoformat() in page.locator("[data-testid=referral-due]").inner_text()
    assert page.locator("[data-testid=triage]").count() == 0  # nothing left to triage

    page.context.clear_cookies()
    sign_in(page, "edu_clerk")
    page.goto("/opinions/handling/")
    page.locator("[data-testid=queue-row] a").first.click()
    page.wait_for_url(f"**/opinions/handling/{op.pk}/")
    page.locator("#id_answer_text").fill("已安排在示范路公交站台加装雨棚，预计两周内完工。")
    assert_accessible(page)
    screenshot(page, "opinions-unit-answer-phone")
    page.locator("[data-testid=submit-answer]").click()
    page.wait_for_load_state()
    op.refresh_from_db()
    assert op.state == OpinionState.ANSWERED
    assert "加装雨棚" in page.locator("[data-testid=opinion-answer]").inner_text()
    assert page.locator("[data-testid=unit-answer]").count() == 0


def test_staff_answer_on_the_spot_and_see_a_refusal(page: Any, watch: Any, world: Any) -> None:
    op = opinion(world)
    sign_in(page, "station")
    page.goto(f"/opinions/handling/{op.pk}/")
    # Merge into itself: refused on the form (422), nothing written.
    watch.allowed_statuses.add(422)
    page.locator("[data-testid=outcome-merge] > summary").click()
    page.locator("#t-merge-into").fill(str(op.pk))
    page.locator("[data-testid=submit-merge]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=triage-error]").is_visible()
    assert_accessible(page)
    page.locator("[data-testid=outcome-answered] > summary").click()
    page.locator("#t-answered-text").fill("公交公司已确认下周加装雨棚。")
    page.locator("[data-testid=submit-answered]").click()
    page.wait_for_load_state()
    op.refresh_from_db()
    assert op.state == OpinionState.ANSWERED
