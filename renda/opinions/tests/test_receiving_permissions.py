"""Permission matrix of the receiving part: every endpoint × every role of the world. The
citizens' pages and API are open to everyone (signed in or not); recording a visit or a call,
the recorded opinion with the citizen's name and phone, and the station code to print are for
the station's own staff, the congress's deputy-affairs office and administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import WORLD_USERS
from renda.opinions.actions.receiving import submit_opinion
from renda.opinions.choices import Channel
from renda.opinions.models import Opinion
from renda.opinions.tests.receiving_builders import answer, category, station

# Who may use the staff pages of the city's station.
STAFF = {"station", "affairs", "admin"}
NAME, PHONE = "李师傅", "13600002222"


def _client(signed_in: Any, username: str | None) -> Client:
    return signed_in(username) if username else Client()


@pytest.fixture
def setup(world: Any) -> dict[str, Any]:
    st = station(world)
    o = submit_opinion(
        station=st,
        category=category().pk,
        text="菜市场门口占道经营严重。",
        name=NAME,
        phone=PHONE,
        publish_consent=True,
        channel=Channel.VISIT,
        by=world["station"],
    )
    answer(o, world)
    return {"station": st, "opinion": o}


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_public_pages_are_open_to_everyone_and_show_no_personal_data(
    signed_in: Any, setup: dict[str, Any], username: str | None
) -> None:
    c = _client(signed_in, username)
    st, o = setup["station"], setup["opinion"]
    for url in (
        reverse("opinion_public:form"),
        reverse("opinion_public:station_form", args=[st.public_code]),
        reverse("opinion_public:track_lookup"),
        reverse("opinion_public:track", args=[o.tracking_code]),
        reverse("opinion_public:stations"),
        reverse("opinion_public:station", args=[st.public_code]),
        "/api/v1/stations",
        f"/api/v1/opinions/track/{o.tracking_code}",
    ):
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        body = r.content.decode()
        assert NAME not in body and PHONE not in body, url


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_anyone_may_submit_an_opinion(
    signed_in: Any, setup: dict[str, Any], username: str | None
) -> None:
    c = _client(signed_in, username)
    r = c.post(
        "/api/v1/opinions",
        {"category": category().pk, "text": "路口红绿灯时间太短。", "anonymous": True},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    r = c.post(
        reverse("opinion_public:form"),
        {"category": category().pk, "text": "路口红绿灯时间太短。", "website": ""},
    )
    assert r.status_code == 302


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_staff_pages_only_for_the_stations_staff_and_the_office(
    signed_in: Any, setup: dict[str, Any], username: str | None
) -> None:
    c = _client(signed_in, username)
    st, o = setup["station"], setup["opinion"]
    urls = (
        reverse("opinions:record"),
        reverse("opinions:recorded", args=[o.pk]),
        reverse("opinions:station_code", args=[st.pk]),
        reverse("opinions:station_code_file", args=[st.pk, "png"]),
        reverse("opinions:station_code_file", args=[st.pk, "svg"]),
    )
    for url in urls:
        r = c.get(url)
        if username is None:
            assert r.status_code == 302 and "/accounts/login/" in r["Location"], url
        elif username in STAFF:
            assert r.status_code == 200, (url, username)
        else:
            assert r.status_code == 404, (url, username, r.status_code)
    if username in STAFF:
        assert PHONE in c.get(reverse("opinions:recorded", args=[o.pk])).content.decode()


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_recording_a_visit(signed_in: Any, setup: dict[str, Any], username: str | None) -> None:
    c = _client(signed_in, username)
    st = setup["station"]
    before = Opinion.objects.count()
    r = c.post(
        reverse("opinions:record"),
        {
            "station": st.pk,
            "channel": "call",
            "category": category().pk,
            "text": "电话反映：小区停车位不足。",
            "name": "赵先生",
            "phone": "13512345678",
        },
    )
    if username in STAFF:
        assert r.status_code == 302, r.content.decode()[:3000]
        o = Opinion.objects.latest("id")
        assert (o.channel, o.station, o.recorded_by) == (Channel.CALL, st, setup_user(c))
        assert r["Location"] == reverse("opinions:recorded", args=[o.pk])
    else:
        assert r.status_code in (302, 404) and Opinion.objects.count() == before


def setup_user(c: Client) -> Any:
    from django.contrib.auth import get_user

    class _R:
        session = c.session

    return get_user(_R())  # type: ignore[arg-type]


def test_staff_of_another_station_may_not_record_there(world: Any, signed_in: Any) -> None:
    station(world)  # where they work
    other = station(world, name="另一个联络站")
    other.staff.clear()
    c = signed_in("station")
    r = c.post(
        reverse("opinions:record"),
        {"station": other.pk, "channel": "visit", "category": category().pk, "text": "x"},
    )
    assert r.status_code == 422 and not Opinion.objects.exists()
    assert c.get(reverse("opinions:station_code", args=[other.pk])).status_code == 404


def test_the_station_code_carries_the_station_form_address(
    signed_in: Any, setup: dict[str, Any], settings: Any
) -> None:
    settings.RENDA_PUBLIC_URL = "https://rd.example.gov.cn"
    st = setup["station"]
    page = signed_in("station").get(reverse("opinions:station_code", args=[st.pk]))
    assert f"https://rd.example.gov.cn/s/{st.public_code}/" in page.content.decode()
    png = signed_in("station").get(reverse("opinions:station_code_file", args=[st.pk, "png"]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("username", WORLD_USERS)
def test_the_home_panel_shows_the_stations_to_their_staff_and_the_office(
    signed_in: Any, setup: dict[str, Any], username: str
) -> None:
    page = signed_in(username).get("/").content.decode()
    shown = 'data-panel="opinions-receiving"' in page
    assert shown == (username in STAFF), username
    if shown:
        assert reverse("opinions:record") in page
        assert reverse("opinions:station_code", args=[setup["station"].pk]) in page


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_photos_only_for_those_who_see_the_contact(
    signed_in: Any, setup: dict[str, Any], username: str | None
) -> None:
    import io

    from PIL import Image

    from renda.opinions.images import clean_image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PNG")
    o = submit_opinion(
        station=setup["station"],
        category=category().pk,
        text="照片",
        images=[clean_image(io.BytesIO(buf.getvalue()), "a.png")],
    )
    url = reverse("opinions:image", args=[o.images.get().pk])
    r = _client(signed_in, username).get(url)
    if username is None:
        assert r.status_code == 302
    elif username in STAFF:
        assert r.status_code == 200 and r["Content-Type"] == "image/png"
        assert r["X-Content-Type-Options"] == "nosniff"
    else:
        assert r.status_code == 404
