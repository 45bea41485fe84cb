"""DEP-PLAN: the annual deputy-work plan — written by the office as adopted by the director's
council, published (audited; every active deputy told, in one transaction), never edited once
published (409): a correction is a new version, and the earlier one stays, marked superseded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import WORLD_USERS
from renda.audit.models import AuditEvent
from renda.deputies.actions.public import correct_plan, create_plan, publish_plan, update_plan
from renda.deputies.models import Deputyship, WorkPlan
from renda.deputies.queries_public import current_plan
from renda.deputies.tests.public_builders import deputyship_of
from renda.errors import DomainError, Forbidden, InvalidInput
from renda.notifications.models import Notification

OFFICE = {"affairs", "admin"}
DEPUTIES = {"deputy", "deputy2", "sc_member"}


def _draft(world: Any, **extra: Any) -> WorkPlan:
    today = timezone.localdate()
    data = {
        "year": today.year,
        "title": f"{today.year}年代表工作计划",
        "body": "一、加强代表履职培训。\n二、组织代表向选民述职。",
        "adopted_on": today - timedelta(days=3),
    }
    data.update(extra)
    return create_plan(world.city, by=world["affairs"], **data)


@pytest.fixture
def published(world: Any) -> WorkPlan:
    return publish_plan(_draft(world), by=world["affairs"])


def test_publish_tells_every_active_deputy_once_and_is_audited(world: Any) -> None:
    """DEP-PLAN: told to deputies (inbox rows in the publishing transaction) and published."""
    ended = deputyship_of(world, "deputy2")
    Deputyship.objects.filter(pk=ended.pk).update(status="ended")
    plan = publish_plan(_draft(world), by=world["affairs"])
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"deputy", "sc_member"}
    assert Notification.objects.get(recipient=world["deputy"]).url == reverse(
        "deputies:plan", args=[plan.pk]
    )
    event = AuditEvent.objects.get(verb="work_plan.published")
    assert event.data["deputies_told"] == 2 and event.actor == world["affairs"]
    assert plan.published_at is not None and plan.published_by == world["affairs"]


def test_a_published_plan_is_never_edited(world: Any, published: WorkPlan) -> None:
    with pytest.raises(DomainError) as err:
        update_plan(
            published, title="改", body="改", adopted_on=published.adopted_on, by=world["affairs"]
        )
    assert err.value.status == 409 and err.value.code == "published"
    with pytest.raises(DomainError):
        publish_plan(published, by=world["affairs"])  # twice


def test_a_correction_is_a_new_version_and_supersedes_on_publication(
    world: Any, published: WorkPlan
) -> None:
    v2 = correct_plan(
        published,
        title=published.title,
        body=published.body + "\n三、增加代表进站次数。",
        adopted_on=published.adopted_on,
        correction_note="增加第三项",
        by=world["affairs"],
    )
    assert (v2.version, v2.published_at) == (2, None)
    assert current_plan(world.city) == published  # until the correction is published
    with pytest.raises(DomainError):  # only the latest version is corrected
        correct_plan(
            published,
            title="x",
            body="x",
            adopted_on=published.adopted_on,
            correction_note="x",
            by=world["affairs"],
        )
    publish_plan(v2, by=world["affairs"])
    assert current_plan(world.city) == v2
    assert Notification.objects.filter(recipient=world["deputy"]).count() == 2


def test_plan_rules(world: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(Forbidden):
        create_plan(
            world.city,
            year=today.year,
            title="x",
            body="x",
            adopted_on=today,
            by=world["county_affairs"],
        )
    for bad in (
        {"year": 1999},
        {"year": today.year + 2},
        {"year": "2026"},
        {"title": ""},
        {"title": "x" * 201},
        {"body": "  "},
        {"body": "a\x00b"},
        {"adopted_on": today + timedelta(days=1)},
        {"adopted_on": "2026-01-01"},
        {"adopted_on": today.replace(year=today.year - 3)},
    ):
        with pytest.raises(InvalidInput):
            _draft(world, **bad)
    _draft(world)
    with pytest.raises(DomainError):
        _draft(world)  # one plan a year: a second is a correction
    assert WorkPlan.objects.count() == 1


# --- pages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_published_plan_pages_are_public(
    world: Any, client: Any, signed_in: Any, published: WorkPlan, username: str | None
) -> None:
    c = client if username is None else signed_in(username)
    listing = c.get(reverse("deputies:public_plans", args=[world.city.pk]))
    assert listing.status_code == 200 and published.title in listing.content.decode()
    assert c.get(reverse("deputies:plan", args=[published.pk])).status_code == 200


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_drafts_only_for_the_office(
    world: Any, client: Any, signed_in: Any, username: str | None
) -> None:
    draft = _draft(world, title="尚未公开的草稿")
    c = client if username is None else signed_in(username)
    detail = c.get(reverse("deputies:plan", args=[draft.pk])).status_code
    listing = c.get(reverse("deputies:public_plans", args=[world.city.pk])).content.decode()
    assert "尚未公开的草稿" not in listing
    assert detail == (200 if username in OFFICE else 404)


@pytest.mark.parametrize("username", WORLD_USERS)
def test_office_plan_pages_matrix(world: Any, signed_in: Any, username: str) -> None:
    draft = _draft(world)
    c = signed_in(username)
    pages = [
        reverse("deputies:office_plans"),
        reverse("deputies:plan_new"),
        reverse("deputies:plan_edit", args=[draft.pk]),
        reverse("deputies:plan_correct", args=[draft.pk]),
    ]
    statuses = [c.get(p).status_code for p in pages]
    publish = c.post(reverse("deputies:plan_publish", args=[draft.pk])).status_code
    draft.refresh_from_db()
    if username in OFFICE:
        assert statuses == [200, 200, 200, 200] and publish == 302
        assert draft.published_at is not None
    elif username == "county_affairs":
        assert statuses[2:] == [404, 404] and publish == 404 and draft.published_at is None
    else:
        assert statuses == [404] * 4 and publish == 404 and draft.published_at is None


def test_office_writes_publishes_and_corrects_through_the_pages(world: Any, signed_in: Any) -> None:
    c = signed_in("affairs")
    today = timezone.localdate()
    response = c.post(
        reverse("deputies:plan_new"),
        {
            "year": today.year,
            "title": "年度代表工作计划",
            "adopted_on": (today - timedelta(days=1)).isoformat(),
            "body": "正文",
        },
    )
    assert response.status_code == 302
    plan = WorkPlan.objects.get()
    c.post(reverse("deputies:plan_publish", args=[plan.pk]))
    edit = c.get(reverse("deputies:plan_edit", args=[plan.pk]))
    assert (
        edit.status_code == 409 and 'data-testid="plan-published-refusal"' in edit.content.decode()
    )
    assert c.post(reverse("deputies:plan_edit", args=[plan.pk]), {"title": "x"}).status_code == 409
    response = c.post(
        reverse("deputies:plan_correct", args=[plan.pk]),
        {
            "title": "年度代表工作计划（修订）",
            "adopted_on": today.isoformat(),
            "body": "修订后的正文",
            "correction_note": "修订第二项",
        },
    )
    assert response.status_code == 302
    v2 = WorkPlan.objects.get(version=2)
    c.post(reverse("deputies:plan_publish", args=[v2.pk]))
    old = c.get(reverse("deputies:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-superseded"' in old
    listing = c.get(reverse("deputies:public_plans", args=[world.city.pk])).content.decode()
    assert "superseded" in listing


def test_plan_form_errors_are_shown_not_500(signed_in: Any) -> None:
    c = signed_in("affairs")
    for data in ({}, {"year": "abc"}, {"year": 2026, "title": "x", "adopted_on": "nope"}):
        assert c.post(reverse("deputies:plan_new"), data).status_code == 422


# --- the API -------------------------------------------------------------------------------------
def test_api_plan_lifecycle_and_409_on_edit(world: Any, api: Any) -> None:
    today = timezone.localdate()
    client = api("affairs")
    created = client.post(
        f"/deputies/congress/{world.city.pk}/plans",
        {
            "year": today.year,
            "title": "计划",
            "body": "正文",
            "adopted_on": today.isoformat(),
        },
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    edit = {"title": "计划（改）", "body": "正文", "adopted_on": today.isoformat()}
    assert (
        client.client.put(
            f"/api/v1/deputies/plans/{pk}",
            edit,
            content_type="application/json",
            headers=client._headers(),
        ).status_code
        == 200
    )
    assert client.post(f"/deputies/plans/{pk}/publish").status_code == 200
    again = client.client.put(
        f"/api/v1/deputies/plans/{pk}",
        edit,
        content_type="application/json",
        headers=client._headers(),
    )
    assert again.status_code == 409 and again.json()["error"] == "published"
    corrected = client.post(
        f"/deputies/plans/{pk}/corrections", {**edit, "correction_note": "更正"}
    )
    assert corrected.status_code == 201 and corrected.json()["version"] == 2


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_api_plans_matrix(world: Any, api: Any, username: str | None) -> None:
    draft = _draft(world)
    client = api(username)
    listing = client.get(f"/deputies/congress/{world.city.pk}/plans")
    publish = client.post(f"/deputies/plans/{draft.pk}/publish")
    if username is None:
        assert listing.status_code == publish.status_code == 401
    elif username in OFFICE:
        assert listing.status_code == 200 and len(listing.json()) == 1
        assert publish.status_code == 200
    else:
        assert listing.status_code == 200 and listing.json() == []  # drafts are not theirs
        assert publish.status_code == 404
