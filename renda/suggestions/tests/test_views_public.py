"""Public pages (no sign-in): published answers only (SUG-PUBLIC), masked personal data,
search by year, unit, topic and title."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import WORLD_USERS
from renda.suggestions.actions.registration import reject
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.models import Suggestion, Topic
from renda.suggestions.tests.answer_builders import answered, assigned

PHONE_ANSWER = "已采纳。联系人王科长，手机13800138000，身份证330302199001011234。"


@pytest.fixture
def published(world: Any) -> Suggestion:
    return answered(world, text=PHONE_ANSWER)


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_public_pages_open_for_everyone_including_anonymous(
    world: Any, client: Any, signed_in: Any, published: Suggestion, username: str | None
) -> None:
    c = client if username is None else signed_in(username)
    assert c.get(reverse("suggestions:public_list")).status_code == 200
    response = c.get(reverse("suggestions:public_detail", args=[published.pk]))
    assert response.status_code == 200


def test_published_answer_is_listed_and_shown_with_phone_and_id_masked(
    client: Any, published: Suggestion, world: Any
) -> None:
    """SUG-PUBLIC: the answer is public; phone and ID numbers in it are masked."""
    html = client.get(reverse("suggestions:public_list")).content.decode()
    assert published.title in html and published.number in html
    html = client.get(reverse("suggestions:public_detail", args=[published.pk])).content.decode()
    assert "138****8000" in html
    assert "13800138000" not in html
    assert "330302********1234" in html
    assert "330302199001011234" not in html
    assert world.edu.name in html
    assert "A · Solved or adopted" in html
    # Sponsors by name only: the deputy's phone (13800138000 in the world) never appears.
    assert world["deputy"].display_name in html
    assert world["deputy"].phone not in html


def test_drafts_submitted_rejected_and_unanswered_are_never_public(
    client: Any, world: Any, published: Suggestion
) -> None:
    """SUG-PUBLIC: only suggestions past answered with public answers are shown."""
    draft = create_draft(world.city, by=world["deputy"], title="草稿不可公开", body="正文")
    sent = submit(
        create_draft(world.city, by=world["deputy"], title="已提交未答复", body="正文"),
        by=world["deputy"],
    )
    refused = reject(
        submit(
            create_draft(world.city, by=world["deputy"], title="不予立案的", body="正文"),
            by=world["deputy"],
        ),
        ground="no_content",
        explanation="没有具体内容",
        by=world["affairs"],
    )
    pending = assigned(world)
    html = client.get(reverse("suggestions:public_list")).content.decode()
    for s in (draft, sent, refused, pending):
        assert client.get(reverse("suggestions:public_detail", args=[s.pk])).status_code == 404
        assert f"/suggestions/public/{s.pk}/" not in html
    assert "草稿不可公开" not in html and "不予立案的" not in html


def test_answer_not_for_publication_is_not_shown(client: Any, world: Any) -> None:
    """SUG-PUBLIC: an answer marked not for publication, with its reason, stays unpublished."""
    s = answered(world, public=False, not_public_reason="涉及个人隐私")
    assert client.get(reverse("suggestions:public_detail", args=[s.pk])).status_code == 404
    assert s.title not in client.get(reverse("suggestions:public_list")).content.decode()


def test_search_by_title_year_unit_and_topic(
    client: Any, world: Any, published: Suggestion
) -> None:
    topic = Topic.objects.create(congress=world.city, name="教育")
    Suggestion.objects.filter(pk=published.pk).update(topic=topic)
    url = reverse("suggestions:public_list")

    def found(**params: Any) -> bool:
        return f"/suggestions/public/{published.pk}/" in client.get(url, params).content.decode()

    assert found(q="公交")
    assert not found(q="电梯")
    assert found(year=published.year)
    assert not found(year=published.year - 1)
    assert found(unit=world.edu.pk)
    assert not found(unit=world.transport.pk)
    assert found(topic=topic.pk)
    assert found(q="公交", year=published.year, unit=world.edu.pk, topic=topic.pk)


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"unit": "999999"},
        {"unit": "x"},
        {"topic": "-1"},
        {"q": "x" * 5000},
        {"q": "a\x00b"},
        {"page": "999"},
        {"page": "x"},
    ],
)
def test_bad_search_input_is_a_clear_answer_not_a_500(
    client: Any, published: Suggestion, params: dict[str, str]
) -> None:
    response = client.get(reverse("suggestions:public_list"), params)
    assert response.status_code == 200


def test_html_in_the_answer_is_escaped_and_still_masked(client: Any, world: Any) -> None:
    s = answered(world, text="<script>alert(1)</script> 电话13912345678")
    html = client.get(reverse("suggestions:public_detail", args=[s.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "139****5678" in html


def test_public_list_is_paginated_with_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    first = answered(world)
    Suggestion.objects.filter(pk=first.pk).update(title="第一条")
    for _i in range(2):
        answered(world)
    from renda.suggestions import views_public

    views_public.PAGE_SIZE, old = 2, views_public.PAGE_SIZE
    try:
        with django_assert_max_num_queries(8):
            page1 = client.get(reverse("suggestions:public_list"), {"q": ""}).content.decode()
        page2 = client.get(
            reverse("suggestions:public_list"), {"q": "", "page": 2}
        ).content.decode()
    finally:
        views_public.PAGE_SIZE = old
    assert "Page 1 of 2" in page1 and "Page 2 of 2" in page2
    assert "q=&amp;page=2" in page1


def test_missing_public_suggestion_is_404(client: Any, world: Any) -> None:
    assert client.get("/suggestions/public/999999/").status_code == 404
