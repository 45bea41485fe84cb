"""Role-based navigation: each role sees exactly the header entries it may use, every entry it
sees opens, and every page it does not see is refused (the menu and the pages agree)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from renda.home.context_processors import LazyUnreadCount, shell
from renda.home.navigation import NAV, navigation_for

ALL = {"home", "notifications", "search"}
OFFICE = {"orgs", "calendar", "office_inbox", "stats", "deputies", "activities", "deputy_scores"}
OFFICE |= {
    "coverage",
    "stations",
    "station_stats",
    "opinions",
    "meetings",
    "livelihood",
    "routing",
    "hot_topics",
}
DEPUTY = {"mine", "my_score", "my_duties", "my_votes", "citizen_messages", "opinions", "livelihood"}
EXPECTED = {
    "admin": ALL | {"accounts"} | OFFICE,
    "affairs": ALL | OFFICE,
    "county_affairs": ALL | OFFICE,
    "deputy": ALL | DEPUTY,
    "deputy2": ALL | DEPUTY,
    "edu_clerk": ALL | {"calendar", "unit_queue", "stats", "opinions", "livelihood"},
    "edu_head": ALL | {"calendar", "unit_queue", "stats", "opinions", "livelihood"},
    "transport_clerk": ALL | {"calendar", "unit_queue", "stats", "opinions", "livelihood"},
    "station": ALL | {"activities", "stations", "opinions"},
    "sc_member": ALL | DEPUTY,
    "committee": ALL | {"orgs", "stats", "station_stats"},
    "supervisor": ALL | {"orgs", "stats", "station_stats", "livelihood"},
    "leader": ALL | {"orgs", "stats", "station_stats"},
    "nobody": ALL,
}
# What a refused page answers: the same 404 as a missing one, or the admin site's sign-in page.
REFUSED = {404, 302, 403}


def _request(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_only_the_entries_it_may_use(world, username):
    keys = {link.key for link in navigation_for(_request(world[username]))}
    expected = set(EXPECTED[username])
    if world[username].is_staff:
        expected.add("admin")
    assert keys == expected


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_every_entry_shown_opens_and_every_entry_hidden_is_refused(signed_in, world, username):
    client = signed_in(username)
    shown = {link.key for link in navigation_for(_request(world[username]))}
    for item in NAV:
        status = client.get(item.url).status_code
        if item.key in shown:
            assert status == 200, (item.key, status)
        else:
            assert status in REFUSED, (item.key, status)


def test_staff_see_the_administration_entry(world):
    user = world["admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    keys = [link.key for link in navigation_for(_request(user))]
    assert keys == [
        "home",
        "orgs",
        "calendar",
        "accounts",
        "notifications",
        "search",
        "office_inbox",
        "stats",
        "routing",
        "hot_topics",
        "deputies",
        "activities",
        "deputy_scores",
        "coverage",
        "meetings",
        "opinions",
        "stations",
        "station_stats",
        "livelihood",
        "admin",
    ]


def test_admins_see_every_entry_but_the_staff_only_admin_site(world):
    keys = [link.key for link in navigation_for(_request(world["admin"]))]
    # An administrator acts for no handling unit, so has no unit queue, and is no deputy, so
    # writes no suggestions, has no duty record, no performance points and no citizens' messages.
    hidden = ("admin", "unit_queue", "mine", "my_duties", "my_score", "my_votes")
    hidden += ("citizen_messages",)
    assert keys == [item.key for item in NAV if item.key not in hidden]


def test_current_entry_is_marked_page_and_its_section_true(world):
    user = world["affairs"]
    on_list = {link.key: link.current for link in navigation_for(_request(user, "/orgs/"))}
    assert on_list["orgs"] == "page"
    assert on_list["home"] == ""
    inside = {link.key: link.current for link in navigation_for(_request(user, "/orgs/unit/3/"))}
    assert inside["orgs"] == "true"
    assert inside["home"] == ""  # "/" is a prefix of everything: only an exact match counts


def test_signed_out_visitors_get_no_navigation(db):
    from django.contrib.auth.models import AnonymousUser

    assert navigation_for(_request(AnonymousUser())) == []


def test_home_page_marks_the_current_entry_with_aria_current(signed_in):
    content = signed_in("deputy").get("/").content.decode()
    assert 'aria-current="page" href="/" data-nav="home"' in content
    assert content.count("aria-current=") == 1


def test_shell_context_costs_no_query_until_a_template_uses_it(world, django_assert_num_queries):
    request = _request(world["deputy"])
    with django_assert_num_queries(0):
        context = shell(request)
    assert isinstance(context["unread_count"], LazyUnreadCount)
    with django_assert_num_queries(2):  # the roles, then the unread COUNT
        keys = [link.key for link in context["nav_items"]]
        assert keys == [
            "home",
            "mine",
            "my_duties",
            "my_score",
            "my_votes",
            "citizen_messages",
            "notifications",
            "search",
            "opinions",
            "livelihood",
        ]
        assert int(context["unread_count"]) == 0


def test_a_page_inside_a_subsection_marks_the_subsection_not_its_parent(world):
    """/deputies/activities/… belongs to Activities (/deputies/activities/), not to the registry
    at /deputies/: the longest entry the path starts with is the current one."""
    links = navigation_for(_request(world["affairs"], "/deputies/activities/3/"))
    marked = {link.key: link.current for link in links if link.current}
    assert marked == {"activities": "true"}
