"""Every handling endpoint (API and pages) × every demo role, anonymous included; personal data
per role (issue 5 "Must hold": station staff see name and phone; units only for opinions
referred to them; deputies for opinions addressed to them or followed up)."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import WORLD_USERS
from renda.opinions.actions.handling import triage
from renda.opinions.choices import OpinionState

from .handling_builders import CITIZEN_NAME, CITIZEN_PHONE, opinion

ROLES = [None, *WORLD_USERS]
# Who sees an opinion of the world's station addressed to `deputy`.
SEES = {"station", "affairs", "admin", "deputy"}
UNIT = {"edu_clerk", "edu_head"}
QUEUE_USERS = {
    "admin",
    "affairs",
    "deputy",
    "deputy2",
    "sc_member",
    "edu_clerk",
    "edu_head",
    "transport_clerk",
    "station",
    "county_affairs",
}


def _addressed(world, **extra):
    return opinion(world, deputy="deputy", **extra)


def _referred(world, **extra):
    op = _addressed(world, **extra)
    triage(op, "refer", unit=world.edu.pk, by=world["station"])
    return op


@pytest.mark.parametrize("username", ROLES)
def test_api_triage_matrix(world, api, username):
    op = _addressed(world)
    r = api(username).post(f"/opinions/{op.pk}/triage", {"outcome": "close", "text": "已说明。"})
    if username is None:
        assert r.status_code == 401
    elif username in SEES:
        assert r.status_code == 200, r.content
        assert r.json()["state"] == OpinionState.CLOSED
    else:
        assert r.status_code == 404
        op.refresh_from_db()
        assert op.state == OpinionState.RECEIVED


@pytest.mark.parametrize("username", ROLES)
def test_api_answer_matrix(world, api, username):
    op = _referred(world)
    r = api(username).post(f"/opinions/{op.pk}/answer", {"text": "已处理。"})
    if username is None:
        assert r.status_code == 401
    elif username in UNIT:
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["state"] == OpinionState.ANSWERED and body["referral"]["state"] == "answered"
    elif username in SEES:
        assert r.status_code == 403
    else:
        assert r.status_code == 404
    if username not in UNIT:
        op.refresh_from_db()
        assert op.state == OpinionState.REFERRED


@pytest.mark.parametrize("username", ROLES)
def test_queue_page_matrix(world, username):
    _referred(world)
    client = Client()
    if username:
        client.force_login(world[username])
    r = client.get("/opinions/handling/")
    if username is None:
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    elif username in QUEUE_USERS:
        assert r.status_code == 200
        rows = r.content.decode().count('data-testid="queue-row"')
        assert rows == (1 if username in SEES | UNIT else 0), username
    else:
        assert r.status_code == 403


@pytest.mark.parametrize("username", ROLES)
def test_detail_and_post_pages_matrix(world, username):
    op = _referred(world)
    client = Client()
    if username:
        client.force_login(world[username])
    detail = client.get(f"/opinions/handling/{op.pk}/")
    triaged = client.post(f"/opinions/handling/{op.pk}/triage/", {"outcome": "close", "text": "x"})
    answered = client.post(f"/opinions/handling/{op.pk}/answer/", {"text": "已处理。"})
    if username is None:
        for r in (detail, triaged, answered):
            assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    elif username in SEES:
        assert detail.status_code == 200
        assert triaged.status_code == 409  # referred: no triage now
        assert answered.status_code == 403
        html = answered.content.decode()
        assert 'data-testid="page-error"' in html and 'data-testid="unit-answer"' not in html
    elif username in UNIT:
        assert detail.status_code == 200
        assert triaged.status_code == 403
        assert answered.status_code == 302
    else:
        assert (detail.status_code, triaged.status_code, answered.status_code) == (404, 404, 404)


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("username", WORLD_USERS)
def test_personal_data_per_role(world, username, anonymous):
    op = _referred(world, anonymous=anonymous)
    client = Client()
    client.force_login(world[username])
    r = client.get(f"/opinions/handling/{op.pk}/")
    html = r.content.decode()
    if username not in SEES | UNIT:
        assert r.status_code == 404
        return
    shown = CITIZEN_PHONE in html and CITIZEN_NAME in html
    if username in {"station", "affairs", "admin"}:
        assert shown
    else:  # the referred unit, the addressed deputy: not when the citizen asked anonymity
        assert shown is (not anonymous)
        assert ('data-testid="citizen-hidden"' in html) is anonymous


def test_personal_data_never_in_the_queue_or_the_api(world, api, signed_in):
    op = _addressed(world)
    html = signed_in("station").get("/opinions/handling/").content.decode()
    assert CITIZEN_PHONE not in html and CITIZEN_NAME not in html
    r = api("station").post(f"/opinions/{op.pk}/triage", {"outcome": "answered", "text": "好"})
    assert CITIZEN_PHONE not in r.content.decode()


def test_the_deputy_following_up_sees_it_and_the_next_unit_only_its_own(world, signed_in):
    from .handling_builders import deputyship

    op = opinion(world)
    triage(op, "deputy", deputy=deputyship(world, "deputy2").pk, by=world["station"])
    r = signed_in("deputy2").get(f"/opinions/handling/{op.pk}/")
    assert r.status_code == 200 and CITIZEN_PHONE in r.content.decode()
    assert signed_in("transport_clerk").get(f"/opinions/handling/{op.pk}/").status_code == 404
