"""The votes API (issue 6 fixed contract) and its permission matrix: every endpoint × every
role of the world, anonymous included."""

from __future__ import annotations

import pytest

from conftest import WORLD_USERS
from renda.votes.actions import ChoiceSpec, cast_vote, close_ballot, create_ballot, open_ballot
from renda.votes.models import Paper, Voter

from .builders import choice_ids, meeting, motion

ROLES = [None, *WORLD_USERS]
OFFICE = {"affairs", "admin"}
MEMBERS = {"deputy", "deputy2", "sc_member"}


def _session(world, present=True):
    people = [world[u] for u in ("deputy", "deputy2", "sc_member")]
    return meeting(world, people, kind="congress_session", present=3 if present else 0)


def _status(username, allowed, ok=200):
    if username is None:
        return 401
    return ok if username in allowed else 404


# --- the contract, end to end ---------------------------------------------------------------
def test_a_livelihood_vote_through_the_api(world, api):
    m = _session(world)
    office = api("affairs")
    r = office.get("/meetings")
    assert r.status_code == 200
    assert r.json() == [
        {
            "id": m.pk,
            "kind": "congress_session",
            "title": m.title,
            "date": "2026-12-01",
            "congress": world.city.pk,
            "members": 3,
            "present": 3,
        }
    ]
    r = office.post(
        "/ballots",
        {
            "kind": "livelihood",
            "meeting": m.pk,
            "choices": ["项目甲", "项目乙", {"label": "项目丙", "ref_type": "x", "ref_id": 7}],
            "max_choices": 2,
            "secret": True,
        },
    )
    assert r.status_code == 201, r.content
    ballot = r.json()
    assert ballot["rule"] == "LP-VOTE" and ballot["state"] == "draft"
    ids = [c["id"] for c in ballot["choices"]]
    assert office.post(f"/ballots/{ballot['id']}/open").json()["state"] == "open"
    r = api("deputy").post(f"/ballots/{ballot['id']}/votes", {"choices": ids[:2]})
    assert r.status_code == 201 and len(r.json()["receipt"]) == 17
    receipt = r.json()["receipt"]
    r = api("deputy").post(f"/ballots/{ballot['id']}/votes", {"choices": ids[:1]})
    assert r.status_code == 409 and r.json()["error"] == "already_voted"
    r = api("deputy2").post(f"/ballots/{ballot['id']}/votes", {"choices": ids})
    assert r.status_code == 422 and r.json()["error"] == "too_many_choices"
    r = api("deputy2").post(f"/ballots/{ballot['id']}/votes", {"choices": [999999]})
    assert r.status_code == 422 and r.json()["error"] == "not_on_ballot"
    before = api("deputy").get(f"/ballots/{ballot['id']}/result").json()
    assert (before["voted"], before["tally"], before["state"]) == (1, [], "open")
    r = api("deputy").post("/receipts/check", {"receipt": receipt.lower()})
    assert r.json()["counted"] is False and len(r.json()["content"]) == 2
    api("deputy2").post(f"/ballots/{ballot['id']}/votes", {"choices": ids[1:]})
    assert office.post(f"/ballots/{ballot['id']}/close").json()["state"] == "closed"
    res = office.get(f"/ballots/{ballot['id']}/result").json()
    assert (res["eligible"], res["present"], res["voted"], res["rule"]) == (3, 3, 2, "LP-VOTE")
    assert [(t["choice"], t["votes"], t["passed"]) for t in res["tally"]] == [
        (ids[0], 1, False),
        (ids[1], 2, True),
        (ids[2], 1, False),
    ]
    r = api("deputy2").post("/receipts/check", {"receipt": receipt})
    assert r.status_code == 200 and r.json()["counted"] is True
    assert (
        api("deputy").post("/receipts/check", {"receipt": "AAAAA-AAAAA-AAAAA"}).status_code == 404
    )


def test_a_motion_vote_with_choice_yes(world, api):
    m = _session(world)
    r = api("affairs").post(
        "/ballots", {"kind": "motion", "meeting": m.pk, "choices": ["关于某事的决定"]}
    )
    b = r.json()
    assert b["rule"] == "CONGRESS-MAJORITY" and b["title"] == "关于某事的决定"
    api("affairs").post(f"/ballots/{b['id']}/open")
    for u in ("deputy", "deputy2"):
        r = api(u).post(f"/ballots/{b['id']}/votes", {"choice": "yes"})
        assert r.status_code == 201
    r = api("sc_member").post(f"/ballots/{b['id']}/votes", {"choice": "maybe"})
    assert r.status_code == 422
    api("affairs").post(f"/ballots/{b['id']}/close")
    res = api("deputy").get(f"/ballots/{b['id']}/result").json()
    assert res["tally"][0]["votes"] == 2 and res["tally"][0]["passed"] is True


def test_opening_without_quorum_is_a_409_naming_the_rule(world, api):
    m = _session(world, present=False)
    b = motion(world, m)
    r = api("affairs").post(f"/ballots/{b.pk}/open")
    assert r.status_code == 409 and r.json()["error"] == "no_quorum"
    assert "CONGRESS-QUORUM" in r.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "motion", "meeting": 1, "choices": []},
        {"kind": "poll", "meeting": 1, "choices": ["x"]},
        {"kind": "livelihood", "meeting": 1, "choices": ["a", "b"], "max_choices": 0},
        {"kind": "motion", "meeting": "x", "choices": ["a"]},
        {"kind": "motion", "meeting": 1, "choices": [""]},
    ],
)
def test_bad_ballot_input_is_a_422(world, api, body):
    m = _session(world)
    body = {**body, "meeting": m.pk if body["meeting"] == 1 else body["meeting"]}
    r = api("affairs").post("/ballots", body)
    assert r.status_code == 422, r.content
    assert "detail" in r.json()


def test_bad_vote_bodies_are_4xx_not_500(world, api):
    m = _session(world)
    b = motion(world, m)
    open_ballot(b, by=world["affairs"])
    for raw in ['{"choices": "x"}', "[1]", "not json", '{"answers": {"a": 1}}']:
        r = api("deputy").client.post(
            f"/api/v1/ballots/{b.pk}/votes",
            raw,
            content_type="application/json",
            headers=api("deputy")._headers(),
        )
        assert 400 <= r.status_code < 500, (raw, r.status_code)
    assert not Voter.objects.exists()


def test_the_api_creates_a_meeting_with_the_default_roll(world, api):
    r = api("affairs").post(
        "/meetings",
        {
            "congress": world.city.pk,
            "kind": "congress_session",
            "title": "第六次会议",
            "date": "2027-01-10",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["members"] == 3  # the city's three active deputies


# --- the matrix -----------------------------------------------------------------------------
@pytest.mark.parametrize("username", ROLES)
def test_matrix_list_meetings(world, api, username):
    m = _session(world)
    r = api(username).get("/meetings")
    if username is None:
        assert r.status_code == 401
        return
    assert r.status_code == 200
    seen = [row["id"] for row in r.json()]
    assert seen == ([m.pk] if username in OFFICE | MEMBERS else [])


@pytest.mark.parametrize("username", ROLES)
def test_matrix_create_meeting(world, api, username):
    r = api(username).post(
        "/meetings",
        {
            "congress": world.city.pk,
            "kind": "sc_meeting",
            "title": "常委会会议",
            "date": "2026-12-20",
            "members": [world["sc_member"].pk],
        },
    )
    assert r.status_code == _status(username, OFFICE, 201)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_attendance(world, api, username):
    m = _session(world)
    r = api(username).post(
        f"/meetings/{m.pk}/attendance", {"user": world["deputy"].pk, "present": False}
    )
    assert r.status_code == _status(username, OFFICE)
    if r.status_code == 200:
        assert r.json()["quorum"] == {
            "rule": "CONGRESS-QUORUM",
            "members": 3,
            "present": 2,
            "leave": 0,
            "needed": 2,
            "met": True,
        }


@pytest.mark.parametrize("username", ROLES)
def test_matrix_create_ballot(world, api, username):
    m = _session(world)
    r = api(username).post("/ballots", {"kind": "motion", "meeting": m.pk, "choices": ["x"]})
    assert r.status_code == _status(username, OFFICE, 201)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_open_and_close(world, api, username):
    b = motion(world, _session(world))
    r = api(username).post(f"/ballots/{b.pk}/open")
    assert r.status_code == _status(username, OFFICE)
    if r.status_code != 200:
        open_ballot(b, by=world["affairs"])
    r = api(username).post(f"/ballots/{b.pk}/close")
    assert r.status_code == _status(username, OFFICE)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_runoff(world, api, username):
    b = motion(world, _session(world))
    r = api(username).post(f"/ballots/{b.pk}/runoff")
    assert r.status_code == _status(username, OFFICE, 409)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_vote(world, api, username):
    """Members present vote (201); the office, not on the roll, is refused (403); anyone else
    does not see the ballot (404)."""
    b = motion(world, _session(world))
    open_ballot(b, by=world["affairs"])
    r = api(username).post(f"/ballots/{b.pk}/votes", {"choice": "yes"})
    if username is None:
        assert r.status_code == 401
    elif username in MEMBERS:
        assert r.status_code == 201
    elif username in OFFICE:
        assert r.status_code == 403 and r.json()["error"] == "not_member"
    else:
        assert r.status_code == 404
    assert Paper.objects.count() == (1 if username in MEMBERS else 0)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_result_and_ballot(world, api, username):
    b = motion(world, _session(world))
    assert api(username).get(f"/ballots/{b.pk}/result").status_code == _status(
        username, OFFICE | MEMBERS
    )
    assert api(username).get(f"/ballots/{b.pk}").status_code == _status(username, OFFICE | MEMBERS)
    r = api(username).get("/ballots")
    if username is not None:
        assert len(r.json()) == (1 if username in OFFICE | MEMBERS else 0)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_receipt_check(world, api, username):
    """Whoever holds the code sees that one paper (signed in); nothing else identifies it."""
    people = [world["deputy"], world["deputy2"], world["sc_member"]]
    m = meeting(world, people, kind="congress_session")
    b = create_ballot(
        meeting=m,
        kind="appointment",
        title="任命",
        choices=[ChoiceSpec("张三"), ChoiceSpec("李四")],
        by=world["affairs"],
    )
    open_ballot(b, by=world["affairs"])
    a, c = choice_ids(b)
    receipt = cast_vote(b, voter=world["deputy"], answers={a: "yes", c: "no"})
    close_ballot(b, by=world["affairs"])
    r = api(username).post("/receipts/check", {"receipt": receipt})
    if username is None:
        assert r.status_code == 401
    else:
        assert r.status_code == 200
        assert r.json()["content"] == [
            {"choice": "张三", "answer": "Yes"},
            {"choice": "李四", "answer": "No"},
        ]
