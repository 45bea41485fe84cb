"""Votes in a real browser (issue 6): a deputy votes on a phone-sized screen (at most M
enforced in the page, a confirmation step, the receipt shown once, the receipt check); the
office keeps the roll (quorum updates live), opens and closes a ballot and shows the result on
the projector view. Pages must be clean (no console or CSP errors) and accessible."""

from __future__ import annotations

import pytest

from .conftest import accessibility_problems, assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session(world):
    from renda.votes.tests.builders import meeting

    people = [world[u] for u in ("deputy", "deputy2", "sc_member")]
    return meeting(world, people, kind="congress_session")


def test_a_deputy_votes_on_a_phone(page, desktop, watch, world):
    from renda.votes.actions import open_ballot
    from renda.votes.models import Paper
    from renda.votes.tests.builders import livelihood

    b = livelihood(world, _session(world), n=6, max_choices=3)
    open_ballot(b, by=world["affairs"])
    sign_in(page, "deputy")
    page.locator("section[aria-labelledby=panel-votes-open] a", has_text=b.title).first.click()
    page.wait_for_url(f"**/votes/ballots/{b.pk}/vote/")
    assert_accessible(page)
    boxes = page.locator("input[name=choice]")
    for i in range(3):
        boxes.nth(i).check()
    assert page.locator(".js-count").inner_text() == "3"
    assert boxes.nth(3).is_disabled() and boxes.nth(5).is_disabled()  # at most M, in the page
    screenshot(page, "votes-form-phone")
    page.get_by_role("button", name="核对我的投票").click()
    assert page.locator("[data-testid=review] li").count() == 3
    assert_accessible(page)
    screenshot(page, "votes-confirm-phone")
    assert not Paper.objects.exists()
    page.get_by_role("button", name="提交投票").click()
    receipt = page.locator("[data-testid=receipt]").inner_text().strip()
    assert len(receipt) == 17 and Paper.objects.count() == 1
    assert_accessible(page)
    screenshot(page, "votes-receipt-phone")
    page.goto("/votes/")
    assert page.locator("[data-testid=voted-badge]").is_visible()
    assert_accessible(page)
    screenshot(page, "votes-mine-phone")
    page.goto("/votes/receipt/")
    page.locator("#id_receipt").fill(receipt.replace("-", " ").lower())
    page.get_by_role("button", name="查验", exact=True).click()
    result = page.locator("[data-testid=receipt-result]")
    assert "已记录" in result.inner_text() and "项目1" in result.inner_text()
    assert_accessible(page)
    screenshot(page, "votes-check-phone")
    desktop.sync()
    desktop.goto(f"/votes/ballots/{b.pk}/vote/")
    assert desktop.locator("[data-testid=already-voted]").is_visible()
    screenshot(desktop, "votes-voted-desktop")
    watch.assert_clean()


def test_the_office_keeps_the_roll_opens_closes_and_projects_the_result(
    page, desktop, watch, world
):
    from renda.votes.actions import cast_vote
    from renda.votes.tests.builders import choice_ids, motion

    m = _session(world)
    b = motion(world, m)
    sign_in(page, "affairs")
    page.goto(f"/votes/meetings/{m.pk}/")
    assert_accessible(page)
    screenshot(page, "votes-meeting-phone")
    desktop.sync()
    desktop.goto("/votes/meetings/")
    assert desktop.locator("[data-testid=meeting-row]").count() == 1
    assert_accessible(desktop)
    screenshot(desktop, "votes-meetings-desktop")
    desktop.goto(f"/votes/meetings/{m.pk}/")
    quorum = desktop.locator("[data-testid=quorum]")
    assert "3" in quorum.inner_text()
    row = desktop.locator(f"#roll-{world['sc_member'].pk}")
    row.locator("button[value=leave]").click()
    desktop.wait_for_function(
        "() => document.querySelector('[data-testid=quorum]').textContent.includes('请假 1')"
    )
    assert (
        "请假"
        in desktop.locator(f"#roll-{world['sc_member'].pk} [data-testid=roll-state]").inner_text()
    )
    assert_accessible(desktop)
    screenshot(desktop, "votes-meeting-desktop")
    desktop.get_by_role("button", name="开始表决").click()
    desktop.wait_for_url(f"**/votes/meetings/{m.pk}/")
    assert desktop.get_by_role("button", name="结束表决并显示结果").is_visible()
    cid = choice_ids(b)[0]
    cast_vote(b, voter=world["deputy"], answers={cid: "yes"})
    cast_vote(b, voter=world["deputy2"], answers={cid: "yes"})
    desktop.set_viewport_size({"width": 1920, "height": 1080})
    desktop.get_by_role("button", name="结束表决并显示结果").click()
    desktop.wait_for_url(f"**/votes/ballots/{b.pk}/projector/")
    projector = desktop.locator("[data-testid=projector]")
    assert "通过" in projector.inner_text()
    assert desktop.locator("[data-nav]").count() == 0  # no navigation on the projector
    size = desktop.evaluate("() => [document.body.scrollWidth, document.body.scrollHeight]")
    assert size[0] <= 1920 and size[1] <= 1080  # fits the hall's screen
    # The projector page has no header, navigation or footer by design: every other check holds.
    shell_only = ("no <header>", "no <nav>", "no <footer>", "no aria-live", "the skip link")
    problems = [p for p in accessibility_problems(desktop) if not p.startswith(shell_only)]
    assert not problems, problems
    screenshot(desktop, "votes-projector-1920")
    page.goto(f"/votes/ballots/{b.pk}/")
    assert page.locator("[data-testid=tally-row]").count() == 1
    assert_accessible(page)
    screenshot(page, "votes-result-phone")
    watch.assert_clean()
