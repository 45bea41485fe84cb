"""API for attachments (issue 3 point 1): every endpoint × every role of the world (and
anonymous), the upload's refusals as 422 naming `file` (including an upload over the limit, which
is never stored), the download's headers, and `attachments` in the suggestion's detail."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import override_settings

from conftest import WORLD_USERS
from renda.suggestions.actions.assignment import assign
from renda.suggestions.actions.attachments import add_attachment
from renda.suggestions.actions.registration import register
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.models import Attachment

from . import attachment_files as files

OFFICE = {"admin", "affairs", "committee", "supervisor", "leader"}
CHINESE_NAME = "关于公交线路的调研报告.pdf"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def submitted(world: Any) -> Any:
    s = create_draft(world.city, by=world["deputy"], title="关于公交线路的建议", body="正文")
    return submit(s, by=world["deputy"])


@pytest.fixture
def assigned_with_file(world: Any, submitted: Any) -> tuple[Any, Attachment]:
    """Attached before registration, then registered and assigned to the education bureau."""
    a = add_attachment(submitted, files.upload(CHINESE_NAME, files.PDF), by=world["deputy"])
    s = register(submitted, by=world["affairs"])
    s = assign(s, lead_units=[world.edu], co_units=[], by=world["affairs"])
    return s, a


def post_file(api: Any, user: str | None, pk: int, name: str, content: bytes) -> Any:
    client = api(user)
    upload = files.upload(name, content)
    return client.client.post(
        f"/api/v1/suggestions/{pk}/attachments", {"file": upload}, headers=client._headers()
    )


def delete(api: Any, user: str | None, pk: int, aid: int) -> Any:
    client = api(user)
    return client.client.delete(
        f"/api/v1/suggestions/{pk}/attachments/{aid}", headers=client._headers()
    )


# --- permission matrices -----------------------------------------------------------------------
def _add_expect() -> list[tuple[str | None, int]]:
    rows: list[tuple[str | None, int]] = [(None, 401)]
    for u in WORLD_USERS:
        rows.append((u, 201 if u == "deputy" else 403 if u in OFFICE else 404))
    return rows


@pytest.mark.parametrize(("user", "status"), _add_expect())
def test_add_permission_matrix(world, api, submitted, media, user, status):
    r = post_file(api, user, submitted.pk, "报告.pdf", files.PDF)
    assert r.status_code == status, r.content
    assert Attachment.objects.count() == (1 if status == 201 else 0)
    assert len(stored(media)) == (1 if status == 201 else 0)
    if status == 201:
        a = Attachment.objects.get()
        assert r.json() == {
            "id": a.pk,
            "name": "报告.pdf",
            "size": len(files.PDF),
            "content_type": "application/pdf",
        }


@pytest.mark.parametrize(("user", "status"), _add_expect())
def test_delete_permission_matrix(
    world, api, submitted, media, user, status, django_capture_on_commit_callbacks
):
    a = add_attachment(submitted, files.upload("报告.pdf", files.PDF), by=world["deputy"])
    with django_capture_on_commit_callbacks(execute=True):
        r = delete(api, user, submitted.pk, a.pk)
    ok = status == 201
    assert r.status_code == (204 if ok else status), r.content
    assert Attachment.objects.exists() is not ok
    assert len(stored(media)) == (0 if ok else 1)


SEES = OFFICE | {"deputy", "edu_clerk", "edu_head"}


@pytest.mark.parametrize(
    ("user", "status"), [(None, 401)] + [(u, 200 if u in SEES else 404) for u in WORLD_USERS]
)
def test_list_and_download_permission_matrix(world, api, assigned_with_file, user, status):
    s, a = assigned_with_file
    listing = api(user).get(f"/suggestions/{s.pk}/attachments")
    assert listing.status_code == status
    download = api(user).get(f"/attachments/{a.pk}/download")
    assert download.status_code == status
    if status == 200:
        assert listing.json() == [
            {
                "id": a.pk,
                "name": CHINESE_NAME,
                "size": len(files.PDF),
                "content_type": "application/pdf",
            }
        ]
        assert b"".join(download.streaming_content) == files.PDF


def test_lead_deputy_cannot_add_or_remove_after_registration(world, api, assigned_with_file):
    s, a = assigned_with_file
    r = post_file(api, "deputy", s.pk, "b.pdf", files.PDF)
    assert r.status_code == 409 and "(state: assigned)" in r.json()["detail"]
    assert delete(api, "deputy", s.pk, a.pk).status_code == 409
    assert Attachment.objects.count() == 1


def test_attachment_of_another_suggestion_is_404(world, api, assigned_with_file, submitted):
    other = create_draft(world.city, by=world["deputy"], title="另一件", body="正文")
    _s, a = assigned_with_file
    assert delete(api, "deputy", other.pk, a.pk).status_code == 404
    assert api("deputy").get("/attachments/999999/download").status_code == 404


# --- download headers --------------------------------------------------------------------------
def test_download_is_an_attachment_with_nosniff_detected_type_and_chinese_name(
    world, api, assigned_with_file
):
    _s, a = assigned_with_file
    r = api("edu_clerk").get(f"/attachments/{a.pk}/download")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(CHINESE_NAME)}" in disposition  # RFC 5987
    assert "no-store" in r["Cache-Control"]
    assert "sandbox" in r["Content-Security-Policy"]


# --- bad input: 422 naming the field, nothing written ------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("report.pdf", files.EXE, "is not a PDF file"),
        ("photo.png", files.SVG, "is not a PNG file"),
        ("photo.png", files.HTML, "is not a PNG file"),
        ("empty.pdf", b"", "is empty"),
        ("notes.txt", b"hello", "only PDF"),
    ],
)
def test_bad_files_are_422_naming_file(world, api, submitted, media, name, content, words):
    r = post_file(api, "deputy", submitted.pk, name, content)
    assert r.status_code == 422, r.content
    assert r.json()["detail"].startswith("file: ") and words in r.json()["detail"]
    assert stored(media) == [] and not Attachment.objects.exists()


def test_missing_file_field_is_422(world, api, submitted):
    r = api("deputy").post(f"/suggestions/{submitted.pk}/attachments", {})
    assert r.status_code == 422 and r.json()["detail"].startswith("file: ")


@override_settings(RENDA_ATTACHMENT_MAX_MB=0.01)  # 10 KiB
def test_upload_over_the_limit_is_422_and_never_stored(world, api, submitted, media, tmp_path):
    big = files.PDF + b"%" * 20_000
    r = post_file(api, "deputy", submitted.pk, "大文件.pdf", big)
    assert r.status_code == 422, r.content
    assert "larger than the limit" in r.json()["detail"]
    assert stored(media) == [] and not Attachment.objects.exists()


@override_settings(RENDA_ATTACHMENT_MAX_MB=10)
def test_upload_larger_than_memory_threshold_streams_to_disk_and_is_accepted(
    world, api, submitted, media
):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django writes to a temporary file; a 3 MB PDF
    goes through that path and is stored whole."""
    big = files.PDF + b"%" * (3 * 1024 * 1024)
    r = post_file(api, "deputy", submitted.pk, "大.pdf", big)
    assert r.status_code == 201, r.content
    [path] = stored(media)
    assert path.stat().st_size == len(big)


@override_settings(RENDA_ATTACHMENT_MAX_COUNT=1)
def test_too_many_files_is_422(world, api, submitted, media):
    assert post_file(api, "deputy", submitted.pk, "a.pdf", files.PDF).status_code == 201
    r = post_file(api, "deputy", submitted.pk, "b.pdf", files.PDF)
    assert r.status_code == 422 and "at most 1 attachments" in r.json()["detail"]
    assert len(stored(media)) == 1


# --- the suggestion's detail ---------------------------------------------------------------------
def test_detail_json_lists_attachments(world, api, assigned_with_file):
    s, a = assigned_with_file
    body = api("affairs").get(f"/suggestions/{s.pk}").json()
    assert body["attachments"] == [
        {
            "id": a.pk,
            "name": CHINESE_NAME,
            "size": len(files.PDF),
            "content_type": "application/pdf",
        }
    ]
    assert body["number"] == s.number  # existing keys kept
