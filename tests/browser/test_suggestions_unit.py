"""The handling unit in a real browser: its queue (soonest due first), logging a contact with the
deputy, the head's sign-off ("一把手"负责制), a B answer with a commitment (SUG-CATEGORY), and the
reply letter download. Every page must be clean and accessible."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from renda.suggestions.tests.assignment_builders import assigned

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_handles_and_answers_an_assigned_suggestion(page: Any, watch: Any, world: Any) -> None:
    from renda.suggestions.models import Answer, Contact

    s = assigned(world, leads=("edu",))

    # The clerk finds it in the unit's queue, with its due date, and logs a phone call.
    sign_in(page, "edu_clerk")
    page.goto("/suggestions/unit/")
    row = page.locator("[data-testid=queue-row]").first
    assert s.title in row.inner_text()
    assert row.locator("[data-testid=due]").inner_text().strip()
    assert_accessible(page)
    screenshot(page, "unit-queue-phone")
    row.locator("a").first.click()
    page.wait_for_url(f"**/suggestions/{s.pk}/")
    page.locator("details:has([data-testid=contact-form]) > summary").click()
    form = page.locator("[data-testid=contact-form]")
    form.locator("select[name$='-stage']").select_option("before")
    form.locator("select[name$='-method']").select_option("phone")
    form.locator("input[name$='-happened_on']").fill(timezone.localdate().isoformat())
    form.locator("textarea[name$='-note']").fill("电话联系代表，了解学校周边交通情况。")
    form.locator("button").click()
    page.wait_for_load_state()
    assert Contact.objects.filter(assignment__suggestion=s).count() == 1
    assert page.locator("[data-testid=waiting-sign-off]").is_visible()
    assert_accessible(page)

    # The head signs off.
    page.context.clear_cookies()
    sign_in(page, "edu_head")
    page.goto(f"/suggestions/{s.pk}/")
    page.locator("[data-testid=sign-off]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=signed-off]").is_visible()

    # The clerk sends a B answer: a plan, a date and one commitment.
    page.context.clear_cookies()
    sign_in(page, "edu_clerk")
    page.goto(f"/suggestions/{s.pk}/")
    answer = page.locator("[data-testid=answer-form]")
    answer.locator("input[name$='-category'][value=B]").check()
    answer.locator("textarea[name$='-text']").fill("已会同交通部门研究，拟新增一条公交线路。")
    answer.locator("textarea[name$='-plan']").fill("明年春季学期开学前开通。")
    later = (timezone.localdate() + timedelta(days=120)).isoformat()
    answer.locator("input[name$='-planned_date']").fill(later)
    answer.locator("[name$='-commitment_1_text']").fill("开通学校周边公交线路")
    answer.locator("input[name$='-commitment_1_due']").fill(later)
    screenshot(page, "unit-answer-form-phone")
    answer.locator("button").click()
    page.wait_for_load_state()
    sent = Answer.objects.get(assignment__suggestion=s)
    assert sent.category == "B"
    assert sent.commitments.count() == 1
    assert_accessible(page)
    screenshot(page, "unit-answered-phone")

    # The reply letter downloads as a Word file holding the answer.
    with page.expect_download() as info:
        page.locator("[data-testid=reply-letter]").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    from docx import Document

    text = "\n".join(
        p.text for p in Document(io.BytesIO(open(download.path(), "rb").read())).paragraphs
    )
    assert "拟新增一条公交线路" in text
