"""Who sees which congresses and units."""

from __future__ import annotations

import pytest

from renda.orgs.models import Congress, HandlingUnit
from renda.orgs.queries import congresses_visible_to, units_visible_to


@pytest.fixture
def township(world):
    return Congress.objects.create(
        name="五马街道",
        level="township",
        region_name="五马街道",
        division_code="330302001",
        parent=world.county,
    )


@pytest.mark.parametrize(
    "username, expected",
    [
        ("admin", {"city", "county", "township", "other"}),
        ("affairs", {"city", "county", "township"}),
        ("committee", {"city", "county", "township"}),
        ("supervisor", {"city", "county", "township"}),
        ("leader", {"city", "county", "township"}),
        ("county_affairs", {"county", "township"}),
        ("deputy", set()),
        ("deputy2", set()),
        ("sc_member", set()),
        ("edu_clerk", set()),
        ("edu_head", set()),
        ("transport_clerk", set()),
        ("station", set()),
        ("nobody", set()),
    ],
)
def test_congresses_visible_to_each_role(world, township, username, expected):
    other = Congress.objects.create(
        name="杭州市人大", level="city", region_name="杭州市", division_code="330100"
    )
    names = {
        world.city.pk: "city",
        world.county.pk: "county",
        township.pk: "township",
        other.pk: "other",
    }
    visible = {names[c.pk] for c in congresses_visible_to(world[username])}
    assert visible == expected


def test_deputy_role_elsewhere_does_not_widen_a_staff_members_view(world):
    """Only staff roles open congresses: a county affairs clerk who is also a city deputy."""
    from renda.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=world["county_affairs"], role="deputy", congress=world.city)
    world["county_affairs"]._renda_roles = None
    assert set(congresses_visible_to(world["county_affairs"])) == {world.county}


def test_unit_staff_see_their_own_unit_only(world):
    HandlingUnit.objects.create(congress=world.county, name="区教育局")
    assert list(units_visible_to(world["edu_clerk"])) == [world.edu]
    assert list(units_visible_to(world["transport_clerk"])) == [world.transport]
    assert len(units_visible_to(world["affairs"])) == 3
    assert [u.name for u in units_visible_to(world["county_affairs"])] == ["区教育局"]
    assert not units_visible_to(world["deputy"]).exists()
