"""The receiving API (issue 5, fixed contract): POST /opinions → 201 {"tracking_code"}, stored
before the answer; GET /opinions/track/{code} with no personal data; the citizen's rating
(once per answer; dissatisfied reopens once; within the profile's opinion_rating_window);
per-address and per-phone limits (429 + Retry-After); GET /stations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from renda.audit.models import AuditEvent
from renda.deputies.models import Deputyship
from renda.opinions.actions.receiving import rate_opinion
from renda.opinions.choices import Channel, OpinionState
from renda.opinions.models import Opinion, OpinionEvent
from renda.opinions.tests.receiving_builders import answer, category, reception_day, station

NAME, PHONE = "王大妈", "13700001111"


def _body(**extra: Any) -> dict[str, Any]:
    body = {
        "category": category().pk,
        "text": "公交101路晚上八点后就停运了，下夜班回不了家。",
        "name": NAME,
        "phone": PHONE,
        "anonymous": False,
        "publish_consent": True,
    }
    body.update(extra)
    return body


def test_submit_returns_201_and_a_stored_tracking_code(world: Any, api: Any) -> None:
    st = station(world)
    response = api().post("/opinions", _body(station=st.public_code, location="五马街公交站"))
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    assert set(response.json()) == {"tracking_code"}
    assert len(code) >= 20  # 120 random bits (new_tracking_code)
    o = Opinion.objects.get(tracking_code=code)
    assert (o.station, o.congress, o.channel, o.name, o.phone) == (
        st,
        world.city,
        Channel.ONLINE,
        NAME,
        PHONE,
    )
    assert o.state == OpinionState.RECEIVED and o.publish_consent
    assert OpinionEvent.objects.filter(opinion=o, kind="received").exists()
    event = AuditEvent.objects.get(verb="opinion.received")
    assert NAME not in str(event.data) and PHONE not in str(event.data)
    assert event.data["station"] == st.pk


def test_station_by_id_deputy_by_code_and_the_congress_follows(world: Any, api: Any) -> None:
    st = station(world)
    assert api().post("/opinions", _body(station=st.pk)).status_code == 201
    d = Deputyship.objects.get(person__user=world["deputy"])
    r = api().post("/opinions", _body(deputy=d.public_code))
    assert r.status_code == 201
    o = Opinion.objects.get(tracking_code=r.json()["tracking_code"])
    assert (o.deputy, o.congress, o.channel) == (d, world.city, Channel.DEPUTY_CODE)
    r = api().post("/opinions", _body(congress=world.county.pk))
    assert Opinion.objects.get(tracking_code=r.json()["tracking_code"]).congress == world.county
    r = api().post("/opinions", _body())  # nothing named: the default (top) congress
    assert Opinion.objects.get(tracking_code=r.json()["tracking_code"]).congress == world.city


def test_anonymous_keeps_no_name_and_no_phone(world: Any, api: Any) -> None:
    r = api().post("/opinions", _body(anonymous=True))
    o = Opinion.objects.get(tracking_code=r.json()["tracking_code"])
    assert (o.anonymous, o.name, o.phone) == (True, "", "")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "长" * 5001}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"category": 999999}, "category"),
        ({"station": "nope"}, "station"),
        ({"deputy": "nope"}, "deputy"),
        ({"phone": "call me"}, "phone"),
        ({"name": "名" * 51}, "name"),
        ({"congress": 999999}, "congress"),
    ],
)
def test_bad_input_is_a_clear_422_and_nothing_is_kept(
    world: Any, api: Any, extra: dict[str, Any], field: str
) -> None:
    r = api().post("/opinions", _body(**extra))
    assert r.status_code == 422, r.content
    assert field in r.json()["detail"]
    assert not Opinion.objects.exists()


def test_station_and_deputy_of_different_congresses_are_refused(world: Any, api: Any) -> None:
    st = station(world, congress=world.county)
    d = Deputyship.objects.get(person__user=world["deputy"])
    r = api().post("/opinions", _body(station=st.public_code, deputy=d.public_code))
    assert r.status_code == 422


@override_settings(RENDA_OPINION_SUBMIT_LIMITS=[(2, 600)], RENDA_OPINION_PHONE_LIMITS=[(9, 600)])
def test_submissions_per_address_are_limited_with_retry_after(world: Any, api: Any) -> None:
    assert api().post("/opinions", _body()).status_code == 201
    assert api().post("/opinions", _body()).status_code == 201
    r = api().post("/opinions", _body())
    assert r.status_code == 429
    assert 1 <= int(r["Retry-After"]) <= 601
    assert r.json()["error"] == "too_many_requests" and r.json()["retry_at"]
    assert "try again after" in r.json()["detail"]
    assert Opinion.objects.count() == 2


@override_settings(RENDA_OPINION_SUBMIT_LIMITS=[(50, 600)], RENDA_OPINION_PHONE_LIMITS=[(2, 3600)])
def test_submissions_per_phone_are_limited_across_addresses(world: Any, api: Any) -> None:
    for i in range(2):
        r = api().client.post(
            "/api/v1/opinions",
            _body(phone="137 0000 1111" if i else PHONE),
            content_type="application/json",
            REMOTE_ADDR=f"10.0.0.{i + 1}",
        )
        assert r.status_code == 201
    r = api().client.post(
        "/api/v1/opinions", _body(), content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    # Another phone from that address still passes.
    r = api().client.post(
        "/api/v1/opinions",
        _body(phone="13900002222"),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert r.status_code == 201


def test_tracking_shows_state_history_and_answer_but_no_personal_data(world: Any, api: Any) -> None:
    """Personal data (name, phone) never in the tracking API."""
    st = station(world)
    code = api().post("/opinions", _body(station=st.public_code)).json()["tracking_code"]
    r = api().get(f"/opinions/track/{code}")
    assert r.status_code == 200
    data = r.json()
    assert data["state"] == "received" and data["answer"] is None and not data["can_rate"]
    assert [h["kind"] for h in data["history"]] == ["received"]
    answer(Opinion.objects.get(tracking_code=code), world)
    data = api().get(f"/opinions/track/{code}").json()
    assert data["state"] == "answered" and data["can_rate"]
    assert data["answer"]["text"] == "已安排维修，本周内修好。"
    assert data["answer"]["by"] == world.transport.name
    raw = r.content.decode() + api().get(f"/opinions/track/{code}").content.decode()
    for secret in (NAME, PHONE, "transport_clerk", "station"):
        assert secret not in raw.replace("\\u", "").replace('"station"', ""), secret


def test_unknown_or_malformed_codes_are_404(world: Any, api: Any) -> None:
    assert api().get("/opinions/track/" + "A" * 24).status_code == 404
    assert api().get("/opinions/track/x").status_code == 404
    assert (
        api().post("/opinions/track/" + "A" * 24 + "/rating", {"rating": "satisfied"}).status_code
        == 404
    )


@override_settings(RENDA_OPINION_TRACK_LIMITS=[(3, 600)])
def test_tracking_look_ups_are_limited_found_or_not(world: Any, api: Any) -> None:
    for _ in range(3):
        assert api().get("/opinions/track/" + "B" * 24).status_code == 404
    r = api().get("/opinions/track/" + "B" * 24)
    assert r.status_code == 429 and int(r["Retry-After"]) > 0


def _answered(world: Any, api: Any) -> tuple[str, Opinion]:
    code = (
        api().post("/opinions", _body(station=station(world).public_code)).json()["tracking_code"]
    )
    return code, answer(Opinion.objects.get(tracking_code=code), world)


def test_rating_only_when_answered(world: Any, api: Any) -> None:
    code = api().post("/opinions", _body()).json()["tracking_code"]
    r = api().post(f"/opinions/track/{code}/rating", {"rating": "satisfied"})
    assert r.status_code == 409 and r.json()["error"] == "not_answered"


def test_rating_satisfied_is_recorded_and_a_second_rating_is_409(world: Any, api: Any) -> None:
    code, o = _answered(world, api)
    r = api().post(f"/opinions/track/{code}/rating", {"rating": "basically_satisfied"})
    assert r.status_code == 200, r.content
    assert r.json()["rating"] == "basically_satisfied" and not r.json()["can_rate"]
    o.refresh_from_db()
    assert o.state == OpinionState.ANSWERED and o.rated_at is not None
    assert AuditEvent.objects.filter(verb="opinion.rated").count() == 1
    r = api().post(f"/opinions/track/{code}/rating", {"rating": "satisfied"})
    assert r.status_code == 409 and r.json()["error"] == "already_rated"


def test_a_bad_rating_value_is_422(world: Any, api: Any) -> None:
    code, _o = _answered(world, api)
    assert api().post(f"/opinions/track/{code}/rating", {"rating": "great"}).status_code == 422


def test_dissatisfied_reopens_once_then_only_records(world: Any, api: Any) -> None:
    code, o = _answered(world, api)
    r = api().post(f"/opinions/track/{code}/rating", {"rating": "dissatisfied"})
    assert r.status_code == 200 and r.json()["state"] == "reopened" and r.json()["reopened"]
    o.refresh_from_db()
    assert o.state == OpinionState.REOPENED and o.reopened_at is not None
    first_reopen = o.reopened_at
    # The station takes a second look and the unit answers again.
    o = answer(o, world, text="已复查，增开夜班车。", at=timezone.now() + timedelta(seconds=1))
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        r = api().post(f"/opinions/track/{code}/rating", {"rating": "dissatisfied"})
    assert r.status_code == 200 and r.json()["state"] == "answered"
    o.refresh_from_db()
    assert o.reopened_at == first_reopen and o.rating == "dissatisfied"
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        assert (
            api().post(f"/opinions/track/{code}/rating", {"rating": "satisfied"}).status_code == 409
        )


def test_rating_after_the_profiles_window_is_409(world: Any, api: Any) -> None:
    """opinion_rating_window (zhejiang: 30 days, PERIOD-REST-DAY may add a few) from the answer."""
    code, _o = _answered(world, api)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        r = api().post(f"/opinions/track/{code}/rating", {"rating": "satisfied"})
    assert r.status_code == 409 and r.json()["error"] == "rating_closed"
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert (
            api().post(f"/opinions/track/{code}/rating", {"rating": "satisfied"}).status_code == 200
        )


def test_rate_opinion_action_refuses_twice(world: Any, api: Any) -> None:
    _code, o = _answered(world, api)
    rate_opinion(o, rating="satisfied")
    with pytest.raises(Exception, match="already been rated"):
        rate_opinion(o, rating="satisfied")


def test_public_station_list(world: Any, api: Any) -> None:
    st = station(world)
    reception_day(st, world)
    station(world, name="关闭的站", active=False)
    r = api().get("/stations")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 1
    row = data["items"][0]
    assert row["code"] == st.public_code and row["phone"] == "0577-88000000"
    assert row["deputies"] == [world["deputy"].full_name]
    assert row["reception_days"][0]["deputies"] == [world["deputy2"].full_name]
    assert row["latitude"] == 28.0 and row["opening_hours"]
    assert "13800138000" not in r.content.decode()  # the deputies' own phones
    assert api().get("/stations", congress=world.county.pk).json()["count"] == 0
