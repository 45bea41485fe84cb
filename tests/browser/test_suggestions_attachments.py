"""Attachments in a real browser (issue 3 point 1): the deputy attaches a file on the write page
(a plain form, no JavaScript needed), sees it listed with its size, submits; the office opens the
suggestion and downloads the file, which arrives as a download with its Chinese name. Pages must
be clean (no console or CSP errors) and pass the accessibility check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from renda.suggestions.tests import attachment_files as files

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "学校周边交通调研报告.pdf"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_deputy_attaches_a_file_submits_and_the_office_downloads_it(
    page: Any, watch: Any, world: Any, tmp_path: Path
) -> None:
    from renda.suggestions.models import Attachment, Suggestion

    pdf = tmp_path / NAME
    pdf.write_bytes(files.PDF)
    sign_in(page, "deputy")
    page.goto("/suggestions/new/")
    assert page.locator("[data-testid=attach-after-save]").is_visible()
    page.locator("input[name=title]").fill("关于增加学校周边公交线路的建议")
    page.locator("textarea[name=body]").fill("学校周边公交线路不足，附调研报告。")
    page.locator("button[name=save]").click()
    page.wait_for_url("**/suggestions/*/edit/")
    draft = Suggestion.objects.get()

    form = page.locator("[data-testid=attachment-form]")
    form.locator("input[type=file]").set_input_files(str(pdf))
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/suggestions/{draft.pk}/edit/")
    item = page.locator("[data-testid=attachment]")
    assert item.count() == 1 and NAME in item.inner_text()
    assert Attachment.objects.get().name == NAME
    assert_accessible(page)
    screenshot(page, "deputy-write-attachment-phone")

    page.locator("[data-testid=submit]").click()
    page.wait_for_url(f"**/suggestions/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.state == "submitted"
    # Submitted, not registered: the lead deputy may still change the files on the detail page.
    assert page.locator("[data-testid=attachment-form]").count() == 1

    page.context.clear_cookies()
    sign_in(page, "affairs")
    page.goto(f"/suggestions/{draft.pk}/")
    link = page.locator("[data-testid=attachment] a")
    assert link.inner_text() == NAME
    assert page.locator("[data-testid=attachment-form]").count() == 0
    assert_accessible(page)
    screenshot(page, "office-detail-attachment-phone")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == NAME
    assert Path(download.path()).read_bytes() == files.PDF
    watch.assert_clean()
