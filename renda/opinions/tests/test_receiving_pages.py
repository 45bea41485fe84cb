"""The citizens' pages (issue 5): the opinion form (also from a station's code), the page with
the tracking code, tracking and rating, the stations' public pages; the honeypot, the limits
(429 + Retry-After on the page), photos checked by content and stripped of EXIF (GPS), and no
personal data on any public page."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from renda.opinions.choices import Channel, OpinionState
from renda.opinions.models import Opinion, OpinionImage
from renda.opinions.tests.receiving_builders import answer, category, reception_day, station

NAME, PHONE = "王大妈", "13700001111"


def _form(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": category().pk,
        "text": "小区门口路灯坏了三个月，晚上很黑。",
        "location": "五马街12号",
        "name": NAME,
        "phone": PHONE,
        "publish_consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def _jpeg_with_gps() -> bytes:
    """A real JPEG carrying EXIF with a GPS position (and a camera model)."""
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "SpyCam 3000"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (28.0, 1.0, 2.0)
    gps[3] = "E"
    gps[4] = (120.0, 39.0, 5.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_the_form_sends_and_the_next_page_shows_the_tracking_code(
    world: Any, client: Client
) -> None:
    r = client.get(reverse("opinion_public:form"))
    assert r.status_code == 200 and 'name="website"' in r.content.decode()
    assert "老旧小区改造" in r.content.decode()  # the category tree
    r = client.post(reverse("opinion_public:form"), _form())
    assert r.status_code == 302, r.content.decode()[:2000]
    o = Opinion.objects.get()
    assert r["Location"] == f"/track/{o.tracking_code}/?sent=1"
    assert (o.channel, o.name, o.phone, o.location, o.publish_consent) == (
        Channel.ONLINE,
        NAME,
        PHONE,
        "五马街12号",
        True,
    )
    page = client.get(r["Location"]).content.decode()
    assert 'data-testid="tracking-code"' in page and o.tracking_code in page
    assert f"/track/{o.tracking_code}/" in page  # the tracking link
    assert NAME not in page and PHONE not in page


def test_a_station_code_opens_the_form_with_the_station_chosen(world: Any, client: Client) -> None:
    st = station(world)
    url = reverse("opinion_public:station_form", args=[st.public_code])
    assert url == f"/s/{st.public_code}/"
    assert st.name in client.get(url).content.decode()
    assert client.post(url, _form()).status_code == 302
    o = Opinion.objects.get()
    assert (o.station, o.channel, o.congress) == (st, Channel.STATION_CODE, world.city)
    assert client.get("/s/no-such-station/").status_code == 404


def test_the_honeypot_keeps_nothing(world: Any, client: Client) -> None:
    r = client.post(reverse("opinion_public:form"), _form(website="http://spam.example"))
    assert r.status_code == 200
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"text": ""}, {"text": "长" * 5001}, {"category": ""}, {"phone": "call me"}]
)
def test_bad_input_shows_the_form_again_with_errors(world: Any, client: Client, extra: Any) -> None:
    r = client.post(reverse("opinion_public:form"), _form(**extra))
    assert r.status_code == 422
    assert "is-invalid" in r.content.decode() or "alert" in r.content.decode()
    assert not Opinion.objects.exists()


def test_anonymous_keeps_no_name_or_phone(world: Any, client: Client) -> None:
    client.post(reverse("opinion_public:form"), _form(anonymous="on"))
    o = Opinion.objects.get()
    assert (o.anonymous, o.name, o.phone) == (True, "", "")


@override_settings(RENDA_OPINION_SUBMIT_LIMITS=[(1, 600)])
def test_too_many_submissions_get_a_429_page_saying_when(world: Any, client: Client) -> None:
    assert client.post(reverse("opinion_public:form"), _form()).status_code == 302
    r = client.post(reverse("opinion_public:form"), _form())
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "Please try again after" in r.content.decode()
    assert Opinion.objects.count() == 1


@override_settings(RENDA_OPINION_TRACK_LIMITS=[(2, 600)])
def test_too_many_look_ups_get_a_429_page(world: Any, client: Client) -> None:
    for _ in range(2):
        assert client.get("/track/" + "Z" * 24 + "/").status_code == 404
    r = client.get("/track/" + "Z" * 24 + "/")
    assert r.status_code == 429 and "Retry-After" in r


# --- photos -----------------------------------------------------------------------------------
def test_a_photo_is_reencoded_and_its_exif_gps_is_stripped(world: Any, client: Client) -> None:
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the GPS is there before
    photo = SimpleUploadedFile("IMG_0001.jpg", raw, content_type="image/jpeg")
    assert client.post(reverse("opinion_public:form"), _form(photos=photo)).status_code == 302
    row = OpinionImage.objects.get()
    assert (row.content_type, row.width, row.height) == ("image/jpeg", 64, 48)
    with row.file.open("rb") as fh:
        stored = fh.read()
    assert stored != raw and b"SpyCam" not in stored and b"Exif" not in stored
    img = Image.open(io.BytesIO(stored))
    assert img.format == "JPEG" and not img.getexif() and "exif" not in img.info
    assert not img.getexif().get_ifd(0x8825)


def test_a_png_that_is_really_a_script_is_refused(world: Any, client: Client) -> None:
    fake = SimpleUploadedFile(
        "photo.png", b"<script>alert(document.cookie)</script>", content_type="image/png"
    )
    r = client.post(reverse("opinion_public:form"), _form(photos=fake))
    assert r.status_code == 422
    assert "this is not a picture we can read" in r.content.decode()
    assert not Opinion.objects.exists() and not OpinionImage.objects.exists()


def test_a_png_with_a_script_appended_is_written_again_without_it(
    world: Any, client: Client
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 128, 0)).save(out, format="PNG")
    polyglot = out.getvalue() + b"<script>alert(1)</script>"
    photo = SimpleUploadedFile("x.png", polyglot, content_type="image/png")
    assert client.post(reverse("opinion_public:form"), _form(photos=photo)).status_code == 302
    with OpinionImage.objects.get().file.open("rb") as fh:
        assert b"<script>" not in fh.read()


@override_settings(RENDA_OPINION_IMAGE_MAX_COUNT=1)
def test_too_many_photos_are_refused(world: Any, client: Client) -> None:
    photos = [SimpleUploadedFile(f"{i}.jpg", _jpeg_with_gps()) for i in range(2)]
    r = client.post(reverse("opinion_public:form"), _form(photos=photos))
    assert r.status_code == 422 and not Opinion.objects.exists()


@override_settings(RENDA_OPINION_IMAGE_MAX_BYTES=1000)
def test_a_photo_too_large_is_refused(world: Any, client: Client) -> None:
    out = io.BytesIO()
    Image.effect_noise((200, 200), 50).convert("RGB").save(out, format="PNG")
    photo = SimpleUploadedFile("big.png", out.getvalue())
    r = client.post(reverse("opinion_public:form"), _form(photos=photo))
    assert r.status_code == 422 and "larger than" in r.content.decode()


# --- tracking and rating ----------------------------------------------------------------------
def _sent(client: Client, world: Any, **extra: Any) -> Opinion:
    st = station(world)
    client.post(reverse("opinion_public:station_form", args=[st.public_code]), _form(**extra))
    return Opinion.objects.get()


def test_the_lookup_form_goes_to_the_tracking_page(world: Any, client: Client) -> None:
    o = _sent(client, world)
    r = client.get(reverse("opinion_public:track_lookup"), {"code": f" {o.tracking_code} "})
    assert r.status_code == 302 and r["Location"] == f"/track/{o.tracking_code}/"


def test_the_citizen_rates_an_answered_opinion_on_the_page(world: Any, client: Client) -> None:
    o = answer(_sent(client, world), world)
    url = reverse("opinion_public:track", args=[o.tracking_code])
    page = client.get(url).content.decode()
    assert "已安排维修" in page and 'data-testid="rating-form"' in page
    for secret in (NAME, PHONE):
        assert secret not in page
    r = client.post(
        reverse("opinion_public:rate", args=[o.tracking_code]), {"rating": "dissatisfied"}
    )
    assert r.status_code == 302
    o.refresh_from_db()
    assert o.state == OpinionState.REOPENED and o.rating == "dissatisfied"
    page = client.get(url).content.decode()
    assert 'data-testid="rating-form"' not in page and 'data-testid="rated"' in page
    r = client.post(reverse("opinion_public:rate", args=[o.tracking_code]), {"rating": "satisfied"})
    assert r.status_code == 422  # not answered any more: a clear message, nothing changed


# --- the stations' public face ----------------------------------------------------------------
def test_station_pages_show_hours_deputies_days_and_only_consented_answers_masked(
    world: Any, client: Client
) -> None:
    """Personal data never on public pages; phone and ID numbers typed into the text masked."""
    st = station(world)
    reception_day(st, world)
    url = reverse("opinion_public:station_form", args=[st.public_code])
    typed = "我叫王大妈，电话13912345678，身份证330302198001010019，楼道灯坏了。"
    client.post(url, _form(text=typed))
    client.post(url, _form(text="不同意公开的意见", publish_consent="", phone="13911112222"))
    client.post(url, _form(text="还没答复的意见", phone="13911113333"))
    first, hidden, unanswered = Opinion.objects.order_by("id")
    answer(first, world, text="已修好。如有问题请拨打13900000000。")
    answer(hidden, world)
    page = client.get(reverse("opinion_public:station", args=[st.public_code])).content.decode()
    assert st.name in page and st.opening_hours in page and world["deputy"].full_name in page
    assert world["deputy2"].full_name in page  # on duty at the coming reception day
    assert "楼道灯坏了" in page and "不同意公开的意见" not in page and "还没答复的意见" not in page
    for secret in (NAME, PHONE, "13912345678", "330302198001010019", "13900000000", "13911112222"):
        assert secret not in page, secret
    listing = client.get(reverse("opinion_public:stations")).content.decode()
    assert st.name in listing and PHONE not in listing
    assert client.get("/stations/nope/").status_code == 404


def test_an_old_answer_cannot_be_rated_after_the_window(world: Any, client: Client) -> None:
    o = answer(_sent(client, world), world, at=timezone.now() - timedelta(days=60))
    page = client.get(reverse("opinion_public:track", args=[o.tracking_code])).content.decode()
    assert 'data-testid="rating-form"' not in page
    r = client.post(reverse("opinion_public:rate", args=[o.tracking_code]), {"rating": "satisfied"})
    assert r.status_code == 422 and "ended on" in r.content.decode()
