"""The kept home page is never stale: after each kind of change, every person's home page served
from the cache is exactly the page drawn afresh (renda.home.versions; issue 2, "Benchmark").

These tests commit for real (transactional_db): the versions move when a transaction commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from conftest import WORLD_USERS

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

pytestmark = pytest.mark.django_db(transaction=True)


def page(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return CSRF.sub("csrf", response.content.decode())


def fresh(client: Client) -> str:
    with override_settings(RENDA_HOME_CACHE_SECONDS=0):
        return page(client)


@pytest.fixture
def clients(world: Any) -> dict[str, Client]:
    cache.clear()
    out = {}
    for username in WORLD_USERS:
        c = Client()
        c.force_login(world[username])
        out[username] = c
    return out


def assert_coherent(clients: dict[str, Client]) -> None:
    for username, client in clients.items():
        assert page(client) == fresh(client), f"{username}'s kept home page is stale"


def _submit(world: Any) -> Any:
    from renda.suggestions.actions.submission import create_draft, submit

    s = create_draft(world.city, by=world["deputy"], title="关于增设公交站的建议", body="正文")
    return submit(s, by=world["deputy"])


def _register(world: Any) -> Any:
    from renda.suggestions.actions.registration import register

    return register(_submit(world), by=world["affairs"])


def _assign(world: Any) -> Any:
    from renda.suggestions.actions.assignment import assign

    return assign(
        _register(world),
        lead_units=[world.edu],
        co_units=[world.transport],
        complex=False,
        by=world["affairs"],
    )


def _notify(world: Any) -> None:
    from renda.notifications.actions import notify

    notify([world["deputy2"]], title="会议通知", email=False)


def _mark_read(world: Any) -> None:
    from renda.notifications.actions import mark_read, notify

    notify([world["deputy2"]], title="会议通知", email=False)
    mark_read(world["deputy2"])


def _role(world: Any) -> None:
    from renda.accounts.actions import assign_role

    assign_role(world["nobody"], role="deputy_affairs", congress=world.city, by=world["admin"])


def _calendar(world: Any) -> None:
    from renda.calendar.actions import enter_schedule
    from renda.calendar.schedule import HolidayPeriod

    _assign(world)  # a deadline for the calendar to move
    new_year = [HolidayPeriod("元旦", date(2027, 1, 1), date(2027, 1, 3))]
    enter_schedule(2027, new_year, [], by=world["admin"])


def _deputy_suspended(world: Any) -> None:
    from renda.deputies.actions.registry import suspend_deputyship
    from renda.deputies.models import Deputyship

    d = Deputyship.objects.get(person__user=world["deputy2"])
    suspend_deputyship(d, ground="detained", on=date(2026, 5, 1), by=world["affairs"])


CHANGES: list[tuple[str, Callable[[Any], Any]]] = [
    ("a suggestion submitted", _submit),
    ("registered", _register),
    ("assigned", _assign),
    ("a notification", _notify),
    ("notifications read", _mark_read),
    ("a role given", _role),
    ("the calendar entered", _calendar),
    ("a deputy suspended", _deputy_suspended),
]


@pytest.mark.parametrize(("what", "change"), CHANGES, ids=[c[0] for c in CHANGES])
@override_settings(RENDA_HOME_CACHE_SECONDS=60)
def test_every_home_page_is_fresh_after_a_change(world, clients, what, change):
    for client in clients.values():
        page(client)  # kept now
    change(world)
    assert_coherent(clients)


@override_settings(RENDA_HOME_CACHE_SECONDS=60)
def test_a_kept_page_is_served_with_the_requests_own_reads_only(
    world, clients, django_assert_max_num_queries
):
    client = clients["deputy"]
    page(client)
    page(client)  # the sign-in gate's first-request check is done
    with django_assert_max_num_queries(3):  # the session, the user, the roles
        page(client)


@override_settings(RENDA_HOME_CACHE_SECONDS=60)
def test_the_kept_page_of_another_day_is_not_served(world):
    """Panels mark what is due or overdue by the date: a new day is a new key."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from renda.accounts.permissions import role_assignments
    from renda.home.versions import home_cache_key

    shanghai = ZoneInfo("Asia/Shanghai")
    user = world["edu_clerk"]
    roles = role_assignments(user)
    with time_machine.travel(datetime(2026, 6, 1, 23, 59, tzinfo=shanghai), tick=False):
        evening = home_cache_key(user, roles, admin=False)
    with time_machine.travel(datetime(2026, 6, 2, 0, 1, tzinfo=shanghai), tick=False):
        morning = home_cache_key(user, roles, admin=False)
    assert evening != morning


@override_settings(RENDA_HOME_CACHE_SECONDS=60)
def test_a_waiting_message_is_shown_once_on_a_kept_page(world, clients):
    """A flash message (e.g. "Saved.") is not part of the kept page: it shows once, then not."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client = clients["deputy"]
    page(client)  # kept now
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "已保存。")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "已保存。" in page(client)
    assert "已保存。" not in page(client)
