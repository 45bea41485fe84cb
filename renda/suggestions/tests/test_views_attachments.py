"""Attachment pages (issue 3 point 1): the upload on the write page and the detail page (no
JavaScript needed), removal, the permission-checked download for every role, the public page
never listing attachments, and the history showing words instead of verb codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import WORLD_USERS
from renda.suggestions.actions.attachments import add_attachment
from renda.suggestions.models import Attachment
from renda.suggestions.tests.answer_builders import answered

from . import attachment_files as files
from .test_api_attachments import SEES, assigned_with_file, stored, submitted  # noqa: F401

OFFICE = {"admin", "affairs", "committee", "supervisor", "leader"}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(world: Any) -> Any:
    from renda.suggestions.actions.submission import create_draft

    return create_draft(world.city, by=world["deputy"], title="关于增设社区托育点的建议")


def upload(client: Any, suggestion: Any, name: str, content: bytes, back: str = "edit") -> Any:
    return client.post(
        reverse("suggestions:attachment_add", args=[suggestion.pk]),
        {"file": files.upload(name, content), "back": back},
        follow=True,
    )


def test_write_page_offers_the_upload_with_limits_once_the_draft_exists(world, signed_in, draft):
    c = signed_in("deputy")
    new = c.get(reverse("suggestions:new")).content.decode()
    assert 'data-testid="attach-after-save"' in new and 'type="file"' not in new
    page = c.get(reverse("suggestions:edit", args=[draft.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert 'for="attachment-file"' in page  # labelled for screen readers
    assert "each at most 20 MB, up to 10 files" in page


def test_deputy_attaches_sees_it_listed_and_removes_it(world, signed_in, draft, media):
    c = signed_in("deputy")
    r = upload(c, draft, "调研报告.docx", files.docx())
    assert r.redirect_chain[-1][0] == reverse("suggestions:edit", args=[draft.pk])
    html = r.content.decode()
    assert "调研报告.docx" in html and "Attached" in html
    a = Attachment.objects.get()
    assert reverse("suggestions:attachment_download", args=[draft.pk, a.pk]) in html
    r = c.post(
        reverse("suggestions:attachment_remove", args=[draft.pk, a.pk]),
        {"back": "edit"},
        follow=True,
    )
    assert "Removed" in r.content.decode() and not Attachment.objects.exists()


def test_refused_upload_says_why_and_leaves_nothing(world, signed_in, draft, media):
    r = upload(signed_in("deputy"), draft, "photo.png", files.SVG)
    html = r.content.decode()
    assert "The file was not attached" in html and "is not a PNG file" in html
    assert stored(media) == [] and not Attachment.objects.exists()


@override_settings(RENDA_ATTACHMENT_MAX_MB=0.01)
def test_oversized_upload_on_the_page_is_refused_clearly(world, signed_in, draft, media):
    r = upload(signed_in("deputy"), draft, "big.pdf", files.PDF + b"%" * 20_000)
    assert r.status_code == 200 and "larger than the limit" in r.content.decode()
    assert stored(media) == []


@pytest.mark.parametrize("username", WORLD_USERS)
def test_add_page_permission_matrix(world, signed_in, submitted, media, username):  # noqa: F811
    """Only the lead deputy adds; office staff who see it are told no; others get 404."""
    r = signed_in(username).post(
        reverse("suggestions:attachment_add", args=[submitted.pk]),
        {"file": files.upload("a.pdf", files.PDF), "back": "detail"},
    )
    expected = 404 if username not in OFFICE | {"deputy"} else 302
    assert r.status_code == expected
    assert Attachment.objects.count() == (1 if username == "deputy" else 0)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_remove_page_permission_matrix(world, signed_in, submitted, media, username):  # noqa: F811
    a = add_attachment(submitted, files.upload("a.pdf", files.PDF), by=world["deputy"])
    r = signed_in(username).post(
        reverse("suggestions:attachment_remove", args=[submitted.pk, a.pk]), {"back": "detail"}
    )
    assert r.status_code == (404 if username not in OFFICE | {"deputy"} else 302)
    assert Attachment.objects.exists() is (username != "deputy")


@pytest.mark.parametrize("username", WORLD_USERS)
def test_detail_lists_and_download_permission_matrix(
    world,
    signed_in,
    assigned_with_file,  # noqa: F811
    username,
):
    s, a = assigned_with_file
    url = reverse("suggestions:attachment_download", args=[s.pk, a.pk])
    page = signed_in(username).get(reverse("suggestions:detail", args=[s.pk]))
    download = signed_in(username).get(url)
    if username in SEES:
        assert page.status_code == 200 and a.name in page.content.decode()
        assert url in page.content.decode()
        assert 'name="file"' not in page.content.decode()  # registered: no more uploads
        assert download.status_code == 200
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"].startswith("attachment;")
        assert b"".join(download.streaming_content) == files.PDF
    else:
        assert page.status_code == 404 and download.status_code == 404


def test_anonymous_cannot_download(world, client, assigned_with_file):  # noqa: F811
    s, a = assigned_with_file
    r = client.get(reverse("suggestions:attachment_download", args=[s.pk, a.pk]))
    assert r.status_code == 302 and "/login" in r["Location"]


def test_download_through_another_suggestion_is_404(world, signed_in, assigned_with_file, draft):  # noqa: F811
    _s, a = assigned_with_file
    url = reverse("suggestions:attachment_download", args=[draft.pk, a.pk])
    assert signed_in("deputy").get(url).status_code == 404


def test_public_page_never_lists_attachments(world, client, media):
    """Attachments may hold personal data: the published answer's page shows none of them."""
    from renda.suggestions.models import Suggestion

    s = answered(world)
    a = Attachment.objects.create(
        suggestion=s,
        file="attachments/0123456789abcdef0123456789abcdef",
        name="身份证复印件.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=world["deputy"],
    )
    assert Suggestion.objects.filter(pk=s.pk).exists()
    html = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    assert s.title in html
    assert "身份证复印件" not in html and f"/attachments/{a.pk}" not in html
    listing = client.get(reverse("suggestions:public_list")).content.decode()
    assert "身份证复印件" not in listing


# --- History words (issue 3: every transition in the history on its page) ---------------------
def test_history_shows_words_not_verb_codes(world, signed_in):
    s = answered(world)
    html = signed_in("deputy").get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    for words in ("Registered", "Assigned to handling units", "Answered", "Submitted"):
        assert f">{words}</span>" in html
    assert ">suggestion.registered<" not in html
    assert 'data-verb="suggestion.registered"' in html


@pytest.mark.chinese
def test_history_words_are_chinese_by_default(world, signed_in):
    s = answered(world)
    html = signed_in("deputy").get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert ">立案</span>" in html and ">交办承办单位</span>" in html
