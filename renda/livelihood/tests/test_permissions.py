"""Permission matrix of the livelihood pages and API: every endpoint × every role of the world.

The office (deputy_affairs) and administrators run the plan; the government side
(gov_supervisor) drafts candidates; the lead unit's staff report progress; deputies propose and
see the approved list; the public proposes and reads the board. A page a person may not open
answers 404 (the same as a missing one); anonymous visitors of working pages are sent to sign
in; the API answers 401 without a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import WORLD_USERS
from renda.livelihood import actions
from renda.livelihood.models import Project

from . import builders as b

OFFICE = {"admin", "affairs"}
GOV = {"admin", "supervisor"}
STAFF = OFFICE | GOV
DEPUTIES = {"deputy", "deputy2", "sc_member"}
LEAD_UNIT = {"edu_clerk", "edu_head"}
CITY_PAGES = STAFF | DEPUTIES | LEAD_UNIT | {"transport_clerk"}
NAME, PHONE = "王阿姨", "13700003333"


def _client(signed_in: Any, username: str | None) -> Client:
    return signed_in(username) if username else Client()


@pytest.fixture
def setup(world: Any) -> dict[str, Any]:
    p, chosen = b.chosen(world)
    actions.file_report(
        chosen[0],
        month=f"{timezone.localdate():%Y-%m}",
        text="进展顺利",
        percent=20,
        spent="100000",
        by=world["edu_clerk"],
    )
    open_plan = b.plan(world, year=2028)
    actions.propose(open_plan, title="社区食堂", text="老人吃饭难", name=NAME, phone=PHONE)
    draft = actions.save_candidate(open_plan, b.data(world), by=world["supervisor"])
    return {"plan": p, "project": chosen[0], "open": open_plan, "draft": draft}


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_public_pages_and_api_are_open_and_show_no_personal_data(signed_in, setup, username):
    c = _client(signed_in, username)
    p, project = setup["plan"], setup["project"]
    photo_less = [
        reverse("livelihood_public:index"),
        reverse("livelihood_public:board", args=[p.pk]),
        reverse("livelihood_public:board_xlsx", args=[p.pk]),
        reverse("livelihood_public:propose", args=[setup["open"].pk]),
        "/api/v1/livelihood/plans",
        f"/api/v1/livelihood/projects?year={p.year}",
        f"/api/v1/livelihood/projects/{project.pk}/reports",
    ]
    for url in photo_less:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
        if not url.endswith(".xlsx"):
            body = r.content.decode()
            assert NAME not in body and PHONE not in body, url


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_board_of_a_plan_not_yet_chosen_is_not_public(signed_in, setup, username):
    c = _client(signed_in, username)
    assert c.get(reverse("livelihood_public:board", args=[setup["open"].pk])).status_code == 404


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_anyone_may_propose_in_the_window(signed_in, setup, username):
    c = _client(signed_in, username)
    url = reverse("livelihood_public:propose", args=[setup["open"].pk])
    r = c.post(url, {"title": "路灯", "text": "小区路灯坏了"})
    assert r.status_code == 302, r.status_code
    api = c.post(
        "/api/v1/livelihood/proposals",
        {"plan": setup["open"].pk, "title": "公厕", "text": "需要公厕"},
        content_type="application/json",
    )
    assert api.status_code == 201, api.content


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_working_pages(signed_in, setup, username):
    c = _client(signed_in, username)
    p, project, open_plan = setup["plan"], setup["project"], setup["open"]
    expect = {
        reverse("livelihood:plans"): CITY_PAGES | {"county_affairs"},
        reverse("livelihood:plan", args=[p.pk]): CITY_PAGES,
        reverse("livelihood:project", args=[project.pk]): STAFF | DEPUTIES | LEAD_UNIT,
        reverse("livelihood:project", args=[setup["draft"].pk]): STAFF | LEAD_UNIT,
        reverse("livelihood:candidate_new", args=[open_plan.pk]): GOV,
        reverse("livelihood:candidate_edit", args=[setup["draft"].pk]): GOV,
        reverse("livelihood:candidates_xlsx", args=[p.pk]): STAFF | DEPUTIES,
        reverse("livelihood:deputy_propose", args=[open_plan.pk]): DEPUTIES,
    }
    for url, allowed in expect.items():
        r = c.get(url)
        if username is None:
            assert r.status_code == 302 and "/login" in r["Location"], url
        elif username in allowed:
            assert r.status_code == 200, (url, r.status_code)
        else:
            assert r.status_code == 404, (url, r.status_code)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_proposers_contact_is_shown_to_the_office_and_government_side_only(
    signed_in, setup, username
):
    r = signed_in(username).get(reverse("livelihood:plan", args=[setup["open"].pk]))
    if username not in CITY_PAGES:
        assert r.status_code == 404
        return
    assert (PHONE in r.content.decode()) == (username in STAFF)


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_review_post(signed_in, setup, username):
    """Approving a submitted candidate: the office only (the government side and the lead unit
    see it: 403)."""
    draft = actions.submit_candidate(setup["draft"], by=setup["draft"].created_by)
    c = _client(signed_in, username)
    r = c.post(reverse("livelihood:project_approve", args=[draft.pk]))
    state = Project.objects.get(pk=draft.pk).state
    if username in OFFICE:
        assert r.status_code == 302 and state == "approved"
    elif username in GOV | LEAD_UNIT:
        assert r.status_code == 403 and state == "submitted"
    elif username is None:
        assert r.status_code == 302 and "/login" in r["Location"]
    else:
        assert r.status_code == 404 and state == "submitted"


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_progress_report_api(signed_in, api, setup, username):
    """POST /api/v1/livelihood/projects/{id}/reports: the lead unit and the office."""
    project = setup["project"]
    client = api(username) if username else api()
    r = client.post(
        f"/livelihood/projects/{project.pk}/reports",
        {"month": "2020-01", "text": "补报", "percent": 5, "spent": "1000.50"},
    )
    if username is None:
        assert r.status_code == 401
    elif username in LEAD_UNIT | OFFICE:
        assert r.status_code == 201, r.content
        assert r.json()["spent"] in ("1000.50", 1000.5)
    elif username in STAFF | DEPUTIES:
        assert r.status_code == 403, r.content
    else:
        assert r.status_code == 404, r.content


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_candidates_api(api, setup, username):
    """GET /api/v1/livelihood/plans/{id}/candidates: staff see drafts, deputies approved ones."""
    client = api(username) if username else api()
    r = client.get(f"/livelihood/plans/{setup['open'].pk}/candidates")
    if username is None:
        assert r.status_code == 401
    elif username in STAFF:
        assert r.status_code == 200 and len(r.json()) == 1
    elif username in DEPUTIES:
        assert r.status_code == 200 and r.json() == []
    else:
        assert r.status_code == 404
