"""The deputy-affairs office in a real browser: the inbox, registering a submitted suggestion,
assigning it to the education bureau with the unit search, and deciding return requests
(SUG-RETURN). Every page must be clean (no console or CSP errors) and pass the accessibility
check."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted(world: Any, title: str) -> Any:
    from renda.suggestions.actions.submission import create_draft, submit

    s = create_draft(world.city, by=world["deputy"], title=title, body="学校周边公交线路不足。")
    return submit(s, by=world["deputy"])


def _assign_with_search(page: Any, field: str, q: str, unit_pk: int) -> None:
    search = page.locator(f"[data-testid=unit-search-{field}]").first
    # The search asks once typing pauses (300 ms): tick the box only in the list it returns.
    with page.expect_response(lambda r: "/office/units/" in r.url):
        search.fill(q)
    page.wait_for_load_state("networkidle")
    box = page.locator(f"input[name={field}][value='{unit_pk}']").first
    box.wait_for()
    box.check()


def test_office_registers_and_assigns_a_submission_with_the_unit_search(page, watch, world):
    from renda.suggestions.models import Suggestion

    s = _submitted(world, "关于增加学校周边公交线路的建议")
    sign_in(page, "affairs")
    page.goto("/suggestions/office/")
    assert_accessible(page)
    screenshot(page, "office-inbox-phone")
    item = page.locator(f"[data-testid=to-register] [data-testid=inbox-item][data-id='{s.pk}']")
    item.click()
    page.wait_for_url(f"**/suggestions/{s.pk}/")
    assert_accessible(page)
    screenshot(page, "office-detail-submitted-phone")

    page.locator("[data-testid=register]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=assign-form]").is_visible()
    assert_accessible(page)

    # The unit search narrows the list as one types (htmx), then the lead unit is ticked.
    _assign_with_search(page, "lead_units", "教育", world.edu.pk)
    expect(page.locator("#options-lead_units input[name=lead_units]")).to_have_count(1)
    screenshot(page, "office-assign-phone")
    page.locator("[data-testid=assign]").click()
    page.wait_for_load_state()

    s = Suggestion.objects.get(pk=s.pk)
    assert s.state == "assigned"
    due = s.assignments.get(unit=world.edu).answer_deadline.due
    assignments = page.locator("[data-testid=assignments]")
    assert "市教育局" in assignments.inner_text()
    assert due.isoformat() in assignments.inner_text()
    assert_accessible(page)
    screenshot(page, "office-assigned-phone")


def test_office_refuses_and_approves_return_requests(page, watch, world):
    from renda.suggestions.actions.assignment import request_return
    from renda.suggestions.models import ReturnRequest
    from renda.suggestions.tests.assignment_builders import assigned, assignment_of

    kept = assigned(world, leads=("edu",))
    request_return(
        assignment_of(kept, world.edu), reason="应由交通部门办理。", by=world["edu_clerk"]
    )
    moved = assigned(world, leads=("edu",))
    request_return(
        assignment_of(moved, world.edu), reason="线路调整属于交通部门。", by=world["edu_clerk"]
    )

    sign_in(page, "affairs")
    page.goto("/suggestions/office/")
    assert page.locator("[data-testid=returns] [data-testid=return-item]").count() == 2
    page.locator(f"[data-testid=returns] a[href='/suggestions/{kept.pk}/']").click()
    page.wait_for_url(f"**/suggestions/{kept.pk}/")
    assert_accessible(page)
    screenshot(page, "office-return-request-phone")
    form = page.locator("[data-testid=decide-form]")
    form.locator("[data-testid=refuse]").check()
    form.locator("[data-testid=note]").fill("学校周边交通安全属于教育部门牵头职责。")
    form.locator("[data-testid=decide]").click()
    page.wait_for_load_state()
    assert ReturnRequest.objects.get(assignment__suggestion=kept).state == "refused"
    assert page.locator("[data-testid=decide-form]").count() == 0

    page.goto(f"/suggestions/{moved.pk}/")
    form = page.locator("[data-testid=decide-form]")
    form.locator("[data-testid=approve]").check()
    _assign_with_search(page, "new_lead_units", "交通", world.transport.pk)
    form.locator("[data-testid=decide]").click()
    page.wait_for_load_state()
    assert ReturnRequest.objects.get(assignment__suggestion=moved).state == "approved"
    assert "市交通运输局" in page.locator("[data-testid=assignments]").inner_text()
    assert_accessible(page)
