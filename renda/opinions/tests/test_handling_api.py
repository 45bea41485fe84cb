"""The handling API's contract (fixed: POST /api/v1/opinions/{id}/triage and /answer): each
outcome's fields, clear 4xx answers, never a 500 (OP-TRIAGE, OP-ANSWER)."""

from __future__ import annotations

from datetime import date

import pytest

from renda.opinions.choices import OpinionState

from .handling_builders import at, deputyship, opinion


def test_every_outcome_through_the_api(world, api):
    station = api("station")
    cases = [
        ({"outcome": "answered", "text": "已答复。"}, OpinionState.ANSWERED),
        ({"outcome": "deputy", "deputy": deputyship(world).pk}, OpinionState.WITH_DEPUTY),
        ({"outcome": "suggestion", "deputy": deputyship(world).pk}, OpinionState.CONVERTED),
        ({"outcome": "refer", "unit": world.edu.pk}, OpinionState.REFERRED),
        ({"outcome": "close", "text": "请向法院咨询。"}, OpinionState.CLOSED),
    ]
    first = opinion(world)
    for body, state in cases:
        op = opinion(world)
        r = station.post(f"/opinions/{op.pk}/triage", body)
        assert r.status_code == 200, (body, r.content)
        assert r.json()["state"] == state and r.json()["outcome"] == body["outcome"]
    op = opinion(world)
    r = station.post(f"/opinions/{op.pk}/triage", {"outcome": "merge", "into": first.pk})
    assert r.status_code == 200 and r.json()["merged_into"] == first.pk
    county = opinion(world, station=None, congress=world.county)
    r = api("county_affairs").post(f"/opinions/{county.pk}/triage", {"outcome": "pass_up"})
    assert r.status_code == 200
    assert (r.json()["congress"], r.json()["passed_from"]) == (world.city.pk, world.county.pk)


def test_refer_answers_with_the_due_date(world, api):
    op = opinion(world)
    with at(date(2026, 9, 28)):
        r = api("station").post(
            f"/opinions/{op.pk}/triage", {"outcome": "refer", "unit": world.edu.pk}
        )
    assert r.status_code == 200
    assert r.json()["referral"]["due"] == "2026-10-23"
    with at(date(2026, 10, 26)):
        r = api("edu_clerk").post(f"/opinions/{op.pk}/answer", {"text": "已处理。"})
    assert r.status_code == 200 and r.json()["referral"]["late"] is True


def test_wrong_state_is_a_clear_409(world, api):
    op = opinion(world, state=OpinionState.CLOSED)
    r = api("station").post(f"/opinions/{op.pk}/triage", {"outcome": "answered", "text": "x"})
    assert r.status_code == 409
    assert r.json()["error"] == "wrong_state" and "(state: closed)" in r.json()["detail"]
    r = api("edu_clerk").post(f"/opinions/{op.pk}/answer", {"text": "x"})
    assert r.status_code == 404  # never referred to the unit: not theirs to see


@pytest.mark.parametrize(
    "body, field",
    [
        ({"outcome": "answered"}, "text"),
        ({"outcome": "close", "text": "   "}, "text"),
        ({"outcome": "refer"}, "unit"),
        ({"outcome": "refer", "unit": 999999}, "unit"),
        ({"outcome": "merge"}, "into"),
        ({"outcome": "deputy", "deputy": 999999}, "deputy"),
        ({"outcome": "nonsense"}, "outcome"),
        ({"outcome": "answered", "text": "x" * 20001}, "text"),
        ({"outcome": "refer", "unit": "1"}, "unit"),
    ],
)
def test_bad_input_is_a_clear_422(world, api, body, field):
    op = opinion(world)
    r = api("station").post(f"/opinions/{op.pk}/triage", body)
    assert r.status_code == 422, r.content
    assert field in r.json()["detail"]
    op.refresh_from_db()
    assert op.state == OpinionState.RECEIVED


def test_pass_up_at_the_top_is_409(world, api):
    op = opinion(world)
    r = api("station").post(f"/opinions/{op.pk}/triage", {"outcome": "pass_up"})
    assert r.status_code == 409 and r.json()["error"] == "no_higher_congress"


@pytest.mark.parametrize("path", ["/opinions/0/triage", "/opinions/99999999/triage"])
def test_missing_opinion_is_404(world, api, path):
    assert api("station").post(path, {"outcome": "close", "text": "x"}).status_code == 404


def test_not_json_is_a_clear_4xx(world, api):
    op = opinion(world)
    r = api("station").post(f"/opinions/{op.pk}/triage", raw="not json")
    assert r.status_code == 400
    r = api("edu_clerk").post(f"/opinions/{op.pk}/answer", raw="[1]")
    assert r.status_code in (404, 422)
