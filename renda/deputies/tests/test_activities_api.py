"""The activities API (issue 4, fixed contract): POST /api/v1/activities → 201 with the code and
the check-in URL; POST /api/v1/activities/{id}/checkin {"code"} → 201, 409 outside the window or
already checked in, 404 wrong code or not visible. Every endpoint × every world user; bad input
is a clear 4xx, never a 500; concurrent check-ins over HTTP record one."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import WORLD_USERS
from renda.accounts.actions import issue_api_token
from renda.deputies.actions.activities import check_in, request_leave
from renda.deputies.actions.manual_duties import record_manual_duty
from renda.deputies.models import Activity, Attendance, DutyRecord, LeaveRequest

from .activity_builders import deputyship_of, organised, running

OFFICE = {"admin", "affairs"}
CITY_DEPUTIES = {"deputy", "deputy2", "sc_member"}
SEES = OFFICE | CITY_DEPUTIES


def _new(world, **extra):
    start = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    return {
        "congress": world.city.pk,
        "kind": "reception",
        "title": "代表进站接待选民",
        "location": "五马街道代表联络站",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "invite": {"all_deputies": True},
        **extra,
    }


# --- the fixed contract ---------------------------------------------------------------------
def test_create_answers_201_with_the_code_and_the_absolute_checkin_url(api, world):
    response = api("affairs").post("/activities", _new(world))
    assert response.status_code == 201, response.content
    body = response.json()
    a = Activity.objects.get()
    assert body["id"] == a.pk and body["code"] == a.code
    assert body["checkin_url"] == f"http://testserver/deputies/checkin/{a.code}/"
    assert body["invited"] == 3 and body["state"] == "planned"
    opens = timezone.datetime.fromisoformat(body["checkin_opens_at"])
    assert opens == a.starts_at - timedelta(minutes=30)


def test_checkin_is_201_then_409_already_checked_in(api, world):
    a = running(world)
    deputy = api("deputy")
    first = deputy.post(f"/activities/{a.pk}/checkin", {"code": a.code})
    assert first.status_code == 201 and first.json()["checked_in_at"]
    again = deputy.post(f"/activities/{a.pk}/checkin", {"code": a.code})
    assert again.status_code == 409 and again.json()["error"] == "already_checked_in"
    assert Attendance.objects.filter(activity=a, checked_in_at__isnull=False).count() == 1


def test_checkin_outside_the_window_is_409_with_the_times(api, world):
    a = organised(world, starts=timezone.now() + timedelta(days=1))
    response = api("deputy").post(f"/activities/{a.pk}/checkin", {"code": a.code})
    assert response.status_code == 409 and response.json()["error"] == "outside_window"
    assert (
        timezone.localtime(a.checkin_opens_at).strftime("%Y-%m-%d %H:%M")
        in response.json()["detail"]
    )
    with time_machine.travel(a.checkin_closes_at + timedelta(seconds=1)):
        late = api("deputy").post(f"/activities/{a.pk}/checkin", {"code": a.code})
    assert late.status_code == 409 and "closed" in late.json()["detail"]


def test_checkin_with_a_wrong_code_or_an_invisible_activity_is_404(api, world):
    a = running(world)
    other = running(world, title="另一项活动")
    deputy = api("deputy")
    assert deputy.post(f"/activities/{a.pk}/checkin", {"code": other.code}).status_code == 404
    assert deputy.post(f"/activities/{a.pk}/checkin", {"code": ""}).status_code == 404
    assert deputy.post("/activities/999999/checkin", {"code": a.code}).status_code == 404
    county = api("county_affairs").post(f"/activities/{a.pk}/checkin", {"code": a.code})
    assert county.status_code == 404


def test_the_code_never_checks_in_someone_else(api, world):
    """The body carries only the code; the person is the token's."""
    a = running(world)
    response = api("deputy2").post(
        f"/activities/{a.pk}/checkin",
        {"code": a.code, "deputy": deputyship_of(world, "deputy").pk},
    )
    assert response.status_code == 201
    assert response.json()["deputy"] == deputyship_of(world, "deputy2").pk
    assert not Attendance.objects.filter(
        activity=a, deputyship=deputyship_of(world, "deputy"), checked_in_at__isnull=False
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_checkin_sent_five_times_at_once_over_http_records_one(world):
    a = running(world)
    tokens = [issue_api_token(world["deputy"])[0] for _ in range(5)]
    barrier = threading.Barrier(len(tokens))
    statuses: list[int] = []

    def work(token):
        try:
            barrier.wait(timeout=20)
            response = Client().post(
                f"/api/v1/activities/{a.pk}/checkin",
                {"code": a.code},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(statuses) == [201, 409, 409, 409, 409]
    assert Attendance.objects.filter(activity=a, checked_in_at__isnull=False).count() == 1


def test_close_twice_is_409_and_the_outcomes_are_in_the_attendance(api, world):
    a = running(world)
    check_in(a, code=a.code, by=world["deputy"])
    office = api("affairs")
    first = office.post(f"/activities/{a.pk}/close")
    assert first.status_code == 200 and first.json() == {"attended": 1, "on_leave": 0, "absent": 2}
    again = office.post(f"/activities/{a.pk}/close")
    assert again.status_code == 409 and again.json()["error"] == "already_closed"
    rows = {r["name"]: r["outcome"] for r in office.get(f"/activities/{a.pk}/attendance").json()}
    assert rows == {"deputy": "attended", "deputy2": "absent", "sc_member": "absent"}


def test_patch_moves_the_time_and_the_window_follows(api, world):
    a = organised(world)
    later = a.starts_at + timedelta(hours=2)
    patched = api("affairs").client.patch(
        f"/api/v1/activities/{a.pk}",
        {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=1)).isoformat()},
        content_type="application/json",
        headers=api("affairs")._headers(),
    )
    assert patched.status_code == 200, patched.content
    a.refresh_from_db()
    assert a.starts_at == later and a.checkin_opens_at == later - timedelta(minutes=30)
    bad = api("affairs").client.patch(
        f"/api/v1/activities/{a.pk}",
        {"title": None},
        content_type="application/json",
        headers=api("affairs")._headers(),
    )
    assert bad.status_code == 422


# --- bad input: a clear 4xx, never a 500 ----------------------------------------------------
@pytest.mark.parametrize(
    "change, status",
    [
        ({"title": ""}, 422),
        ({"title": "x" * 300}, 422),
        ({"title": "a\x00b"}, 422),
        ({"title": 5}, 422),
        ({"kind": "suggestion"}, 422),
        ({"starts_at": "tomorrow"}, 422),
        ({"starts_at": "1800-01-01T09:00:00"}, 422),
        ({"congress": "1"}, 422),
        ({"congress": 2**70}, 422),
        ({"invite": {"deputies": ["1"]}}, 422),
        ({"invite": {"deputies": [999999]}}, 422),
        ({"invite": {"all_deputies": "yes"}}, 422),
        ({"session": 999999}, 422),
    ],
)
def test_bad_create_input_is_refused_and_writes_nothing(api, world, change, status):
    response = api("affairs").post("/activities", _new(world, **change))
    assert response.status_code == status, response.content
    assert "detail" in response.json()
    assert not Activity.objects.exists()


def test_malformed_bodies(api, world):
    a = running(world)
    office = api("affairs")
    assert office.post("/activities", raw="{not json").status_code == 400
    assert office.post("/activities", raw="[1]").status_code == 422
    deputy = api("deputy")
    assert deputy.post(f"/activities/{a.pk}/checkin", {"code": 12}).status_code == 422
    assert deputy.post(f"/activities/{a.pk}/checkin", {"code": "x" * 10_000}).status_code == 422
    assert deputy.post(f"/activities/{a.pk}/checkin", {}).status_code == 422


def test_a_naive_time_is_beijing_time(api, world):
    body = _new(world, starts_at="2030-05-01T09:00:00", ends_at="2030-05-01T11:00:00")
    assert api("affairs").post("/activities", body).status_code == 201
    assert timezone.localtime(Activity.objects.get().starts_at).hour == 9


# --- permission matrices: every endpoint × every world user ---------------------------------
@pytest.mark.parametrize("username", WORLD_USERS)
def test_create_matrix(api, world, username):
    response = api(username).post("/activities", _new(world))
    expected = {
        "admin": 201,
        "affairs": 201,
        "station": 201,  # reception only, in its congress
        "county_affairs": 422,  # organises, but not in the city congress
    }.get(username, 403)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("username", WORLD_USERS)
def test_read_matrix(api, world, username):
    a = running(world)
    client = api(username)
    listing = client.get("/activities")
    assert listing.status_code == 200
    assert listing.json()["count"] == (1 if username in SEES else 0)
    one = client.get(f"/activities/{a.pk}")
    assert one.status_code == (200 if username in SEES else 404)
    if one.status_code == 200:
        assert (one.json()["code"] is not None) == (username in OFFICE)
        assert (one.json()["me"] is not None) == (username in CITY_DEPUTIES)
    assert client.get(f"/activities/{a.pk}/attendance").status_code == (
        200 if username in OFFICE else 404
    )


@pytest.mark.parametrize("username", WORLD_USERS)
def test_organiser_endpoints_matrix(api, world, username):
    a = running(world)
    c = api(username)
    d = deputyship_of(world, "deputy2").pk
    ok = username in OFFICE
    assert c.post(f"/activities/{a.pk}/attendance", {"deputy": d, "present": True}).status_code == (
        200 if ok else 404
    )
    assert c.post(f"/activities/{a.pk}/invitees", {"all_deputies": True}).status_code == (
        200 if ok else 404
    )
    patched = c.client.patch(
        f"/api/v1/activities/{a.pk}",
        {"location": "新址"},
        content_type="application/json",
        headers=c._headers(),
    )
    assert patched.status_code == (200 if ok else 404)
    assert c.post(f"/activities/{a.pk}/close").status_code == (200 if ok else 404)
    b = running(world, title="第二项")
    removed = c.client.delete(
        f"/api/v1/activities/{b.pk}/invitees/{deputyship_of(world, 'sc_member').pk}",
        headers=c._headers(),
    )
    assert removed.status_code == (409 if ok else 404)  # it started: the deputy may be there
    assert c.post(f"/activities/{b.pk}/cancel", {"reason": "场地冲突"}).status_code == (
        200 if ok else 404
    )


@pytest.mark.parametrize("username", WORLD_USERS)
def test_checkin_matrix(api, world, username):
    a = running(world)
    response = api(username).post(f"/activities/{a.pk}/checkin", {"code": a.code})
    expected = 201 if username in CITY_DEPUTIES else 403 if username in OFFICE else 404
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("username", WORLD_USERS)
def test_leave_matrix(api, world, username):
    a = organised(world)
    c = api(username)
    asked = c.post(f"/activities/{a.pk}/leave", {"reason": "出差"})
    expected = 201 if username in CITY_DEPUTIES else 403 if username in OFFICE else 404
    assert asked.status_code == expected, asked.content
    assert c.get("/activities/leave-requests").status_code == 200
    leave = LeaveRequest.objects.filter(
        deputyship=deputyship_of(world, "deputy")
    ).first() or request_leave(a, reason="出差", by=world["deputy"])
    withdraw = c.post(f"/activities/leave-requests/{leave.pk}/withdraw")
    assert withdraw.status_code == (
        200 if username == "deputy" else 403 if username in OFFICE else 404
    )
    other = (
        request_leave(a, reason="家事", by=world["deputy2"])
        if username != "deputy2"
        else (LeaveRequest.objects.get(deputyship=deputyship_of(world, "deputy2")))
    )
    decided = c.post(f"/activities/leave-requests/{other.pk}/decide", {"approve": True})
    assert decided.status_code == (
        200 if username in OFFICE else 403 if username == "deputy2" else 404
    )


@pytest.mark.parametrize("username", WORLD_USERS)
def test_duty_records_matrix(api, world, username):
    manual = record_manual_duty(
        deputyship_of(world, "deputy"),
        kind="inspection",
        occurred_on=timezone.localdate() - timedelta(days=3),
        title="参加市人大常委会组织的执法检查",
        by=world["affairs"],
    )
    c = api(username)
    listing = c.get("/duty-records")
    assert listing.status_code == 200
    ids = {r["id"] for r in listing.json()["items"]}
    assert (manual.pk in ids) == (username in OFFICE | {"deputy"})
    created = c.post(
        "/duty-records",
        {
            "deputy": deputyship_of(world, "deputy2").pk,
            "kind": "training",
            "occurred_on": str(timezone.localdate()),
            "title": "参加代表履职培训",
        },
    )
    assert created.status_code == (201 if username in OFFICE else 404), created.content
    removed = c.post(f"/duty-records/{manual.pk}/remove", {"reason": "重复登记"})
    assert removed.status_code == (
        204 if username in OFFICE else 403 if username == "deputy" else 404
    )
    assert DutyRecord.objects.filter(pk=manual.pk).exists() == (username not in OFFICE)


def test_anonymous_callers_get_401(api, world):
    a = running(world)
    anon = api()
    for method, path in (
        ("get", "/activities"),
        ("get", f"/activities/{a.pk}"),
        ("post", "/activities"),
        ("post", f"/activities/{a.pk}/checkin"),
        ("post", f"/activities/{a.pk}/close"),
        ("get", "/duty-records"),
    ):
        assert getattr(anon, method)(path).status_code == 401


def test_platform_records_cannot_be_removed(api, world):
    a = running(world)
    api("affairs").post(f"/activities/{a.pk}/close")
    record = DutyRecord.objects.filter(activity=a).first()
    response = api("affairs").post(f"/duty-records/{record.pk}/remove", {"reason": "x"})
    assert response.status_code == 409 and response.json()["error"] == "not_manual"


def test_manual_record_bad_input(api, world):
    office = api("affairs")
    d = deputyship_of(world, "deputy").pk
    base = {"deputy": d, "kind": "training", "occurred_on": "2026-03-01", "title": "培训"}
    for change in (
        {"kind": "suggestion"},
        {"occurred_on": "2999-01-01"},
        {"occurred_on": "2001-01-01"},  # before the term
        {"title": ""},
        {"occurred_on": "not a date"},
        {"note": "x" * 600},
    ):
        assert office.post("/duty-records", {**base, **change}).status_code == 422, change
    assert office.post("/duty-records", {**base, "deputy": 999999}).status_code == 404
    assert not DutyRecord.objects.exists()
