"""The votes pages: every page × every role (anonymous included), and the flows through them
as the office and a deputy would use them (Django's test client on the real database)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import WORLD_USERS
from renda.votes.actions import cast_vote, open_ballot
from renda.votes.models import Ballot, MeetingMember, Paper

from .builders import choice_ids, livelihood, meeting, motion

ROLES = [None, *WORLD_USERS]
OFFICE = {"affairs", "admin"}
ALL_OFFICES = OFFICE | {"county_affairs"}
MEMBERS = {"deputy", "deputy2", "sc_member"}


def _client(world, username):
    c = Client()
    if username:
        c.force_login(world[username])
    return c


def _session(world):
    people = [world[u] for u in ("deputy", "deputy2", "sc_member")]
    return meeting(world, people, kind="congress_session")


def _expect(username, allowed, *, guard=None, ok=200):
    """200 for the allowed; 302 to sign in for anonymous; 403 for roles the page's guard
    refuses; 404 for the rest (the object is not theirs)."""
    if username is None:
        return 302
    if username in allowed:
        return ok
    if guard is not None and username not in guard:
        return 403
    return 404


@pytest.mark.parametrize("username", ROLES)
def test_matrix_pages(world, username):
    m = _session(world)
    b = motion(world, m)
    c = _client(world, username)
    assert c.get("/votes/").status_code == _expect(username, MEMBERS, guard=MEMBERS)
    assert c.get("/votes/meetings/").status_code == _expect(
        username, ALL_OFFICES, guard=ALL_OFFICES
    )
    assert c.get(f"/votes/meetings/{m.pk}/").status_code == _expect(
        username, OFFICE, guard=ALL_OFFICES
    )
    assert c.get(f"/votes/ballots/{b.pk}/").status_code == _expect(username, OFFICE | MEMBERS)
    assert c.get(f"/votes/ballots/{b.pk}/vote/").status_code == _expect(username, OFFICE | MEMBERS)
    assert c.get(f"/votes/ballots/{b.pk}/projector/").status_code == _expect(
        username, OFFICE, guard=ALL_OFFICES
    )
    assert c.get("/votes/receipt/").status_code == (302 if username is None else 200)


@pytest.mark.parametrize("username", ROLES)
def test_matrix_office_posts(world, username):
    m = _session(world)
    b = motion(world, m)
    c = _client(world, username)
    r = c.post(f"/votes/ballots/{b.pk}/open/")
    assert r.status_code == _expect(username, OFFICE, guard=ALL_OFFICES, ok=302)
    assert Ballot.objects.get(pk=b.pk).state == ("open" if username in OFFICE else "draft")
    r = c.post(f"/votes/meetings/{m.pk}/roll/{world['deputy'].pk}/", {"state": "leave"})
    assert r.status_code == _expect(username, OFFICE, guard=ALL_OFFICES, ok=302)
    r = c.post(f"/votes/meetings/{m.pk}/ballots/", {"kind": "motion", "choices": "议题"})
    assert r.status_code == _expect(username, OFFICE, guard=ALL_OFFICES, ok=302)
    r = c.post(f"/votes/ballots/{b.pk}/close/")
    assert r.status_code == _expect(username, OFFICE, guard=ALL_OFFICES, ok=302)


def test_office_creates_a_meeting_with_the_default_roll_and_prepares_ballots(world):
    c = _client(world, "affairs")
    r = c.post(
        "/votes/meetings/",
        {
            "congress": world.city.pk,
            "kind": "congress_session",
            "title": "第六次会议",
            "date": "2027-01-10",
        },
    )
    assert r.status_code == 302
    pk = int(re.search(r"/meetings/(\d+)/", r["Location"]).group(1))
    assert MeetingMember.objects.filter(meeting_id=pk).count() == 3
    r = c.post(
        f"/votes/meetings/{pk}/ballots/",
        {"kind": "appointment", "title": "任命", "choices": "张三\n李四\n", "secret": "on"},
    )
    assert r.status_code == 302
    b = Ballot.objects.get(meeting_id=pk)
    assert b.rule == "APPT-VOTE" and b.choices.count() == 2
    r = c.post(
        f"/votes/meetings/{pk}/ballots/",
        {"kind": "livelihood", "choices": "甲\n乙", "max_choices": "2"},
    )
    assert r.status_code == 422 and "LP-VOTE" in r.content.decode()


def test_quorum_is_shown_live_as_the_roll_changes(world):
    m = _session(world)
    c = _client(world, "affairs")
    page = c.get(f"/votes/meetings/{m.pk}/").content.decode()
    assert "Quorum met" in page and "3 of 3 present" in page
    r = c.post(
        f"/votes/meetings/{m.pk}/roll/{world['deputy'].pk}/",
        {"state": "leave"},
        headers={"HX-Request": "true"},
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'id="roll-' in body and 'hx-swap-oob="true"' in body
    assert "2 of 3 present" in body and "1 on leave" in body
    r = c.post(f"/votes/meetings/{m.pk}/roll/{world['deputy'].pk}/", {"state": "bogus"})
    assert r.status_code == 422


def test_opening_without_quorum_shows_the_reason(world):
    people = [world[u] for u in ("deputy", "deputy2", "sc_member")]
    m = meeting(world, people, kind="congress_session", present=1)
    b = motion(world, m)
    c = _client(world, "affairs")
    r = c.post(f"/votes/ballots/{b.pk}/open/", follow=True)
    assert "CONGRESS-QUORUM" in r.content.decode()
    assert Ballot.objects.get(pk=b.pk).state == "draft"


def test_a_deputy_votes_with_a_confirmation_step_and_gets_the_receipt_once(world):
    m = _session(world)
    b = livelihood(world, m, n=4, max_choices=2)
    open_ballot(b, by=world["affairs"])
    ids = choice_ids(b)
    c = _client(world, "deputy")
    assert "项目1" in c.get(f"/votes/ballots/{b.pk}/vote/").content.decode()
    r = c.post(f"/votes/ballots/{b.pk}/vote/", {"step": "review", "choice": ids[:3]})
    assert r.status_code == 422 and "at most 2" in r.content.decode()
    r = c.post(f"/votes/ballots/{b.pk}/vote/", {"step": "review", "choice": ids[:2]})
    assert r.status_code == 200 and "Cast my vote" in r.content.decode()
    assert not Paper.objects.exists()  # nothing cast at the review step
    r = c.post(f"/votes/ballots/{b.pk}/vote/", {"step": "cast", "choice": ids[:2]})
    assert r.status_code == 200 and r["Cache-Control"].startswith("private, no-store")
    receipt = re.search(r'data-testid="receipt"[^>]*>([A-Z0-9-]+)<', r.content.decode()).group(1)
    assert Paper.objects.get().content == {"choices": sorted(ids[:2])}
    again = c.post(f"/votes/ballots/{b.pk}/vote/", {"step": "cast", "choice": ids[:1]})
    assert "already-voted" in again.content.decode() and Paper.objects.count() == 1
    r = c.post("/votes/receipt/", {"receipt": receipt})
    assert (
        r.status_code == 200 and "项目1" in r.content.decode() and "Recorded" in r.content.decode()
    )
    assert c.post("/votes/receipt/", {"receipt": "ZZZZZ-ZZZZZ-ZZZZZ"}).status_code == 404


def test_a_motion_vote_through_the_form_and_the_home_panel(world):
    m = _session(world)
    b = motion(world, m)
    open_ballot(b, by=world["affairs"])
    c = _client(world, "deputy2")
    assert f"/votes/ballots/{b.pk}/vote/" in c.get("/").content.decode()
    cid = choice_ids(b)[0]
    r = c.post(f"/votes/ballots/{b.pk}/vote/", {"step": "review"})
    assert r.status_code == 422
    r = c.post(f"/votes/ballots/{b.pk}/vote/", {"step": "cast", f"answer-{cid}": "no"})
    assert r.status_code == 200 and 'data-testid="receipt"' in r.content.decode()
    assert Paper.objects.get().content == {"answers": {str(cid): "no"}}
    assert f"/votes/ballots/{b.pk}/vote/" not in c.get("/").content.decode()


def test_an_absent_member_is_told_why_they_cannot_vote(world):
    m = _session(world)
    from renda.votes.actions import mark_attendance

    b = motion(world, m)
    open_ballot(b, by=world["affairs"])
    mark_attendance(m, user=world["deputy"], present=False, by=world["affairs"])
    c = _client(world, "deputy")
    assert 'data-testid="not-present"' in c.get(f"/votes/ballots/{b.pk}/vote/").content.decode()
    r = c.post(
        f"/votes/ballots/{b.pk}/vote/", {"step": "cast", f"answer-{choice_ids(b)[0]}": "yes"}
    )
    assert r.status_code == 403 and 'data-testid="not-present"' in r.content.decode()
    assert not Paper.objects.exists()


def test_the_result_page_shows_no_tally_before_close_and_the_projector_after(world):
    m = _session(world)
    b = motion(world, m)
    open_ballot(b, by=world["affairs"])
    cast_vote(b, voter=world["deputy"], answers={choice_ids(b)[0]: "yes"})
    c = _client(world, "affairs")
    page = c.get(f"/votes/ballots/{b.pk}/").content.decode()
    assert 'data-testid="no-tally"' in page and 'data-testid="tally"' not in page
    r = c.post(f"/votes/ballots/{b.pk}/close/")
    assert r["Location"] == f"/votes/ballots/{b.pk}/projector/"
    page = c.get(r["Location"]).content.decode()
    assert 'data-testid="tally"' in page and "data-nav" not in page  # no navigation
    assert 'http-equiv="refresh"' not in page


@pytest.mark.parametrize("username", ROLES)
def test_matrix_page_posts_create_meeting_runoff_vote_and_receipt(world, username):
    """The remaining POSTs: create a meeting (office), prepare a run-off (office; no tie →
    back to the meeting with the reason), vote (members; the office, not on the roll, is told
    so and nothing is cast), check a receipt (anyone signed in)."""
    m = _session(world)
    b = motion(world, m)
    open_ballot(b, by=world["affairs"])
    c = _client(world, username)
    r = c.post(
        "/votes/meetings/",
        {
            "congress": world.city.pk,
            "kind": "congress_session",
            "title": "会",
            "date": "2026-12-20",
        },
    )
    expected = _expect(username, ALL_OFFICES, guard=ALL_OFFICES, ok=302)
    if username == "county_affairs":
        expected = 422  # the city is not among the congresses it may choose
    assert r.status_code == expected
    r = c.post(f"/votes/ballots/{b.pk}/runoff/")
    assert r.status_code == _expect(username, OFFICE, guard=ALL_OFFICES, ok=302)
    r = c.post(
        f"/votes/ballots/{b.pk}/vote/", {"step": "cast", f"answer-{choice_ids(b)[0]}": "yes"}
    )
    assert r.status_code == _expect(username, OFFICE | MEMBERS)
    if username in MEMBERS:
        assert 'data-testid="receipt"' in r.content.decode()
    assert Paper.objects.count() == (1 if username in MEMBERS else 0)
    r = c.post("/votes/receipt/", {"receipt": "AAAAA-AAAAA-AAAAA"})
    assert r.status_code == (302 if username is None else 404)
