"""/api/v1/suggestions (submission and registration): contract, permission matrix, bad input."""

from __future__ import annotations

import json
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from renda.accounts.actions import issue_api_token
from renda.suggestions.actions.assignment import assign
from renda.suggestions.actions.registration import register
from renda.suggestions.actions.submission import confirm_cosign
from renda.suggestions.choices import State
from renda.suggestions.models import Sponsor, Suggestion, Topic

from .test_submission import BETWEEN_SESSIONS, drafted, make_deputies, motion_with, submitted

ALL_USERS = [
    "admin",
    "affairs",
    "deputy",
    "deputy2",
    "edu_clerk",
    "edu_head",
    "transport_clerk",
    "station",
    "sc_member",
    "committee",
    "supervisor",
    "leader",
    "county_affairs",
    "nobody",
]
DEPUTIES = {"deputy", "deputy2", "sc_member"}
OFFICE = {"admin", "affairs"}
# Past the draft, the city's office-side roles see every suggestion of the city.
CITY_WATCHERS = {"admin", "affairs", "committee", "supervisor", "leader"}


@pytest.fixture
def cases(world):
    """A draft (deputy2 invited), a submitted suggestion and a submitted motion (deputy2 a
    confirmed co-signer of both), all led by `deputy`."""
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        draft = drafted(world, cosigners=[world["deputy2"]])
        sub = submitted(world, cosigners=[world["deputy2"]])
        confirm_cosign(sub, by=world["deputy2"])
        motion = motion_with(world, confirmed=9)
        Sponsor.objects.create(suggestion=motion, deputy=world["deputy2"], role="cosigner")
        confirm_cosign(motion, by=world["deputy2"])
        from renda.suggestions.actions.submission import submit

        motion = submit(motion, by=world["deputy"])
    return {"draft": draft, "sub": sub, "motion": motion}


def _expect(username: str, allowed: set[str], visible: set[str]) -> int:
    if username in allowed:
        return 200
    return 403 if username in visible else 404


SUB_VISIBLE = CITY_WATCHERS | {"deputy", "deputy2"}
DRAFT_VISIBLE = {"deputy", "deputy2"}

# endpoint -> (case, method, path suffix, body, allowed roles, visible roles)
MATRIX = {
    "detail": ("sub", "get", "", None, SUB_VISIBLE, SUB_VISIBLE),
    "autosave": ("draft", "patch", "", {"body": "新正文"}, {"deputy"}, DRAFT_VISIBLE),
    "invite": ("draft", "post", "/cosigners", "sc_member", {"deputy"}, DRAFT_VISIBLE),
    "cosign": ("draft", "post", "/cosign", {}, {"deputy2"}, DRAFT_VISIBLE),
    "decline": ("draft", "post", "/decline", {}, {"deputy2"}, DRAFT_VISIBLE),
    "submit": ("draft", "post", "/submit", {}, {"deputy"}, DRAFT_VISIBLE),
    "register": ("sub", "post", "/register", {}, OFFICE, SUB_VISIBLE),
    "reject": (
        "sub",
        "post",
        "/reject",
        {"ground": "no_content", "explanation": "没有具体内容。"},
        OFFICE,
        SUB_VISIBLE,
    ),
    "convert": ("motion", "post", "/convert", {}, OFFICE, SUB_VISIBLE),
}


def _call(client, method, path, body):
    if method == "get":
        return client.get(path)
    if method == "patch":
        return client.client.patch(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=client._headers(),
        )
    return client.post(path, body)


@pytest.mark.parametrize("username", ALL_USERS)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_permission_matrix(api, world, cases, endpoint, username):
    """Every endpoint × every role: allowed → 200; visible but not allowed → 403; not visible
    (or missing) → 404."""
    case, method, suffix, body, allowed, visible = MATRIX[endpoint]
    if body == "sc_member":
        body = {"cosigners": [world["sc_member"].pk]}
    s = cases[case]
    before = Suggestion.objects.get(pk=s.pk).state
    response = _call(api(username), method, f"/suggestions/{s.pk}{suffix}", body)
    expected = _expect(username, allowed, visible)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert response.json()["error"] in ("forbidden", "not_found")
        assert Suggestion.objects.get(pk=s.pk).state == before


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_anonymous_gets_401_everywhere(api, cases, endpoint):
    case, method, suffix, body, *_ = MATRIX[endpoint]
    response = _call(api(), method, f"/suggestions/{cases[case].pk}{suffix}", body or {})
    assert response.status_code == 401


@pytest.mark.parametrize("username", ALL_USERS)
def test_create_permission_matrix(api, world, username):
    response = api(username).post(
        "/suggestions", {"kind": "suggestion", "title": "标题", "body": "正文"}
    )
    assert response.status_code == (201 if username in DEPUTIES else 403), response.content
    assert api().post("/suggestions", {"kind": "suggestion", "title": "t"}).status_code == 401


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_shows_each_role_only_what_it_may_see(api, world, cases, username):
    s = cases["sub"]
    register(s, by=world["affairs"])
    assign(s, lead_units=[world.edu.pk], by=world["affairs"])
    response = api(username).get("/suggestions")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["items"]}
    expected = set()
    if username in DRAFT_VISIBLE:
        expected.add(cases["draft"].pk)
    if username in SUB_VISIBLE:
        expected |= {cases["sub"].pk, cases["motion"].pk}
    if username in {"edu_clerk", "edu_head"}:
        expected.add(cases["sub"].pk)
    assert ids == expected
    assert response.json()["count"] == len(expected)


def test_list_anonymous_is_401(api, world):
    assert api().get("/suggestions").status_code == 401


# --- Contract shapes ----------------------------------------------------------------------------
def test_create_returns_201_with_id_number_state(api, world):
    response = api("deputy").post(
        "/suggestions",
        {"kind": "suggestion", "title": "关于公交线路", "body": "建议调整", "cosigners": []},
    )
    assert response.status_code == 201
    data = response.json()
    assert data["state"] == "draft" and data["number"] == ""
    s = Suggestion.objects.get(pk=data["id"])
    assert s.lead_deputy == world["deputy"] and s.congress == world.city


def test_create_and_submit_at_once(api, world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        response = api("deputy").post(
            "/suggestions",
            {"kind": "suggestion", "title": "标题", "body": "正文", "submit": True},
        )
    assert response.status_code == 201
    assert response.json()["state"] == "submitted"
    assert response.json()["number"] == "2026-0001"


def test_motion_cosign_create_and_submit_says_how_many_more_and_leaves_nothing(api, world):
    """MOTION-COSIGN: the refusal names the number still needed; no draft is left behind."""
    response = api("deputy").post(
        "/suggestions",
        {
            "kind": "motion",
            "title": "关于制定条例的议案",
            "body": "正文",
            "cosigners": [world["deputy2"].pk],
            "submit": True,
        },
    )
    assert response.status_code == 422
    assert response.json()["error"] == "cosigners_needed"
    assert "10 more are needed" in response.json()["detail"]
    assert not Suggestion.objects.exists() and not Sponsor.objects.exists()


def test_motion_cosign_submit_endpoint_says_how_many_more(api, world):
    """MOTION-COSIGN through POST .../submit: 9 confirmed → 422 saying 1 more."""
    motion = motion_with(world, confirmed=9)
    response = api("deputy").post(f"/suggestions/{motion.pk}/submit")
    assert response.status_code == 422
    assert "cosigners" in response.json()["detail"]
    assert "1 more is needed" in response.json()["detail"]


def test_detail_has_the_contract_shape(api, world, cases):
    s = cases["sub"]
    register(s, by=world["affairs"])
    assign(s, lead_units=[world.edu.pk], co_units=[world.transport.pk], by=world["affairs"])
    data = api("edu_clerk").get(f"/suggestions/{s.pk}").json()
    for key in (
        "id",
        "number",
        "kind",
        "title",
        "state",
        "sponsors",
        "assignments",
        "answers",
        "evaluations",
        "commitments",
    ):
        assert key in data
    assert data["state"] == "assigned" and data["kind"] == "suggestion"
    assert [(sp["name"], sp["role"], sp["confirmed"]) for sp in data["sponsors"]] == [
        ("deputy", "lead", True),
        ("deputy2", "cosigner", True),
    ]
    by_unit = {a["unit"]: a for a in data["assignments"]}
    lead, co = by_unit[world.edu.pk], by_unit[world.transport.pk]
    assert (lead["role"], lead["state"]) == ("lead", "active")
    assert lead["due"] and lead["provisional"] in (True, False)
    assert co["role"] == "co" and co["due"]  # a co-unit's due date is its opinion's
    assert data["answers"] == [] and data["evaluations"] == [] and data["commitments"] == []
    # The transport bureau is only a co-unit: it sees the suggestion too.
    assert api("transport_clerk").get(f"/suggestions/{s.pk}").status_code == 200


# --- Transitions through the API ----------------------------------------------------------------
def test_full_path_draft_cosign_submit_register(api, world):
    created = (
        api("deputy")
        .post(
            "/suggestions",
            {
                "kind": "suggestion",
                "title": "标题",
                "body": "正文",
                "cosigners": [world["deputy2"].pk],
            },
        )
        .json()
    )
    pk = created["id"]
    assert (
        api("deputy")
        .client.patch(
            f"/api/v1/suggestions/{pk}",
            json.dumps({"title": "新标题"}),
            content_type="application/json",
            headers=api("deputy")._headers(),
        )
        .json()["state"]
        == "draft"
    )
    assert api("deputy2").post(f"/suggestions/{pk}/cosign").status_code == 200
    assert api("deputy").post(f"/suggestions/{pk}/submit").json()["state"] == "submitted"
    assert api("affairs").post(f"/suggestions/{pk}/register", {}).json()["state"] == "registered"
    detail = api("deputy2").get(f"/suggestions/{pk}").json()
    assert detail["title"] == "新标题" and detail["state"] == "registered"


def test_wrong_state_is_409_naming_the_state(api, world, cases):
    s = cases["sub"]
    assert api("affairs").post(f"/suggestions/{s.pk}/register").status_code == 200
    again = api("affairs").post(f"/suggestions/{s.pk}/register")
    assert again.status_code == 409
    assert again.json()["error"] == "wrong_state"
    assert "state: registered" in again.json()["detail"]
    reject = api("affairs").post(
        f"/suggestions/{s.pk}/reject", {"ground": "no_content", "explanation": "x"}
    )
    assert reject.status_code == 409 and "registered" in reject.json()["detail"]
    resubmit = api("deputy").post(f"/suggestions/{s.pk}/submit")
    assert resubmit.status_code == 409 and "state: registered" in resubmit.json()["detail"]


def test_reject_through_the_api_and_the_deputy_reads_why(api, world, cases):
    s = cases["sub"]
    response = api("affairs").post(
        f"/suggestions/{s.pk}/reject",
        {"ground": "pending_court_case", "explanation": "涉及尚未审结的案件。"},
    )
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    detail = api("deputy").get(f"/suggestions/{s.pk}").json()
    assert detail["rejection_ground"] == "pending_court_case"
    assert detail["rejection_explanation"] == "涉及尚未审结的案件。"


def test_convert_through_the_api(api, world, cases):
    response = api("affairs").post(f"/suggestions/{cases['motion'].pk}/convert")
    assert response.status_code == 200
    assert response.json()["kind"] == "suggestion" and response.json()["state"] == "submitted"
    assert response.json()["number"] == "2026-0002"


# --- Filters and pagination ---------------------------------------------------------------------
def test_list_filters_state_unit_year_q_and_pages(api, world):
    with time_machine.travel(BETWEEN_SESSIONS, tick=False):
        subs = [submitted(world, title=f"关于第{i}号路口的建议") for i in range(5)]
        other = submitted(world, title="关于图书馆开放时间的建议")
    register(subs[0], by=world["affairs"])
    assign(subs[0], lead_units=[world.edu.pk], by=world["affairs"])
    client = api("affairs")

    def ids(**params):
        return {r["id"] for r in client.get("/suggestions", **params).json()["items"]}

    assert ids(state="assigned") == {subs[0].pk}
    assert ids(state="submitted") == {s.pk for s in subs[1:]} | {other.pk}
    assert ids(unit=world.edu.pk) == {subs[0].pk}
    assert ids(unit=world.transport.pk) == set()
    assert ids(year=2026) == {s.pk for s in [*subs, other]}
    assert ids(year=2025) == set()
    assert ids(q="图书馆") == {other.pk}
    assert ids(q=other.number) == {other.pk}
    page1 = client.get("/suggestions", page_size=4).json()
    page2 = client.get("/suggestions", page_size=4, page=2).json()
    assert page1["count"] == page2["count"] == 6
    assert len(page1["items"]) == 4 and len(page2["items"]) == 2
    assert not {r["id"] for r in page1["items"]} & {r["id"] for r in page2["items"]}
    # Newest number first.
    assert page1["items"][0]["number"] == "2026-0006"


def test_unit_filter_never_widens_what_a_role_sees(api, world):
    s = submitted(world)
    register(s, by=world["affairs"])
    assign(s, lead_units=[world.edu.pk], by=world["affairs"])
    assert api("transport_clerk").get("/suggestions", unit=world.edu.pk).json()["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"state": "bogus"},
        {"kind": "letter"},
        {"year": "abc"},
        {"year": 0},
        {"unit": -1},
        {"unit": 2**70},
        {"page": 0},
        {"page_size": 1000},
        {"q": "字" * 201},
        {"q": "a\x00b"},
    ],
)
def test_bad_list_filters_are_422(api, world, params):
    response = api("affairs").get("/suggestions", **params)
    assert response.status_code == 422, response.content
    assert response.json()["error"] == "validation_error"


# --- Bad input ----------------------------------------------------------------------------------
BIG = "字" * 100_000


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "kind"),
        ({"kind": "suggestion"}, "title"),
        ({"kind": "letter", "title": "t"}, "kind"),
        ({"kind": "suggestion", "title": ""}, "title"),
        ({"kind": "suggestion", "title": "   "}, "title"),
        ({"kind": "suggestion", "title": None}, "title"),
        ({"kind": "suggestion", "title": 42}, "title"),
        ({"kind": "suggestion", "title": ["a"]}, "title"),
        ({"kind": "suggestion", "title": BIG}, "title"),
        ({"kind": "suggestion", "title": "t", "body": BIG}, "body"),
        ({"kind": "suggestion", "title": "t", "body": 5}, "body"),
        ({"kind": "suggestion", "title": "t\x00"}, "title"),
        ({"kind": "suggestion", "title": "t", "cosigners": "deputy2"}, "cosigners"),
        ({"kind": "suggestion", "title": "t", "cosigners": ["a"]}, "cosigners"),
        ({"kind": "suggestion", "title": "t", "cosigners": [999_999]}, "cosigners"),
        ({"kind": "suggestion", "title": "t", "cosigners": [2**70]}, "cosigners"),
        ({"kind": "suggestion", "title": "t", "cosigners": [0]}, "cosigners"),
        ({"kind": "suggestion", "title": "t", "topic": 999_999}, "topic"),
        ({"kind": "suggestion", "title": "t", "topic": "教育"}, "topic"),
        ({"kind": "suggestion", "title": "t", "congress": 999_999}, "congress"),
        ({"kind": "suggestion", "title": "t", "submit": "maybe"}, "submit"),
    ],
)
def test_bad_create_input_is_422_naming_the_field_and_writes_nothing(api, world, body, field):
    response = api("deputy").post("/suggestions", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert not Suggestion.objects.exists()


def test_own_cosigners_and_other_congress_refused(api, world):
    me = api("deputy").post(
        "/suggestions", {"kind": "suggestion", "title": "t", "cosigners": [world["deputy"].pk]}
    )
    assert me.status_code == 422 and "cosigners" in me.json()["detail"]
    county_deputy = make_deputies(world.county, 1)[0]
    other = api("deputy").post(
        "/suggestions", {"kind": "suggestion", "title": "t", "cosigners": [county_deputy.pk]}
    )
    assert other.status_code == 422
    county = api("deputy").post(
        "/suggestions", {"kind": "suggestion", "title": "t", "congress": world.county.pk}
    )
    assert county.status_code == 422 and "congress" in county.json()["detail"]


def test_a_deputy_of_two_congresses_names_one(api, world):
    from renda.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=world["deputy"], role="deputy", congress=world.county)
    client = api("deputy")
    unnamed = client.post("/suggestions", {"kind": "suggestion", "title": "t"})
    assert unnamed.status_code == 422 and "congress" in unnamed.json()["detail"]
    named = client.post(
        "/suggestions", {"kind": "suggestion", "title": "t", "congress": world.county.pk}
    )
    assert named.status_code == 201
    assert Suggestion.objects.get(pk=named.json()["id"]).congress == world.county


def test_topic_of_the_congress_is_accepted(api, world):
    topic = Topic.objects.create(congress=world.city, name="教育")
    response = api("deputy").post(
        "/suggestions", {"kind": "suggestion", "title": "t", "topic": topic.pk}
    )
    assert response.status_code == 201
    assert api("deputy").get(f"/suggestions/{response.json()['id']}").json()["topic"] == "教育"


def test_html_and_script_are_kept_as_text(api, world):
    title = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    body = "<b>粗体</b> & \"引号\" <a href='javascript:x'>链接</a>"
    response = api("deputy").post(
        "/suggestions", {"kind": "suggestion", "title": title, "body": body}
    )
    assert response.status_code == 201
    data = api("deputy").get(f"/suggestions/{response.json()['id']}").json()
    assert (data["title"], data["body"]) == (title, body)


@pytest.mark.parametrize(
    "raw, status",
    [("[1]", 422), ('"x"', 422), ("{not json", 400), ("", 422)],
)
def test_malformed_bodies_are_clear_errors(api, world, raw, status):
    response = api("deputy").post("/suggestions", raw=raw)
    assert response.status_code == status, response.content
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "ground"),
        ({"ground": "no_content"}, "explanation"),
        ({"ground": "no_content", "explanation": ""}, "explanation"),
        ({"ground": "no_content", "explanation": BIG}, "explanation"),
        ({"ground": "no_content", "explanation": 7}, "explanation"),
        ({"ground": 1, "explanation": "x"}, "ground"),
        ({"ground": "petition", "explanation": "x"}, "ground"),
        ({"ground": "x" * 1000, "explanation": "x"}, "ground"),
    ],
)
def test_bad_reject_input_is_422_and_changes_nothing(api, world, cases, body, field):
    s = cases["sub"]
    response = api("affairs").post(f"/suggestions/{s.pk}/reject", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert Suggestion.objects.get(pk=s.pk).state == State.SUBMITTED


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": ""}, "title"),
        ({"title": BIG}, "title"),
        ({"body": BIG}, "body"),
        ({"title": 3}, "title"),
        ({"topic": 999_999}, "topic"),
    ],
)
def test_bad_autosave_is_422(api, world, cases, body, field):
    s = cases["draft"]
    client = api("deputy")
    response = client.client.patch(
        f"/api/v1/suggestions/{s.pk}",
        json.dumps(body),
        content_type="application/json",
        headers=client._headers(),
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert Suggestion.objects.get(pk=s.pk).title == s.title


@pytest.mark.parametrize(
    "path",
    [
        "/suggestions/999999",
        "/suggestions/999999/register",
        "/suggestions/0/register",
        "/suggestions/99999999999999999999999/register",
        "/suggestions/abc/register",
        "/suggestions/-1/submit",
    ],
)
def test_unknown_ids_are_404(api, world, path):
    client = api("affairs")
    response = client.get(path) if path.count("/") == 2 else client.post(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_unknown_cosigner_in_invite_is_422(api, world, cases):
    response = api("deputy").post(
        f"/suggestions/{cases['draft'].pk}/cosigners", {"cosigners": [999_999]}
    )
    assert response.status_code == 422 and "cosigners" in response.json()["detail"]
    empty = api("deputy").post(f"/suggestions/{cases['draft'].pk}/cosigners", {"cosigners": []})
    assert empty.status_code == 422


# --- Real concurrent requests -------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_clerks_register_at_once_over_http_one_gets_409(world):
    """Two office clerks press 'register' at the same moment: one 200, one 409."""
    s = submitted(world)
    tokens = [issue_api_token(world[name])[0] for name in ("affairs", "admin")]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def work(token):
        try:
            barrier.wait(timeout=20)
            response = Client().post(
                f"/api/v1/suggestions/{s.pk}/register",
                "{}",
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
    assert sorted(statuses) == [200, 409]
    assert Suggestion.objects.get(pk=s.pk).state == State.REGISTERED
