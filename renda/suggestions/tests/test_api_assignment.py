"""The assignment and handling API: each endpoint × each role of the world, bad input → 422,
wrong state → 409 with the state, two office clerks calling at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections
from django.urls import Resolver404, resolve

from conftest import WORLD_USERS
from renda.orgs.models import HandlingUnit
from renda.suggestions.actions.assignment import request_return
from renda.suggestions.models import Assignment, Contact, CoOpinion, ReturnRequest, Suggestion

from .assignment_builders import assigned, assignment_of, at, registered

TODAY = date(2026, 3, 2)
ALL = list(WORLD_USERS)
# Office roles see every suggestion of the city congress, but only deputy_affairs acts on it.
VIEWERS = {"admin", "affairs", "committee", "supervisor", "leader"}


@pytest.fixture(autouse=True)
def _mounted_and_frozen():
    try:
        resolve("/api/v1/suggestions/1/assign")
        resolve("/api/v1/return-requests/1/decide")
    except Resolver404:
        pytest.skip(
            "!!! renda.suggestions.api_assignment routers are not mounted in renda/api.py !!!"
        )
    with at(TODAY):
        yield


def _expect(username: str, ok: set[str], status_ok: int, visible: set[str]) -> int:
    if username in ok:
        return status_ok
    return 403 if username in visible else 404


# --- permission matrix ----------------------------------------------------------------------
@pytest.mark.parametrize("username", ALL)
def test_assign_permissions(api, world, username):
    """Visible to the lead deputy and office roles; only the office (or an admin) assigns."""
    s = registered(world)
    body = {"lead_units": [world.edu.pk], "co_units": [world.transport.pk], "complex": False}
    response = api(username).post(f"/suggestions/{s.pk}/assign", body)
    expected = _expect(username, {"admin", "affairs"}, 200, VIEWERS | {"deputy"})
    assert response.status_code == expected, response.content
    if expected == 200:
        data = response.json()
        assert data["state"] == "assigned"
        rows = {a["unit"]: a for a in data["assignments"]}
        assert rows[world.edu.pk]["role"] == "lead"
        assert rows[world.edu.pk]["due"] == "2026-06-02"
        assert rows[world.edu.pk]["provisional"] is False
        assert rows[world.edu.pk]["return_due"] == "2026-03-12"
        assert rows[world.transport.pk]["role"] == "co"
        assert rows[world.transport.pk]["due"] == "2026-05-06"  # the co-unit's opinion
        assert data["deputy_notified_at"] is not None
    else:
        assert Suggestion.objects.get(pk=s.pk).state == "registered"


def test_anonymous_gets_401_everywhere(api, world):
    s = assigned(world)
    for path in ("assign", "return-requests", "contacts", "co-opinions", "sign-off"):
        assert api().post(f"/suggestions/{s.pk}/{path}", {}).status_code == 401
    assert api().post("/return-requests/1/decide", {"approve": True}).status_code == 401
    assert api().get("/return-requests").status_code == 401
    assert api().get(f"/suggestions/{s.pk}/assignments").status_code == 401


UNIT_VISIBLE = VIEWERS | {"deputy", "edu_clerk", "edu_head", "transport_clerk"}


@pytest.mark.parametrize("username", ALL)
def test_return_request_permissions(api, world, username):
    """SUG-RETURN: only the unit's own clerks and head ask; everyone else who sees it: 403."""
    s = assigned(world, cos=("transport",))
    body = {"unit": world.edu.pk, "reason": "不属于本单位职责"}
    response = api(username).post(f"/suggestions/{s.pk}/return-requests", body)
    expected = _expect(username, {"edu_clerk", "edu_head"}, 201, UNIT_VISIBLE)
    assert response.status_code == expected, response.content
    if expected == 201:
        data = response.json()
        assert data["state"] == "pending"
        assert data["window_closes"] == "2026-03-12"
        assert data["suggestion_state"] == "reassigning"
    else:
        assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize("username", ALL)
def test_decide_permissions(api, world, username):
    s = assigned(world, cos=("transport",))
    r = request_return(
        assignment_of(s, world.transport), reason="非本单位", by=world["transport_clerk"]
    )
    response = api(username).post(f"/return-requests/{r.pk}/decide", {"approve": True})
    expected = _expect(username, {"admin", "affairs"}, 200, UNIT_VISIBLE)
    assert response.status_code == expected, response.content
    r.refresh_from_db()
    if expected == 200:
        assert response.json()["state"] == "approved"
        assert response.json()["suggestion_state"] == "assigned"
        assert r.state == "approved"
    else:
        assert r.state == "pending"


@pytest.mark.parametrize("username", ALL)
def test_contact_permissions(api, world, username):
    s = assigned(world, cos=("transport",))
    body = {"unit": world.edu.pk, "stage": "before", "method": "phone", "happened_on": "2026-03-02"}
    response = api(username).post(f"/suggestions/{s.pk}/contacts", body)
    expected = _expect(username, {"edu_clerk", "edu_head"}, 201, UNIT_VISIBLE)
    assert response.status_code == expected, response.content
    assert Contact.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("username", ALL)
def test_co_opinion_permissions(api, world, username):
    s = assigned(world, cos=("transport",))
    body = {"unit": world.transport.pk, "text": "建议增设公交线路"}
    response = api(username).post(f"/suggestions/{s.pk}/co-opinions", body)
    expected = _expect(username, {"transport_clerk"}, 201, UNIT_VISIBLE)
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["late"] is False
        assert response.json()["due"] == "2026-05-06"
    assert CoOpinion.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("username", ALL)
def test_sign_off_permissions(api, world, username):
    s = assigned(world, cos=("transport",))
    response = api(username).post(f"/suggestions/{s.pk}/sign-off", {"unit": world.edu.pk})
    expected = _expect(username, {"edu_head"}, 200, UNIT_VISIBLE)
    assert response.status_code == expected, response.content
    signed = assignment_of(s, world.edu).signed_off_at is not None
    assert signed == (expected == 200)
    if expected == 200:
        assert response.json()["signed_off_at"] is not None


@pytest.mark.parametrize("username", ALL)
def test_assignments_read_permissions(api, world, username):
    s = assigned(world, cos=("transport",))
    response = api(username).get(f"/suggestions/{s.pk}/assignments")
    assert response.status_code == (200 if username in UNIT_VISIBLE else 404)


@pytest.mark.parametrize("username", ALL)
def test_return_request_list_shows_the_office_and_the_unit_theirs(api, world, username):
    s = assigned(world, cos=("transport",))
    request_return(assignment_of(s, world.edu), reason="非本单位", by=world["edu_clerk"])
    response = api(username).get("/return-requests", state="pending")
    assert response.status_code == 200
    expected = 1 if username in {"admin", "affairs", "edu_clerk", "edu_head"} else 0
    assert len(response.json()) == expected


# --- wrong state, missing objects -----------------------------------------------------------
def test_assign_twice_is_409_with_the_state(api, world):
    s = assigned(world)
    response = api("affairs").post(f"/suggestions/{s.pk}/assign", {"lead_units": [world.edu.pk]})
    assert response.status_code == 409
    assert response.json()["error"] == "wrong_state"
    assert "state: assigned" in response.json()["detail"]


def test_return_after_the_window_is_409_with_the_date(api, world):
    s = assigned(world)
    with at(date(2026, 3, 13)):
        response = api("edu_clerk").post(
            f"/suggestions/{s.pk}/return-requests", {"unit": world.edu.pk, "reason": "非本单位"}
        )
    assert response.status_code == 409
    assert response.json()["error"] == "return_window_closed"
    assert "2026-03-12" in response.json()["detail"]


def test_decide_twice_is_409(api, world):
    s = assigned(world, cos=("transport",))
    r = request_return(
        assignment_of(s, world.transport), reason="非本单位", by=world["transport_clerk"]
    )
    assert (
        api("affairs").post(f"/return-requests/{r.pk}/decide", {"approve": False}).status_code
        == 200
    )
    again = api("affairs").post(f"/return-requests/{r.pk}/decide", {"approve": True})
    assert again.status_code == 409 and again.json()["error"] == "already_decided"


@pytest.mark.parametrize("pk", ["999999", str(2**70)])
def test_missing_objects_are_404(api, world, pk):
    assert api("affairs").post(f"/suggestions/{pk}/assign", {"lead_units": [1]}).status_code == 404
    assert (
        api("affairs").post(f"/return-requests/{pk}/decide", {"approve": True}).status_code == 404
    )


def test_a_draft_is_404_to_the_office(api, world):
    from renda.suggestions.models import Suggestion as S

    s = registered(world)
    S.objects.filter(pk=s.pk).update(state="draft")
    response = api("affairs").post(f"/suggestions/{s.pk}/assign", {"lead_units": [world.edu.pk]})
    assert response.status_code == 404


# --- bad input → 422 naming the field, nothing written --------------------------------------
@pytest.mark.parametrize(
    "body, field",
    [
        ({"lead_units": [999_999]}, "lead_units"),
        ({"lead_units": []}, "lead_units"),
        ({}, "lead_units"),
        ({"lead_units": "1"}, "lead_units"),
        ({"lead_units": [2**70]}, "lead_units"),
        ({"lead_units": [0]}, "lead_units"),
        ({"lead_units": list(range(1, 60))}, "lead_units"),
        ({"lead_units": ["edu"]}, "lead_units"),
        ({"lead_units": [True]}, "lead_units"),
        ({"lead_units": ["EDU"], "co_units": [None]}, "co_units"),
        ({"lead_units": ["EDU"], "co_units": ["EDU"]}, "co_units"),
        ({"lead_units": ["EDU", "EDU"]}, "lead_units"),
        ({"lead_units": ["COUNTY"]}, "lead_units"),
        ({"lead_units": ["EDU"], "complex": "yes"}, "complex"),
        ({"lead_units": ["EDU"], "assigned_on": "2026-03-03"}, "assigned_on"),  # tomorrow
        ({"lead_units": ["EDU"], "assigned_on": "2026-02-28"}, "assigned_on"),  # before submission
        ({"lead_units": ["EDU"], "assigned_on": "0001-01-01"}, "assigned_on"),
        ({"lead_units": ["EDU"], "assigned_on": "9999-12-31"}, "assigned_on"),
        ({"lead_units": ["EDU"], "assigned_on": "2026-13-01"}, "assigned_on"),
        ({"lead_units": ["EDU"], "assigned_on": "yesterday"}, "assigned_on"),
    ],
)
def test_assign_bad_input_is_422_naming_the_field(api, world, body, field):
    county_unit = HandlingUnit.objects.create(congress=world.county, name="区教育局")
    names = {"EDU": world.edu.pk, "COUNTY": county_unit.pk}

    def swap(v):
        return (
            [names.get(x, x) if isinstance(x, str) else x for x in v] if isinstance(v, list) else v
        )

    body = {k: swap(v) for k, v in body.items()}
    s = registered(world)
    response = api("affairs").post(f"/suggestions/{s.pk}/assign", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert Suggestion.objects.get(pk=s.pk).state == "registered"
    assert not Assignment.objects.exists()


def test_assign_body_must_be_an_object(api, world):
    s = registered(world)
    response = api("affairs").post(f"/suggestions/{s.pk}/assign", raw="[1, 2]")
    assert response.status_code == 422
    assert api("affairs").post(f"/suggestions/{s.pk}/assign", raw="{").status_code == 400


def test_back_dated_assignment_through_the_api(api, world):
    with at(date(2026, 2, 20)):
        s = registered(world)
    body = {"lead_units": [world.edu.pk], "assigned_on": "2026-02-25", "complex": True}
    response = api("affairs").post(f"/suggestions/{s.pk}/assign", body)
    assert response.status_code == 200
    row = response.json()["assignments"][0]
    assert row["assigned_on"] == "2026-02-25"
    assert row["due"] == "2026-08-25"  # SUG-DEADLINE: complex → 6 months
    assert response.json()["complex"] is True


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 100_000}, "reason"),
        ({"reason": 5}, "reason"),
        ({}, "reason"),
        ({"reason": "ok", "unit": "TRANSPORT_NOT_HELD"}, "unit"),
        ({"reason": "ok", "unit": 999_999}, "unit"),
        ({"reason": "ok", "unit": None}, "unit"),
    ],
)
def test_return_request_bad_input_is_422(api, world, body, field):
    s = assigned(world)  # edu only: transport does not hold it
    full = {"unit": world.edu.pk, **body}
    if full["unit"] == "TRANSPORT_NOT_HELD":
        full["unit"] = world.transport.pk
    response = api("edu_clerk").post(f"/suggestions/{s.pk}/return-requests", full)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"approve": "yes"}, "approve"),
        ({}, "approve"),
        ({"approve": True}, "new_lead_units"),  # the only lead unit leaves: name a new one
        ({"approve": True, "new_lead_units": [999_999]}, "new_lead_units"),
        ({"approve": True, "new_lead_units": [2**70]}, "new_lead_units"),
        ({"approve": False, "note": "x" * 100_000}, "note"),
    ],
)
def test_decide_bad_input_is_422_and_the_request_still_waits(api, world, body, field):
    s = assigned(world)
    r = request_return(assignment_of(s, world.edu), reason="非本单位", by=world["edu_clerk"])
    response = api("affairs").post(f"/return-requests/{r.pk}/decide", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert ReturnRequest.objects.get(pk=r.pk).state == "pending"
    assert Suggestion.objects.get(pk=s.pk).state == "reassigning"


def test_decide_approve_with_a_new_lead_unit(api, world):
    s = assigned(world)
    r = request_return(assignment_of(s, world.edu), reason="非本单位", by=world["edu_clerk"])
    response = api("affairs").post(
        f"/return-requests/{r.pk}/decide",
        {"approve": True, "new_lead_units": [world.transport.pk], "note": "改由交通局主办"},
    )
    assert response.status_code == 200
    rows = api("affairs").get(f"/suggestions/{s.pk}/assignments").json()["assignments"]
    assert [(a["unit"], a["role"], a["state"]) for a in rows] == [
        (world.transport.pk, "lead", "active")
    ]
    # The unit that returned it no longer sees it.
    assert api("edu_clerk").get(f"/suggestions/{s.pk}/assignments").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"happened_on": "2026-03-03"}, "happened_on"),
        ({"happened_on": "2026-03-01"}, "happened_on"),
        ({"happened_on": "03/02/2026"}, "happened_on"),
        ({"stage": "later"}, "stage"),
        ({"method": "pigeon"}, "method"),
        ({"note": "x" * 100_000}, "note"),
        ({"unit": "TRANSPORT"}, "unit"),
    ],
)
def test_contact_bad_input_is_422(api, world, body, field):
    s = assigned(world)
    full = {"unit": world.edu.pk, "stage": "during", "method": "visit", "happened_on": "2026-03-02"}
    full.update(body)
    if full["unit"] == "TRANSPORT":
        full["unit"] = world.transport.pk
    response = api("edu_clerk").post(f"/suggestions/{s.pk}/contacts", full)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert not Contact.objects.exists()


def test_html_is_stored_as_text_and_returned_as_json_text(api, world):
    s = assigned(world)
    note = '<img src=x onerror="alert(1)">'
    response = api("edu_clerk").post(
        f"/suggestions/{s.pk}/contacts",
        {
            "unit": world.edu.pk,
            "stage": "during",
            "method": "visit",
            "happened_on": "2026-03-02",
            "note": note,
        },
    )
    assert response.status_code == 201
    assert response.json()["note"] == note
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("text", ["", "x" * 100_000])
def test_co_opinion_bad_text_is_422(api, world, text):
    s = assigned(world, cos=("transport",))
    response = api("transport_clerk").post(
        f"/suggestions/{s.pk}/co-opinions", {"unit": world.transport.pk, "text": text}
    )
    assert response.status_code == 422
    assert "text" in response.json()["detail"]


def test_co_opinion_twice_is_409_and_lead_unit_is_409(api, world):
    s = assigned(world, cos=("transport",))
    body = {"unit": world.transport.pk, "text": "意见"}
    assert api("transport_clerk").post(f"/suggestions/{s.pk}/co-opinions", body).status_code == 201
    again = api("transport_clerk").post(f"/suggestions/{s.pk}/co-opinions", body)
    assert again.status_code == 409 and again.json()["error"] == "already_sent"
    lead = api("edu_clerk").post(
        f"/suggestions/{s.pk}/co-opinions", {"unit": world.edu.pk, "text": "x"}
    )
    assert lead.status_code == 409 and lead.json()["error"] == "not_a_co_unit"


def test_sign_off_twice_is_409(api, world):
    s = assigned(world)
    assert (
        api("edu_head").post(f"/suggestions/{s.pk}/sign-off", {"unit": world.edu.pk}).status_code
        == 200
    )
    again = api("edu_head").post(f"/suggestions/{s.pk}/sign-off", {"unit": world.edu.pk})
    assert again.status_code == 409 and again.json()["error"] == "already_signed_off"


# --- two office clerks at once, through the API ---------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_clerks_assigning_through_the_api_one_wins_the_other_gets_409(api, world):
    """Real concurrent requests: one 200, one 409 naming the state; one set of assignments."""
    from conftest import make_user
    from renda.accounts.models import RoleAssignment

    other = make_user("affairs2")
    RoleAssignment.objects.create(user=other, role="deputy_affairs", congress=world.city)
    world.users["affairs2"] = other
    s = registered(world)
    clients = [api("affairs"), api("affairs2")]
    bodies = [{"lead_units": [world.edu.pk]}, {"lead_units": [world.transport.pk]}]
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    details: list[str] = []

    def work(i):
        try:
            barrier.wait(timeout=10)
            response = clients[i].post(f"/suggestions/{s.pk}/assign", bodies[i])
            statuses.append(response.status_code)
            details.append(response.json().get("detail", ""))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(statuses) == [200, 409]
    assert any("state: assigned" in d for d in details)
    assert Assignment.objects.filter(suggestion=s).count() == 1


# --- unit search for the assignment screen (GET /api/v1/units?q=, renda/orgs/api.py) ---------
def test_units_search_by_part_of_the_name(api, world):
    found = api("affairs").get("/units", congress=world.city.pk, q="教育").json()
    assert [u["id"] for u in found] == [world.edu.pk]
    assert api("affairs").get("/units", q="  ").status_code == 200
    assert api("affairs").get("/units", q="x" * 101).status_code == 422
