"""GET /api/v1/congresses and /api/v1/units: visibility per role, filters, bad input."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve

from conftest import WORLD_USERS

ALL_USERS = list(WORLD_USERS)
CITY_STAFF = {"admin", "affairs", "committee", "supervisor", "leader"}


@pytest.fixture(autouse=True)
def _router_mounted():
    try:
        resolve("/api/v1/congresses")
    except Resolver404:
        pytest.skip(
            "!!! renda.orgs.api.router is not mounted in renda/api.py yet: "
            'api.add_router("", orgs_router, tags=["orgs"]) !!!'
        )


@pytest.mark.parametrize(
    "username, status",
    [(u, 200 if u in CITY_STAFF | {"county_affairs"} else 403) for u in ALL_USERS],
)
def test_congresses_permissions(api, username, status):
    response = api(username).get("/congresses")
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"] == "forbidden"


def test_congresses_anonymous_is_401(api):
    assert api().get("/congresses").status_code == 401


def test_congresses_lists_what_the_user_may_see(api, world):
    city_view = api("affairs").get("/congresses").json()
    assert [c["division_code"] for c in city_view] == ["330300", "330302"]
    assert city_view[1]["parent_id"] == world.city.pk
    county_view = api("county_affairs").get("/congresses").json()
    assert [c["division_code"] for c in county_view] == ["330302"]


@pytest.mark.parametrize(
    "username, status",
    [
        (
            u,
            200
            if u in CITY_STAFF | {"county_affairs", "edu_clerk", "edu_head", "transport_clerk"}
            else 403,
        )
        for u in ALL_USERS
    ],
)
def test_units_permissions(api, username, status):
    assert api(username).get("/units").status_code == status


def test_units_filtered_by_congress(api, world):
    names = [u["name"] for u in api("affairs").get("/units", congress=world.city.pk).json()]
    assert sorted(names) == sorted(["市交通运输局", "市教育局"])
    assert api("affairs").get("/units", congress=world.county.pk).json() == []


def test_unit_clerk_sees_only_own_unit(api, world):
    units = api("edu_clerk").get("/units", congress=world.city.pk).json()
    assert [u["id"] for u in units] == [world.edu.pk]


def test_units_of_an_invisible_congress_is_404(api, world):
    assert api("county_affairs").get("/units", congress=world.city.pk).status_code == 404
    assert api("affairs").get("/units", congress=999999).status_code == 404


@pytest.mark.parametrize(
    "params", [{"congress": "abc"}, {"congress": "0"}, {"congress": "9" * 30}, {"kind": "ministry"}]
)
def test_bad_filters_are_422(api, params):
    response = api("affairs").get("/units", **params)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
