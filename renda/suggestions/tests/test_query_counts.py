"""A fixed number of SQL queries per page, whatever the amount of data (issue 3, "Benchmark"):
the same page with 3 and with 30 suggestions (seed_scale data: assignments, deadlines,
answers, ratings, commitments, contacts) makes the same queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from renda.accounts.models import User
from renda.suggestions.choices import State
from renda.suggestions.models import Assignment, Suggestion
from renda.suggestions.scale import Options, seed_scale


def _seed(n: int, seed: int) -> None:
    # One deputy (scale-deputy leads them all), three units (scale-clerk's is the first).
    seed_scale(
        Options(suggestions=n, deputies=1, units=3, years=2, seed=seed), progress=lambda _m: None
    )


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _queries(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # warm: first-request-only work (e.g. the session's first save)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def _unit_id() -> int:
    return User.objects.get(username="scale-clerk").roles.get().unit_id


def _unit_suggestion() -> Suggestion:
    """The clerk's unit's oldest answered suggestion (the same one before and after)."""
    a = (
        Assignment.objects.filter(unit_id=_unit_id(), suggestion__state=State.CLOSED)
        .order_by("id")
        .select_related("suggestion")
        .first()
    )
    assert a is not None
    return a.suggestion


PAGES: dict[str, tuple[str, Callable[[], str]]] = {
    "unit queue": ("scale-clerk", lambda: "/suggestions/unit/"),
    "unit queue, page 2": ("scale-clerk", lambda: "/suggestions/unit/?page=2"),
    "detail page, unit": ("scale-clerk", lambda: f"/suggestions/{_unit_suggestion().pk}/"),
    "detail page, deputy": ("scale-deputy", lambda: f"/suggestions/{_unit_suggestion().pk}/"),
    "detail page, office": ("scale-office", lambda: f"/suggestions/{_unit_suggestion().pk}/"),
    "deputy's list": ("scale-deputy", lambda: "/suggestions/mine/"),
    "API list, unit": ("scale-clerk", lambda: f"/api/v1/suggestions?unit={_unit_id()}"),
    "API list, office": ("scale-office", lambda: "/api/v1/suggestions?state=closed"),
    "API detail": ("scale-clerk", lambda: f"/api/v1/suggestions/{_unit_suggestion().pk}"),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_same_queries_with_3_and_with_30_suggestions(db: Any, page: str) -> None:
    username, url = PAGES[page]
    _seed(3, seed=7)
    assert Assignment.objects.filter(unit_id=_unit_id()).exists()
    few, _html = _queries(_client(username), url())
    _seed(27, seed=8)
    assert Suggestion.objects.count() == 30
    # The lists now have more rows than a page of the unit queue (25) when it is page 2.
    many, _html = _queries(_client(username), url())
    assert few == many, f"{page}: {few} queries with 3 suggestions, {many} with 30"


def test_unit_queue_keeps_open_ones_first_soonest_due_then_done_most_recent_first(
    db: Any,
) -> None:
    _seed(30, seed=8)
    from renda.suggestions.choices import AssignmentState
    from renda.suggestions.queries import UnitQueue

    clerk = User.objects.get(username="scale-clerk")
    queue = UnitQueue(clerk)
    rows = queue[0 : queue.count()]
    assert (
        len(rows)
        == queue.count()
        == (
            Assignment.objects.filter(unit_id=_unit_id())
            .exclude(state=AssignmentState.RETURNED)
            .count()
        )
    )
    states = [r.state for r in rows]
    n_open = states.count(AssignmentState.ACTIVE)
    assert all(s == AssignmentState.ACTIVE for s in states[:n_open])
    dues = [
        (r.answer_deadline if r.role == "lead" else r.co_opinion_deadline).due
        for r in rows[:n_open]
    ]
    assert dues == sorted(dues)
    done_ids = [r.pk for r in rows[n_open:]]
    assert done_ids == sorted(done_ids, reverse=True)
    # Pages are slices of the same order, across the boundary between the two parts.
    for start in range(0, len(rows), 7):
        assert [r.pk for r in queue[start : start + 7]] == [r.pk for r in rows[start : start + 7]]
