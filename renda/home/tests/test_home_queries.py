"""The signed-in home page stays cheap: a fixed, small number of queries for every role.

Benchmark goal (issue 2): the signed-in home page at >= 50% of a bare view's throughput, so its
query count must not grow with the data or with the number of panels and header entries.
"""

from __future__ import annotations

import pytest

from renda.notifications.actions import notify

# session, user, roles (cached on the user for the rest of the request), the inbox panel's
# five newest unread, and the header's unread COUNT only when there are five or more.
HOME_QUERIES = 5
# The administrator's panel adds: the years in use without an official calendar (2 queries) and
# the accounts still on their initial password (1).
ADMIN_HOME_QUERIES = HOME_QUERIES + 3
# The deputy-affairs office's panel ("To register and assign") adds: its five oldest submitted or
# registered suggestions (1) and, only when there are five or more, how many wait in all (1).
# The unit's panel ("Assigned to my unit") adds: its five soonest-due assignments still being
# handled (1) and, only when there are five or more, how many there are in all (1).
# The deputy's panel ("My suggestions and duties") adds: the five most recently changed own or
# co-signed suggestions and co-signature requests (1) and, only when there are five or more,
# how many in all (1).
# The supervision panel ("Under my supervision": committee, leader, government supervision
# office) adds the five latest key suggestions they supervise (1).
# The deputy's activities panel ("My upcoming activities") adds the five soonest invitations
# with their leave state (1) and, only when there are five or more, how many in all (1); the
# organiser's panel ("Activities to close, leave to decide": the office, station staff) adds
# the five oldest activities waiting (1) and, when there are five or more, their count (1).
ACTIVITY_PANEL = 2
# Issue 4 (deputies, public part): the deputy's "Citizens' messages and the work plan" panel adds
# one query (their deputyships with the unread count and the current plan as subqueries); the
# office's "Deputies' duties" panel adds one (the DEP-TERMINATE flag count; the coverage counts
# come from the cache the dashboard fills, no query).
PUBLIC_PANEL = 1
ROLE_EXTRA_QUERIES = {
    "committee": 1,
    "leader": 1,
    "supervisor": 1,
    "deputy": 2 + ACTIVITY_PANEL + PUBLIC_PANEL,
    "deputy2": 2 + ACTIVITY_PANEL + PUBLIC_PANEL,
    "sc_member": 2 + ACTIVITY_PANEL + PUBLIC_PANEL,
    "affairs": 2 + ACTIVITY_PANEL + PUBLIC_PANEL,
    "county_affairs": 2 + ACTIVITY_PANEL + PUBLIC_PANEL,
    "station": ACTIVITY_PANEL,
    "edu_clerk": 2,
    "edu_head": 2,
    "transport_clerk": 2,
}

ROLES = [
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


@pytest.mark.parametrize("username", ROLES)
def test_home_page_query_count_is_fixed_for_each_role(
    signed_in, world, django_assert_max_num_queries, username
):
    client = signed_in(username)
    client.get("/")  # the first request of a session records that the sign-in gate passed
    with django_assert_max_num_queries(HOME_QUERIES + ROLE_EXTRA_QUERIES.get(username, 0)):
        response = client.get("/")
    assert response.status_code == 200


def test_admin_home_page_query_count_is_fixed(signed_in, world, django_assert_max_num_queries):
    client = signed_in("admin")
    client.get("/")
    with django_assert_max_num_queries(ADMIN_HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200


def test_home_query_count_does_not_grow_with_notifications(
    signed_in, world, django_assert_max_num_queries
):
    for i in range(40):
        notify([world["deputy"]], title=f"Message {i}", email=False)
    client = signed_in("deputy")
    client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES + ROLE_EXTRA_QUERIES["deputy"]):
        response = client.get("/")
    assert b'data-testid="unread-count"' in response.content
    assert b">40<" in response.content


@pytest.mark.parametrize("unread, count_queries", [(1, 0), (4, 0), (5, 1), (12, 1)])
def test_unread_count_is_counted_at_most_once_although_the_header_shows_it_twice(
    signed_in, world, unread, count_queries
):
    """Fewer than five unread: the inbox panel's own list is the count (no COUNT query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(unread):
        notify([world["edu_clerk"]], title=f"Assigned {i}", email=False)
    client = signed_in("edu_clerk")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    counts = [
        q for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "notification" in q["sql"]
    ]
    assert len(counts) == count_queries
    assert response.content.count(b'data-testid="unread-count') == 2  # phone bell and nav entry
    assert f">{unread}<".encode() in response.content


@pytest.mark.parametrize("username", ["deputy", "affairs"])
def test_full_activity_panels_stay_within_the_budget(
    signed_in, world, django_assert_max_num_queries, username
):
    """Six activities started and not closed, each with the deputy invited: both panels full."""
    from datetime import timedelta

    from django.utils import timezone

    from renda.deputies.tests.activity_builders import organised

    for i in range(6):
        organised(world, starts=timezone.now() - timedelta(minutes=5), title=f"活动{i}")
    client = signed_in(username)
    client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES + ROLE_EXTRA_QUERIES[username]):
        response = client.get("/")
    panel = "deputy-activities" if username == "deputy" else "organiser-activities"
    assert f'data-panel="{panel}"'.encode() in response.content
