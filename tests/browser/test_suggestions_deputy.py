"""A deputy and a citizen in a real browser: writing a draft (autosaved as one types),
submitting it and finding it numbered in My suggestions; rating an answer (SUG-FEEDBACK);
an anonymous citizen finding a published answer with the phone number masked (SUG-PUBLIC).
Every page must be clean (no console or CSP errors) and pass the accessibility check."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_deputy_writes_a_draft_that_autosaves_then_submits_it(page: Any, watch: Any, world: Any):
    from renda.suggestions.models import Suggestion

    sign_in(page, "deputy")
    page.goto("/suggestions/mine/")
    assert_accessible(page)
    screenshot(page, "deputy-mine-empty-phone")
    page.locator("[data-testid=write-new]").click()
    page.wait_for_url("**/suggestions/new/")
    assert_accessible(page)

    page.locator("input[name=title]").fill("关于增设社区托育点的建议")
    page.locator("textarea[name=body]").fill("双职工家庭托育难，建议在每个街道增设普惠托育点。")
    # The autosave (htmx, a moment after typing stops) creates the draft and says so.
    page.locator("[data-testid=autosave-saved]").wait_for(timeout=10_000)
    draft = Suggestion.objects.get()
    assert draft.state == "draft"
    assert draft.body.startswith("双职工家庭")
    assert page.locator("#draft-id").get_attribute("value") == str(draft.pk)
    page.wait_for_url(f"**/suggestions/{draft.pk}/edit/")
    screenshot(page, "deputy-write-autosaved-phone")

    page.locator("[data-testid=submit]").click()
    page.wait_for_url(f"**/suggestions/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "submitted" and draft.number
    assert page.locator("[data-testid=suggestion-number]").inner_text() == draft.number
    assert_accessible(page)
    assert Suggestion.objects.count() == 1  # the autosaved draft, not a second copy

    page.goto("/suggestions/mine/")
    row = page.locator("[data-testid=mine] tbody tr").first
    assert draft.number in row.inner_text()
    assert "关于增设社区托育点的建议" in row.inner_text()
    assert row.locator("[data-state=submitted]").count() == 1
    assert_accessible(page)
    screenshot(page, "deputy-mine-phone")
    watch.assert_clean()


def test_motion_without_cosigners_says_how_many_more_are_needed(page: Any, watch: Any, world: Any):
    """MOTION-COSIGN: the refusal is on the form (a 422 page), with how many more are needed."""
    watch.allowed_statuses.add(422)
    sign_in(page, "deputy")
    page.goto("/suggestions/new/")
    page.locator("select[name=kind]").select_option("motion")
    page.locator("input[name=title]").fill("关于制定养老服务条例的议案")
    page.locator("textarea[name=body]").fill("议案正文。")
    page.locator("select[name=cosigners]").select_option(str(world["deputy2"].pk))
    page.locator("[data-testid=submit]").click()
    page.wait_for_load_state()
    feedback = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert any("10" in text for text in feedback), feedback
    assert_accessible(page)
    screenshot(page, "deputy-motion-refused-phone")
    watch.assert_clean()


def test_lead_deputy_rates_an_answer(page: Any, watch: Any, world: Any):
    from renda.suggestions.models import Answer, Evaluation
    from renda.suggestions.tests.answer_builders import answered

    s = answered(world)
    answer = Answer.objects.get(assignment__suggestion=s)
    sign_in(page, "deputy")
    page.goto(f"/suggestions/{s.pk}/")
    form = page.locator("[data-testid=rate-form]")
    assert answer.feedback_deadline.due.isoformat() in form.inner_text()
    assert_accessible(page)
    screenshot(page, "deputy-rate-phone")
    form.locator(f"input[name='a{answer.pk}-rating'][value=basically_satisfied]").check()
    form.locator("textarea").fill("线路已开通，希望增加班次。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert Evaluation.objects.get().rating == "basically_satisfied"
    assert page.locator("[data-testid=evaluation]").is_visible()
    assert page.locator("[data-testid=rate-form]").count() == 0
    assert_accessible(page)
    screenshot(page, "deputy-rated-phone")
    watch.assert_clean()


def test_citizen_finds_a_published_answer_with_the_phone_masked(page: Any, watch: Any, world: Any):
    from renda.suggestions.tests.answer_builders import answered

    s = answered(world, text="已采纳，新开通学校专线。咨询请联系王科长，手机13800138000。")
    page.goto("/suggestions/public/")
    assert_accessible(page)
    assert page.locator("input[name=q]").count() == 1  # one search box (issue 7 point 5)
    page.locator("[data-testid=public-search] input[name=q]").fill("公交")
    page.locator("[data-testid=quick-results]").wait_for()  # as-you-type results
    assert not page.locator("[data-testid=public-list]").is_visible()  # replaced while shown
    page.locator("[data-testid=public-search] button[type=submit]").click()
    page.wait_for_load_state()
    results = page.locator("[data-testid=public-results] a")
    assert results.count() == 1
    assert page.locator("[data-testid=public-list]").is_visible()  # the filtered list
    screenshot(page, "public-list-phone")
    results.first.click()
    page.wait_for_url(f"**/suggestions/public/{s.pk}/")
    text = page.locator("[data-testid=public-answer-text]").inner_text()
    assert "138****8000" in text
    assert "13800138000" not in page.content()
    assert s.number in page.content()
    assert (
        world["deputy"].display_name in page.locator("[data-testid=public-sponsors]").inner_text()
    )
    assert_accessible(page)
    screenshot(page, "public-detail-phone")
    watch.assert_clean()


def test_cosigner_withdraws_and_the_lead_removes_an_invitation(page: Any, watch: Any, world: Any):
    """MOTION-COSIGN: until registration a co-signer withdraws their signature and the lead
    deputy withdraws an invitation, each with one button on the suggestion's page."""
    from renda.suggestions.actions.submission import confirm_cosign, create_draft, submit
    from renda.suggestions.models import Sponsor

    s = create_draft(
        world.city,
        by=world["deputy"],
        title="关于延长图书馆开放时间的建议",
        body="建议周末延长市图书馆开放时间。",
        cosigners=[world["deputy2"], world["sc_member"]],
    )
    confirm_cosign(s, by=world["deputy2"])
    s = submit(s, by=world["deputy"])

    sign_in(page, "deputy2")
    page.goto(f"/suggestions/{s.pk}/")
    page.locator("[data-testid=my-signature]").wait_for()
    assert_accessible(page)
    screenshot(page, "deputy-cosigner-withdraw-phone")
    page.locator("[data-testid=withdraw-signature]").click()
    page.wait_for_url("**/suggestions/mine/")
    assert not Sponsor.objects.filter(suggestion=s, deputy=world["deputy2"]).exists()

    page.context.clear_cookies()
    sign_in(page, "deputy")
    page.goto(f"/suggestions/{s.pk}/")
    sponsors = page.locator("[data-testid=sponsors]")
    assert "deputy2" not in sponsors.inner_text()
    assert_accessible(page)
    screenshot(page, "deputy-lead-cosigners-phone")
    page.locator(f"[data-testid=sponsor][data-deputy='{world['sc_member'].pk}'] button").click()
    page.wait_for_url(f"**/suggestions/{s.pk}/")
    assert not Sponsor.objects.filter(suggestion=s, deputy=world["sc_member"]).exists()
    assert page.locator("[data-testid=sponsor]").count() == 1
    watch.assert_clean()


def test_deputy_of_two_congresses_chooses_the_county(page: Any, watch: Any, world: Any):
    """A city and county deputy picks the congress on the write page (the city by default)."""
    from renda.accounts.models import RoleAssignment
    from renda.suggestions.models import Suggestion

    RoleAssignment.objects.create(user=world["deputy"], role="deputy", congress=world.county)
    sign_in(page, "deputy")
    page.goto("/suggestions/new/")
    assert world.city.name in page.locator("[data-testid=write-congress]").inner_text()
    assert_accessible(page)
    page.locator("#congress-choice").select_option(str(world.county.pk))
    page.locator("[data-testid=choose-congress]").click()
    page.wait_for_url(f"**/suggestions/new/?congress={world.county.pk}")
    assert world.county.name in page.locator("[data-testid=write-congress]").inner_text()
    screenshot(page, "deputy-write-congress-picker-phone")
    page.locator("input[name=title]").fill("关于修缮村道的建议")
    page.locator("textarea[name=body]").fill("村道年久失修。")
    page.locator("[data-testid=submit]").click()
    page.wait_for_url("**/suggestions/*/")
    s = Suggestion.objects.get(title="关于修缮村道的建议")
    assert s.congress == world.county and s.state == "submitted"
    watch.assert_clean()
