"""The office uploads a deputy's photo: checked by content, size-limited, re-encoded to JPEG,
EXIF stripped, scaled down; on the public profile only while published (DEP-PUBLIC)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conftest import WORLD_USERS
from renda.audit.models import AuditEvent
from renda.deputies.actions.photos import remove_photo, set_photo
from renda.deputies.models import Person
from renda.deputies.photos import PHOTO_BOX
from renda.deputies.verbs import EVENT_LABELS
from renda.errors import DomainError, InvalidInput

from .public_builders import deputyship_of

pytestmark = pytest.mark.django_db
OFFICE = {"affairs", "admin"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (1200, 1600), *, gps: bool = True,
                mode: str = "RGB") -> bytes:  # fmt: skip
    """A photo as a phone makes it: large, with EXIF (camera, GPS position, orientation)."""
    img = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 9.0, 0.0)}
    out = io.BytesIO()
    img.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes, name: str = "me.jpg", ctype: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=ctype)


def stored(d: Any) -> Image.Image:
    person = Person.objects.get(pk=d.person_id)
    with person.photo.open("rb") as fh:
        img = Image.open(io.BytesIO(fh.read()))
        img.load()
    return img


def test_upload_is_reencoded_to_jpeg_exif_stripped_upright_and_scaled(world: Any) -> None:
    d = deputyship_of(world, "deputy")
    set_photo(d, upload(image_bytes()), by=world["affairs"])
    img = stored(d)
    assert img.format == "JPEG"
    assert not img.getexif()  # no camera, no GPS, no orientation left
    assert "exif" not in img.info and "icc_profile" not in img.info
    # 1200×1600 with orientation 6 is 1600×1200 upright, scaled to fit 600×800.
    assert img.width <= PHOTO_BOX[0] and img.height <= PHOTO_BOX[1]
    assert img.width > img.height
    event = AuditEvent.objects.filter(verb="person.photo_set").get()
    assert event.data["deputyship"] == d.pk and len(event.data["sha256"]) == 64
    assert "person.photo_set" in EVENT_LABELS and "person.photo_removed" in EVENT_LABELS


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "RGBA"), ("WEBP", "RGB")])
def test_png_with_transparency_and_webp_become_jpeg(world: Any, fmt: str, mode: str) -> None:
    d = deputyship_of(world, "deputy")
    data = image_bytes(fmt, (300, 400), gps=False, mode=mode)
    set_photo(d, upload(data, f"me.{fmt.lower()}", f"image/{fmt.lower()}"), by=world["affairs"])
    img = stored(d)
    assert img.format == "JPEG" and img.mode == "RGB" and img.size in ((300, 400), (400, 300))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<script>alert(1)</script>", "evil.jpg"),  # text named as a photo
        (b"GIF89a" + b"\x00" * 100, "anim.jpg"),  # a header alone
        (b"%PDF-1.4\n" + b"x" * 500, "doc.png"),
        (b"", "empty.jpg"),
    ],
)
def test_a_fake_or_empty_image_is_refused_and_nothing_stored(
    world: Any, data: bytes, name: str
) -> None:
    d = deputyship_of(world, "deputy")
    with pytest.raises(InvalidInput) as err:
        set_photo(d, upload(data, name), by=world["affairs"])
    assert err.value.status == 422 and err.value.detail.startswith("photo: ")
    assert not Person.objects.get(pk=d.person_id).photo
    assert not AuditEvent.objects.filter(verb="person.photo_set").exists()


def test_a_truncated_jpeg_and_a_gif_are_refused(world: Any) -> None:
    d = deputyship_of(world, "deputy")
    whole = image_bytes(size=(400, 400), gps=False)
    with pytest.raises(InvalidInput):
        set_photo(d, upload(whole[: len(whole) // 2]), by=world["affairs"])
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(InvalidInput):
        set_photo(d, upload(gif.getvalue(), "a.gif", "image/gif"), by=world["affairs"])


def test_too_large_a_file_or_too_many_pixels_is_refused(world: Any, settings: Any) -> None:
    d = deputyship_of(world, "deputy")
    settings.RENDA_PHOTO_MAX_MB = 0.01  # 10 KB
    with pytest.raises(InvalidInput, match="larger than"):
        set_photo(d, upload(image_bytes()), by=world["affairs"])
    settings.RENDA_PHOTO_MAX_MB = 5
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 Mpx, a few KB
    with pytest.raises(InvalidInput):
        set_photo(d, upload(bomb.getvalue(), "b.png", "image/png"), by=world["affairs"])


def test_only_the_congress_office_sets_or_removes_a_photo(world: Any) -> None:
    d = deputyship_of(world, "deputy")
    for username in ("deputy", "county_affairs", "edu_clerk"):
        with pytest.raises(DomainError):
            set_photo(d, upload(image_bytes(gps=False)), by=world[username])
    set_photo(d, upload(image_bytes(gps=False)), by=world["affairs"])
    with pytest.raises(DomainError):
        remove_photo(d, by=world["deputy"])
    remove_photo(d, by=world["affairs"])
    assert not Person.objects.get(pk=d.person_id).photo
    assert AuditEvent.objects.filter(verb="person.photo_removed").count() == 1


@pytest.mark.parametrize("username", WORLD_USERS)
def test_photo_pages_for_the_office_only(world: Any, signed_in: Any, username: str) -> None:
    """Permission matrix: the page, the upload and the office's view of the file."""
    d = deputyship_of(world, "deputy")
    set_photo(d, upload(image_bytes(gps=False)), by=world["affairs"])
    client = signed_in(username)
    page = client.get(reverse("deputies:deputy_photo", args=[d.pk]))
    file = client.get(reverse("deputies:deputy_photo_file", args=[d.pk]))
    post = client.post(
        reverse("deputies:deputy_photo", args=[d.pk]), {"photo": upload(image_bytes(gps=False))}
    )
    if username in OFFICE:
        assert page.status_code == 200 and 'data-testid="current-photo"' in page.content.decode()
        assert file.status_code == 200 and file["Content-Type"] == "image/jpeg"
        assert post.status_code == 302
    else:
        assert (page.status_code, file.status_code, post.status_code) == (404, 404, 404)


def test_anonymous_is_sent_to_sign_in(world: Any, client: Any) -> None:
    d = deputyship_of(world, "deputy")
    response = client.get(reverse("deputies:deputy_photo", args=[d.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_page_refuses_a_fake_image_with_a_form_error(world: Any, signed_in: Any) -> None:
    d = deputyship_of(world, "deputy")
    response = signed_in("affairs").post(
        reverse("deputies:deputy_photo", args=[d.pk]),
        {"photo": upload(b"not an image at all", "x.jpg")},
    )
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP image" in response.content.decode()
    assert not Person.objects.get(pk=d.person_id).photo


def test_remove_from_the_page(world: Any, signed_in: Any) -> None:
    d = deputyship_of(world, "deputy")
    set_photo(d, upload(image_bytes(gps=False)), by=world["affairs"])
    client = signed_in("affairs")
    response = client.post(reverse("deputies:deputy_photo", args=[d.pk]), {"remove": "1"})
    assert response.status_code == 302
    assert 'data-testid="no-photo"' in client.get(response["Location"]).content.decode()


def test_public_profile_shows_the_photo_only_while_published(world: Any, client: Any) -> None:
    """DEP-PUBLIC: uploaded is not published; published shows it; withdrawn hides it again."""
    d = deputyship_of(world, "deputy")
    set_photo(d, upload(image_bytes(gps=False)), by=world["affairs"])
    profile = reverse("deputy_public:profile", args=[d.public_code])
    photo = reverse("deputy_public:photo", args=[d.public_code])
    d.public_fields = [f for f in d.public_fields if f != "photo"]
    d.save()
    assert 'data-testid="deputy-photo"' not in client.get(profile).content.decode()
    assert client.get(photo).status_code == 404
    d.public_fields = [*d.public_fields, "photo"]
    d.save()
    assert 'data-testid="deputy-photo"' in client.get(profile).content.decode()
    response = client.get(photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    img = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert not img.getexif()


# --- API: POST/DELETE /api/v1/deputies/{id}/photo ----------------------------------------------
def _post_photo(client: Any, d: Any, data: bytes, name: str = "me.jpg") -> Any:
    return client.client.post(
        f"/api/v1/deputies/{d.pk}/photo", {"photo": upload(data, name)}, headers=client._headers()
    )


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_api_photo_for_the_office_only(world: Any, api: Any, username: str | None) -> None:
    """Permission matrix of the photo endpoints: the congress's office (and administrators)
    set and remove; anyone else gets 404 (anonymous: 401) and nothing changes."""
    d = deputyship_of(world, "deputy")
    client = api(username)
    posted = _post_photo(client, d, image_bytes(gps=False))
    deleted = client.client.delete(f"/api/v1/deputies/{d.pk}/photo", headers=client._headers())
    if username in OFFICE:
        assert posted.status_code == 200, posted.content
        body = posted.json()
        assert body["photo"] is True and 0 < body["bytes"] < 200_000
        assert deleted.status_code == 204
    else:
        expected = 401 if username is None else 404
        assert (posted.status_code, deleted.status_code) == (expected, expected)
    assert not Person.objects.get(pk=d.person_id).photo


def test_api_refuses_a_fake_image_with_422(world: Any, api: Any) -> None:
    d = deputyship_of(world, "deputy")
    response = _post_photo(api("affairs"), d, b"GIF89a not really", "x.jpg")
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP image" in response.json()["detail"]
    assert not Person.objects.get(pk=d.person_id).photo
