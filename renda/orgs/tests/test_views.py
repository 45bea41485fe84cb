"""The three organisation pages: a permission matrix over every role, history, bad ids."""

from __future__ import annotations

import pytest
from django.db import transaction

from conftest import WORLD_USERS
from renda.audit.actions import record_event

ALL_USERS = list(WORLD_USERS)
CITY_STAFF = {"admin", "affairs", "committee", "supervisor", "leader"}


def _matrix(allowed: set[str]) -> list[tuple[str, int]]:
    return [(u, 200 if u in allowed else 404) for u in ALL_USERS]


@pytest.mark.parametrize("username, status", _matrix(CITY_STAFF | {"county_affairs"}))
def test_congress_list_permissions(signed_in, username, status):
    assert signed_in(username).get("/orgs/").status_code == status


@pytest.mark.parametrize("username, status", _matrix(CITY_STAFF))
def test_city_congress_page_permissions(world, signed_in, username, status):
    assert signed_in(username).get(f"/orgs/congress/{world.city.pk}/").status_code == status


@pytest.mark.parametrize("username, status", _matrix(CITY_STAFF | {"county_affairs"}))
def test_county_congress_page_permissions(world, signed_in, username, status):
    assert signed_in(username).get(f"/orgs/congress/{world.county.pk}/").status_code == status


@pytest.mark.parametrize("username, status", _matrix(CITY_STAFF | {"edu_clerk", "edu_head"}))
def test_unit_page_permissions(world, signed_in, username, status):
    assert signed_in(username).get(f"/orgs/unit/{world.edu.pk}/").status_code == status


@pytest.mark.parametrize("path", ["/orgs/", "/orgs/congress/1/", "/orgs/unit/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/congress/999999/",
        "/orgs/unit/999999/",
        "/orgs/congress/99999999999999999999999/",
        "/orgs/unit/9223372036854775808/",
        "/orgs/congress/0/",
    ],
)
def test_missing_or_impossible_ids_are_404_not_500(signed_in, path):
    assert signed_in("admin").get(path).status_code == 404


def test_congress_list_shows_both_congresses_with_unit_counts(signed_in, world):
    body = signed_in("affairs").get("/orgs/").content.decode()
    assert world.city.name in body and world.county.name in body
    assert f"/orgs/congress/{world.city.pk}/" in body


def test_congress_page_shows_terms_units_and_history(signed_in, world):
    with transaction.atomic():
        record_event(world.city, "congress.updated", by=world["admin"])
    body = signed_in("affairs").get(f"/orgs/congress/{world.city.pk}/").content.decode()
    assert "市教育局" in body and "市交通运输局" in body
    assert "2026-02-10" in body  # the session
    assert "congress.updated" in body and "admin" in body


def test_unit_page_shows_history_and_hides_the_congress_link_from_unit_staff(signed_in, world):
    with transaction.atomic():
        record_event(world.edu, "unit.updated", by=world["admin"])
    clerk = signed_in("edu_clerk").get(f"/orgs/unit/{world.edu.pk}/").content.decode()
    assert "unit.updated" in clerk
    assert f"/orgs/congress/{world.city.pk}/" not in clerk
    staff = signed_in("affairs").get(f"/orgs/unit/{world.edu.pk}/").content.decode()
    assert f"/orgs/congress/{world.city.pk}/" in staff
