"""Joint handling (并案办理, issue 7 point 4): merge, unmerge, the one answer reaching every
sponsor, the statistics, the API (contract, permission matrix, bad input) and the office's page."""

from __future__ import annotations

import pytest
from django.test import Client

from renda.audit.models import AuditEvent
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.suggestions.actions.assignment import assign
from renda.suggestions.actions.merging import merge, unmerge
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.choices import State
from renda.suggestions.models import Merge, Suggestion, SuggestionFact

from .answer_builders import give_answer, handled, signed_off
from .assignment_builders import registered
from .test_api_submission import ALL_USERS, CITY_WATCHERS, OFFICE
from .test_submission import make_deputies


def _submitted(congress, deputy, title: str) -> Suggestion:
    return submit(create_draft(congress, by=deputy, title=title, body="正文。"), by=deputy)


def _state(s: Suggestion) -> str:
    return Suggestion.objects.get(pk=s.pk).state


@pytest.fixture
def pair(world):
    """`primary`: deputy's suggestion assigned to the education bureau (not answered);
    `other`: deputy2's registered suggestion on the same matter."""
    primary = handled(world, sign=False)
    other = registered(world, title="关于学校周边增开公交线路的建议", deputy="deputy2")
    return primary, other


# --- the action ---------------------------------------------------------------------------
def test_merge_follows_the_primary_tells_the_deputy_the_units_and_audits(world, pair):
    """SUG-NOTIFY: the merged suggestion's lead deputy is told the primary's units at once."""
    primary, other = pair
    merge(other, into=primary, by=world["affairs"])
    other.refresh_from_db()
    assert other.state == State.MERGED
    assert other.deputy_notified_at is not None
    assert Merge.objects.get(suggestion=other).into_id == primary.pk
    note = Notification.objects.get(recipient=world["deputy2"], title__contains="jointly")
    assert "市教育局" in note.body
    assert AuditEvent.objects.filter(verb="suggestion.merged", object_id=str(other.pk)).exists()
    assert AuditEvent.objects.filter(
        verb="suggestion.merge_received", object_id=str(primary.pk)
    ).exists()


def test_merge_registers_a_submission_first(world):
    primary = registered(world)
    s = _submitted(world.city, world["deputy2"], "学校周边公交")
    merge(s, into=primary, by=world["affairs"])
    s.refresh_from_db()
    assert s.state == State.MERGED and s.registered_at is not None
    assert AuditEvent.objects.filter(verb="suggestion.registered", object_id=str(s.pk)).exists()


def test_assigning_the_primary_tells_the_merged_deputies_the_units(world):
    """SUG-NOTIFY for a merged suggestion: met by the notice of the primary's assignment."""
    primary = registered(world)
    other = registered(world, title="公交线路", deputy="deputy2")
    merge(other, into=primary, by=world["affairs"])
    assert Suggestion.objects.get(pk=other.pk).deputy_notified_at is None
    assign(primary, lead_units=[world.edu], co_units=[], by=world["affairs"])
    assert Notification.objects.filter(
        recipient=world["deputy2"], title__contains="was assigned", body__contains="市教育局"
    ).exists()
    assert Suggestion.objects.get(pk=other.pk).deputy_notified_at is not None


def test_the_primary_answer_reaches_the_merged_deputy_and_their_page(world, pair, client):
    primary, other = pair
    merge(other, into=primary, by=world["affairs"])
    signed_off(world, primary, "edu")
    give_answer(world, primary, text="已采纳，新开通学校专线。")
    assert Notification.objects.filter(
        recipient=world["deputy2"], url=f"/suggestions/{other.pk}/", title__contains="answered"
    ).exists()
    client.force_login(world["deputy2"])
    page = client.get(f"/suggestions/{other.pk}/").content.decode()
    assert "已采纳，新开通学校专线。" in page
    assert 'data-testid="merged-into"' in page
    assert 'data-testid="unmerge"' not in page  # the deputy does not unmerge


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("self", InvalidInput),
        ("other_congress", InvalidInput),
        ("motion", InvalidInput),
        ("answered", DomainError),
        ("into_merged", DomainError),
        ("has_merged", DomainError),
        ("twice", DomainError),
        ("assigned", DomainError),
    ],
)
def test_merge_refuses_what_is_not_joint_handling(world, pair, case, error):
    primary, other = pair
    target = primary
    if case == "self":
        target = other
    elif case == "other_congress":
        target = _submitted(world.county, make_deputies(world.county, 1)[0], "县里的建议")
    elif case == "motion":
        other.kind = "motion"
        other.save(update_fields=["kind"])
    elif case == "answered":
        signed_off(world, primary, "edu")
        give_answer(world, primary)
    elif case == "into_merged":
        third = registered(world, title="第三件", deputy="deputy")
        merge(primary_reg := registered(world, title="第四件"), into=third, by=world["affairs"])
        target = primary_reg
    elif case == "has_merged":
        third = registered(world, title="第三件", deputy="deputy")
        merge(third, into=other, by=world["affairs"])
    elif case == "twice":
        merge(other, into=primary, by=world["affairs"])
    elif case == "assigned":  # the merged one already has units of its own
        other, target = primary, other
    before = _state(other)
    with pytest.raises(error):
        merge(Suggestion.objects.get(pk=other.pk), into=target, by=world["affairs"])
    assert _state(other) == before


def test_only_the_office_merges(world, pair):
    primary, other = pair
    for name in ("deputy2", "committee", "edu_clerk", "county_affairs"):
        with pytest.raises(Forbidden):
            merge(other, into=primary, by=world[name])
    assert _state(other) == State.REGISTERED


def test_unmerge_until_the_answer(world, pair):
    primary, other = pair
    merge(other, into=primary, by=world["affairs"])
    s = unmerge(other, by=world["affairs"])
    assert s.state == State.REGISTERED and not Merge.objects.filter(suggestion=other).exists()
    assert AuditEvent.objects.filter(verb="suggestion.unmerged", object_id=str(other.pk)).exists()
    merge(other, into=primary, by=world["affairs"])
    signed_off(world, primary, "edu")
    give_answer(world, primary)
    with pytest.raises(DomainError):
        unmerge(other, by=world["affairs"])
    assert _state(other) == State.MERGED


def test_statistics_count_the_merged_suggestion_received_but_its_handling_once(world, pair):
    """docs/statistics.md: a merged suggestion counts as received and registered; the units'
    handling (assignments, answers, categories) is counted once, on the primary."""
    primary, other = pair
    merge(other, into=primary, by=world["affairs"])
    signed_off(world, primary, "edu")
    give_answer(world, primary)
    merged_fact = SuggestionFact.objects.get(suggestion_id=other.pk)
    primary_fact = SuggestionFact.objects.get(suggestion_id=primary.pk)
    assert (merged_fact.registered, merged_fact.lead_assignments, merged_fact.answers) == (1, 0, 0)
    assert (primary_fact.lead_assignments, primary_fact.answers) == (1, 1)


# --- API ----------------------------------------------------------------------------------
OTHER_VISIBLE = CITY_WATCHERS | {"deputy2"}


def _expect(username: str) -> int:
    if username in OFFICE:
        return 200
    return 403 if username in OTHER_VISIBLE else 404


@pytest.mark.parametrize("username", ALL_USERS)
def test_api_merge_permission_matrix(api, world, pair, username):
    primary, other = pair
    response = api(username).post(f"/suggestions/{other.pk}/merge", {"into": primary.pk})
    assert response.status_code == _expect(username), response.content
    if username in OFFICE:
        assert response.json() == {
            "id": other.pk,
            "number": other.number,
            "state": "merged",
            "into": primary.pk,
            "into_number": primary.number,
        }
    else:
        assert _state(other) == State.REGISTERED


@pytest.mark.parametrize("username", ALL_USERS)
def test_api_unmerge_permission_matrix(api, world, pair, username):
    primary, other = pair
    merge(other, into=primary, by=world["affairs"])
    response = api(username).post(f"/suggestions/{other.pk}/unmerge", {})
    assert response.status_code == _expect(username), response.content
    assert _state(other) == (State.REGISTERED if username in OFFICE else State.MERGED)


def test_api_joint_lists_both_sides(api, world, pair):
    primary, other = pair
    merge(other, into=primary, by=world["affairs"])
    body = api("affairs").get(f"/suggestions/{primary.pk}/joint").json()
    assert body["merged_into"] is None and [m["id"] for m in body["merged"]] == [other.pk]
    assert api("deputy2").get(f"/suggestions/{other.pk}/joint").json()["merged_into"] == primary.pk
    assert api("deputy2").get(f"/suggestions/{primary.pk}/joint").status_code == 404


@pytest.mark.parametrize(
    ("into", "status", "error"),
    [
        ("self", 422, "invalid"),
        (999_999, 422, "invalid"),
        ("county", 422, "invalid"),
        ("x", 422, None),
        (None, 422, None),
        (-1, 422, None),
        ("answered", 409, None),
    ],
)
def test_api_merge_bad_input_is_a_clear_4xx(api, world, pair, into, status, error):
    primary, other = pair
    if into == "self":
        into = other.pk
    elif into == "county":
        into = _submitted(world.county, make_deputies(world.county, 1)[0], "县里的建议").pk
    elif into == "answered":
        signed_off(world, primary, "edu")
        give_answer(world, primary)
        into = primary.pk
    response = api("admin").post(f"/suggestions/{other.pk}/merge", {"into": into})
    assert response.status_code == status, response.content
    if error:
        assert response.json()["error"] == error
    assert _state(other) == State.REGISTERED


def test_api_merge_twice_is_a_409(api, world, pair):
    primary, other = pair
    first = api("affairs").post(f"/suggestions/{other.pk}/merge", {"into": primary.pk})
    second = api("affairs").post(f"/suggestions/{other.pk}/merge", {"into": primary.pk})
    assert (first.status_code, second.status_code) == (200, 409)
    assert Merge.objects.filter(suggestion=other).count() == 1


# --- the office's page --------------------------------------------------------------------
def _login(name: str, world) -> Client:
    c = Client()
    c.force_login(world[name])
    return c


def test_office_merges_from_the_page_and_others_cannot(world, pair):
    primary, other = pair
    url = f"/suggestions/{other.pk}/office/merge/"
    for name in ("deputy2", "committee", "edu_clerk"):
        assert _login(name, world).post(url, {"into": primary.pk}).status_code == 404
    assert _login("affairs", world).get(url).status_code == 405
    response = _login("affairs", world).post(url, {"into": "abc"})
    assert response.status_code == 302 and _state(other) == State.REGISTERED
    response = _login("affairs", world).post(url, {"into": primary.pk})
    assert response.status_code == 302 and _state(other) == State.MERGED
    page = _login("affairs", world).get(f"/suggestions/{primary.pk}/").content.decode()
    assert 'data-testid="merged-list"' in page
    unmerge_url = f"/suggestions/{other.pk}/office/unmerge/"
    assert _login("deputy2", world).post(unmerge_url).status_code == 404
    assert _login("affairs", world).post(unmerge_url).status_code == 302
    assert _state(other) == State.REGISTERED


def test_similar_panel_offers_merge_into_only_to_the_office(world, pair):
    primary, other = pair
    url = f"/search/similar/?suggestion={other.pk}"
    office = _login("affairs", world).get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'name="into" value="{primary.pk}"' in office
    committee = _login("committee", world).get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="into"' not in committee
