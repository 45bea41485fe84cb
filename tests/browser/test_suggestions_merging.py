"""Joint handling (并案办理, issue 7 point 4) in a real browser: the office, on the page of a
submission it is about to register, sees an assigned suggestion on the same matter and merges the
new one into it; once the unit answers the primary, the merged suggestion's lead deputy finds the
joint answer on their own suggestion's page and rates it for their own suggestion; once the
primary's deputy rates too, both are closed; the office sees every sponsor's rating on the
primary's page. Pages stay clean and pass the accessibility check."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_merges_from_the_register_page_and_the_deputy_sees_the_joint_answer(
    page: Any, watch: Any, world: Any, desktop: Any
) -> None:
    from renda.search.tests.builders import registered, submitted
    from renda.suggestions.actions.assignment import assign
    from renda.suggestions.models import Suggestion
    from renda.suggestions.tests.answer_builders import give_answer, signed_off

    primary = assign(
        registered(world, "关于解决老城区停车难问题的建议", "老城区停车位严重不足。"),
        lead_units=[world.edu],
        co_units=[],
        by=world["affairs"],
    )
    new = submitted(
        world, "关于缓解老城区停车难的建议", "老城区停车位不足，乱停车突出。", deputy="deputy2"
    )
    sign_in(page, "affairs")
    page.goto(f"/suggestions/{new.pk}/")
    item = page.locator(f"[data-testid=similar-item][data-id='{primary.pk}']")
    item.wait_for()
    assert_accessible(page)
    screenshot(page, "merge-register-page-phone")
    desktop.sync()
    desktop.goto(page.url)
    desktop.locator("[data-testid=merge-into]").first.wait_for()
    screenshot(desktop, "merge-register-page-desktop")
    item.locator("[data-testid=merge-into]").click()
    page.wait_for_url(f"**/suggestions/{new.pk}/")
    assert Suggestion.objects.get(pk=new.pk).state == "merged"
    assert primary.number in page.locator("[data-testid=merged-into]").inner_text()
    assert_accessible(page)
    screenshot(page, "merge-merged-page-phone")

    signed_off(world, primary, "edu")
    give_answer(world, primary, text="已在老城区新建两处停车场。")
    page.context.clear_cookies()
    sign_in(page, "deputy2")
    page.goto(f"/suggestions/{new.pk}/")
    assert "已在老城区新建两处停车场。" in page.content()
    assert page.locator("[data-testid=unmerge]").count() == 0
    assert_accessible(page)
    screenshot(page, "merge-deputy-sees-joint-answer-phone")
    desktop.sync()
    desktop.goto(page.url)
    screenshot(desktop, "merge-deputy-sees-joint-answer-desktop")

    # The merged suggestion's deputy rates the joint answer on their own page (phone).
    form = page.locator("form[action*='/rate/']")
    form.get_by_label("基本满意").check()
    form.get_by_role("button", name="提交测评").click()
    page.wait_for_url(f"**/suggestions/{new.pk}/")
    page.locator("[data-testid=evaluation]").wait_for()
    assert "基本满意" in page.locator("[data-testid=evaluation]").inner_text()
    assert_accessible(page)
    screenshot(page, "merge-deputy-rated-joint-answer-phone")

    # The office finds that rating under the answer on the primary's page.
    page.context.clear_cookies()
    sign_in(page, "affairs")
    page.goto(f"/suggestions/{primary.pk}/")
    ratings = page.locator("[data-testid=joint-ratings]")
    assert new.number in ratings.inner_text() and "基本满意" in ratings.inner_text()
    assert_accessible(page)
    screenshot(page, "merge-office-sees-sponsor-ratings-phone")
    from renda.suggestions.actions.answers import evaluate

    evaluate(primary, unit=world.edu, rating="satisfied", by=world["deputy"])
    assert Suggestion.objects.get(pk=new.pk).state == "closed"
    assert Suggestion.objects.get(pk=primary.pk).state == "closed"
    watch.assert_clean()
