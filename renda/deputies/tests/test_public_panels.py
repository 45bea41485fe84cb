"""Home panels of the public part: the deputy's citizens' opinions (addressed to them and
waiting; followed up by them) and current plan; the
office's DEP-TERMINATE flag count and the coverage counts (from the dashboard's cache)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from renda.deputies.actions.public import create_plan, leave_message, publish_plan
from renda.deputies.tests.public_builders import absent, deputyship_of, session
from renda.opinions.actions.handling import triage
from renda.opinions.actions.receiving import submit_opinion
from renda.opinions.tests.receiving_builders import category


def _panel(html: str, key: str) -> str:
    start = html.index(f'data-panel="{key}"')
    return html[start : start + 4000]


def test_deputy_home_counts_the_opinions_addressed_to_them_and_the_current_plan(
    world: Any, signed_in: Any
) -> None:
    """The panel counts opinions (issue 5), not the old messages: addressed to the deputy and
    still waiting for a first look, and those the deputy follows up (state with_deputy)."""
    d = deputyship_of(world, "deputy")
    leave_message(d, text="旧留言")  # an old message: no longer counted here
    first = submit_opinion(category=category().pk, text="一", deputy=d)
    submit_opinion(category=category().pk, text="二", deputy=d)
    triage(first, "deputy", by=world["deputy"])  # the deputy follows the first one up
    today = timezone.localdate()
    plan = create_plan(
        world.city,
        year=today.year,
        title="今年的代表工作计划",
        body="正文",
        adopted_on=today - timedelta(days=1),
        by=world["affairs"],
    )
    publish_plan(plan, by=world["affairs"])
    panel = _panel(signed_in("deputy").get("/").content.decode(), "deputy-public")
    assert "1 new citizen&#x27;s opinion addressed to you" in panel
    assert "1 opinion waiting for your follow-up" in panel
    assert reverse("opinions:handling_queue") + "?state=with_deputy" in panel
    assert "unread" not in panel
    assert "今年的代表工作计划" in panel and reverse("deputies:plan", args=[plan.pk]) in panel
    other = _panel(signed_in("deputy2").get("/").content.decode(), "deputy-public")
    assert "addressed to you" not in other and "今年的代表工作计划" in other


def test_office_home_shows_the_flag_and_cached_counts(world: Any, signed_in: Any) -> None:
    cache.clear()
    d = deputyship_of(world, "deputy2")
    absent(world, d, session(world, 3, date(2024, 1, 20)))
    absent(world, d, session(world, 4, date(2025, 1, 20)))
    client = signed_in("affairs")
    panel = _panel(client.get("/").content.decode(), "coverage")
    assert "1 deputy absent from two sessions without leave" in panel
    assert "Not reported back" not in panel  # not computed yet: no query for it on the home page
    client.get(reverse("deputies:coverage"))
    panel = _panel(client.get("/").content.decode(), "coverage")
    assert "Not reported back: 3 · not trained: 3 · not sat in: 3" in panel
    county = _panel(signed_in("county_affairs").get("/").content.decode(), "coverage")
    assert "deputy absent from two sessions" not in county
