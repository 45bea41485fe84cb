"""Station registry, reception days and station performance pages and API: permission matrix
(every endpoint × every role of the world) and the pages' behaviour."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import WORLD_USERS
from renda.deputies.models import Deputyship
from renda.opinions.choices import ReceptionState
from renda.opinions.models import ReceptionDay, Station
from renda.opinions.stats import rebuild_opinion_facts

from .station_builders import at, opinion, station

OFFICE = {"admin", "affairs"}  # the city's registry
STATS = {"admin", "affairs", "committee", "supervisor", "leader", "county_affairs"}
API = "/stats/stations"


@pytest.fixture
def stations(world: Any) -> dict[str, Station]:
    mine = station(world.city, "城东联络站")
    mine.staff.set([world["station"]])
    other = station(world.city, "城西联络点")
    day = ReceptionDay.objects.create(
        station=mine,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    return {"mine": mine, "other": other, "day": day}


@pytest.mark.parametrize("username", WORLD_USERS)
def test_permission_matrix_pages(world: Any, signed_in: Any, stations: Any, username: str) -> None:
    c = signed_in(username)
    mine, other, day = stations["mine"], stations["other"], stations["day"]
    codes = {
        "list": c.get("/opinions/office/stations/").status_code,
        "create": c.get("/opinions/office/stations/new/").status_code,
        "edit": c.get(f"/opinions/office/stations/{mine.pk}/edit/").status_code,
        "receptions_mine": c.get(f"/opinions/office/stations/{mine.pk}/receptions/").status_code,
        "receptions_other": c.get(f"/opinions/office/stations/{other.pk}/receptions/").status_code,
        "edit_day": c.get(f"/opinions/office/receptions/{day.pk}/edit/").status_code,
        "stats": c.get("/opinions/office/station-stats/").status_code,
        "xlsx": c.get("/opinions/office/station-stats.xlsx").status_code,
    }
    office = username in OFFICE
    staff = username == "station"
    expected = {
        "list": 200 if office or staff or username == "county_affairs" else 404,
        "create": 200 if office or username == "county_affairs" else 404,
        "edit": 200 if office else 404,
        "receptions_mine": 200 if office or staff else 404,
        "receptions_other": 200 if office else 404,
        "edit_day": 200 if office or staff else 404,
        "stats": 200 if username in STATS else 404,
        "xlsx": 200 if username in STATS else 404,
    }
    assert codes == expected
    # The POST actions follow the same rule (404 for those who may not keep the day).
    held = c.post(f"/opinions/office/receptions/{day.pk}/held/")
    assert held.status_code == (302 if office or staff else 404)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_permission_matrix_api(world: Any, api: Any, stations: Any, username: str) -> None:
    token = api(username)
    codes = [
        token.get(API, congress=str(world.city.pk)).status_code,
        token.get(API + ".xlsx", congress=str(world.city.pk)).status_code,
    ]
    if username in STATS - {"county_affairs"}:
        assert codes == [200, 200]
    else:
        assert codes == [404, 404]
    if username == "county_affairs":
        assert token.get(API).json()["congress"] == world.county.pk


def test_anonymous_is_sent_to_sign_in_or_refused(client: Any, api: Any, stations: Any) -> None:
    for url in ("/opinions/office/stations/", "/opinions/office/station-stats/"):
        assert client.get(url).status_code == 302
    assert client.post(f"/opinions/office/receptions/{stations['day'].pk}/held/").status_code == 302
    assert api().get(API).status_code == 401


def test_api_figures_and_bad_dates(world: Any, api: Any, stations: Any) -> None:
    d = date(2026, 3, 2)
    opinion(stations["mine"], at(d), answered=at(d), outcome="answered", rating="satisfied")
    opinion(stations["other"], at(d))
    rebuild_opinion_facts()
    token = api("affairs")
    r = token.get(API, **{"from": "2026-03-01", "to": "2026-03-31"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["from"] == "2026-03-01" and body["to"] == "2026-03-31"
    assert body["totals"]["received"] == 2
    mine = next(s for s in body["stations"] if s["id"] == stations["mine"].pk)
    assert mine["satisfaction_rate"] == 100.0 and mine["median_days"] == 0
    assert "phone" not in str(body)
    for params, field in (
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-04-01", "to": "2026-03-01"}, "from"),
        ({"sort": "nope"}, "sort"),
        ({"congress": "x"}, "congress"),
    ):
        bad = token.get(API, **params)
        assert bad.status_code == 422, params
        assert bad.json()["detail"].startswith(field), bad.json()
    assert token.get(API, congress="999999").status_code == 404


def test_stats_page_ranks_sorts_and_exports(world: Any, signed_in: Any, stations: Any) -> None:
    d = date(2026, 3, 2)
    for _ in range(3):
        opinion(stations["other"], at(d))
    opinion(stations["mine"], at(d), answered=at(d), outcome="answered", rating="satisfied")
    rebuild_opinion_facts()
    c = signed_in("affairs")
    q = {"from": "2026-03-01", "to": "2026-03-31"}
    page = c.get("/opinions/office/station-stats/", q)
    assert page.status_code == 200
    names = [r["name"] for r in page.context["rows"]]
    assert names == ["城西联络点", "城东联络站"]  # by opinions received
    page = c.get("/opinions/office/station-stats/", {**q, "sort": "satisfaction_rate"})
    assert [r["name"] for r in page.context["rows"]] == ["城东联络站", "城西联络点"]
    bad = c.get("/opinions/office/station-stats/", {"from": "bad"})
    assert bad.status_code == 422 and b"stats-error" in bad.content
    xlsx = c.get("/opinions/office/station-stats.xlsx", q)
    assert xlsx.status_code == 200
    wb = load_workbook(BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(wb.worksheets[0].values)
    assert rows[2][1] == "城西联络点" and rows[2][3] == 3
    assert rows[-1][1] == "Total" and rows[-1][3] == 4


def test_office_adds_a_station_through_the_form(world: Any, signed_in: Any) -> None:
    c = signed_in("affairs")
    deputy = Deputyship.objects.filter(congress=world.city).first()
    r = c.post(
        "/opinions/office/stations/new/",
        {
            "congress": world.city.pk,
            "name": "城南代表之家",
            "kind": "home",
            "address": "城南路8号",
            "latitude": "28.01",
            "longitude": "120.65",
            "opening_hours": "每周三 9:00–11:30",
            "phone": "0577-1234567",
            "deputies": [deputy.pk],
            "staff": [world["station"].pk],
            "active": "on",
        },
    )
    assert r.status_code == 302, r.content
    st = Station.objects.get(name="城南代表之家")
    assert st.kind == "home" and st.staff.get() == world["station"]
    again = c.post(
        "/opinions/office/stations/new/",
        {"congress": world.city.pk, "name": "城南代表之家", "kind": "home", "address": "x"},
    )
    assert again.status_code == 422 and b"form-error" in again.content


def test_staff_plan_and_cancel_a_reception_day(world: Any, signed_in: Any, stations: Any) -> None:
    c = signed_in("station")
    mine = stations["mine"]
    r = c.post(
        f"/opinions/office/stations/{mine.pk}/receptions/",
        {"starts_at": "2026-12-20T09:00", "ends_at": "2026-12-20T11:30", "note": "第三季度接待日"},
    )
    assert r.status_code == 302, r.content
    day = ReceptionDay.objects.get(note="第三季度接待日")
    assert timezone.localtime(day.starts_at).hour == 9  # entered in Beijing time
    r = c.post(f"/opinions/office/receptions/{day.pk}/cancel/", {"note": "场地维修"})
    day.refresh_from_db()
    assert day.state == ReceptionState.CANCELLED
    bad = c.post(
        f"/opinions/office/stations/{mine.pk}/receptions/",
        {"starts_at": "2026-12-20T11:00", "ends_at": "2026-12-20T09:00"},
    )
    assert bad.status_code == 422 and b"form-error" in bad.content
