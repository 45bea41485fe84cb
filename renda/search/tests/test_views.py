"""Search screens (issue 7 points 5–6): the search page and its live results, the list pages'
search boxes, the similar-suggestions panel — each for who may see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import WORLD_USERS

from .builders import answered, registered, submitted

pytestmark = pytest.mark.django_db


def test_search_page_shows_highlighted_escaped_hits(world: Any, signed_in: Any) -> None:
    s = registered(world, "关于<b>养老</b>服务的建议", "社区养老床位不足。")
    page = signed_in("affairs").get("/search/", {"q": "養老"})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-id="{s.pk}"' in html
    assert "&lt;b&gt;<mark>养老</mark>&lt;/b&gt;" in html
    assert "<b>养老</b>" not in html


def test_htmx_gets_only_the_results(world: Any, signed_in: Any) -> None:
    registered(world, "关于养老服务的建议")
    response = signed_in("affairs").get("/search/", {"q": "养老"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="search-results"' in html and "<html" not in html


def test_the_quick_results_link_to_all_results(world: Any, signed_in: Any) -> None:
    for i in range(10):
        registered(world, f"关于第{i}个养老驿站的建议")
    html = signed_in("affairs").get("/search/quick/", {"q": "养老", "kind": "suggestion"}).content
    html = html.decode()
    assert html.count('data-testid="search-hit"') == 8
    assert "/search/?q=%E5%85%BB%E8%80%81&amp;kind=suggestion" in html


@pytest.mark.parametrize("params", [{"kind": "x"}, {"year": "abc"}, {"state": "x"}, {"page": "0"}])
def test_bad_filters_are_shown_not_a_500(world: Any, signed_in: Any, params: Any) -> None:
    response = signed_in("affairs").get("/search/", {"q": "养老", **params})
    assert response.status_code == 200


def test_the_public_finds_published_answers_on_the_search_page(world: Any) -> None:
    s = answered(world, "关于校车安全的建议", "已为校车加装定位设备。")
    html = Client().get("/search/", {"q": "校车"}).content.decode()
    assert f"/suggestions/public/{s.pk}/" in html and f'href="/suggestions/{s.pk}/"' not in html


@pytest.mark.parametrize(
    "path,user",
    [
        ("/suggestions/mine/", "deputy"),
        ("/suggestions/office/", "affairs"),
        ("/suggestions/unit/", "edu_clerk"),
        ("/opinions/handling/", "station"),
    ],
)
def test_list_pages_have_a_live_search_box(
    world: Any, signed_in: Any, path: str, user: Any
) -> None:
    client = signed_in(user) if user else Client()
    html = client.get(path).content.decode()
    assert 'data-testid="list-search"' in html
    assert 'hx-get="/search/quick/"' in html and "delay:300ms" in html
    assert 'action="/search/"' in html  # without JavaScript: a plain GET to the search page


def test_the_public_answers_page_has_one_box_that_does_both(world: Any) -> None:
    """One box (not the live box and the list's filter box): as-you-type results from the
    answers' words (htmx), and without JavaScript a plain GET that filters the list."""
    s = answered(world, "关于校车安全的建议", "已为校车加装定位设备。")
    html = Client().get("/suggestions/public/").content.decode()
    assert html.count('name="q"') == 1
    assert 'hx-get="/search/quick/?kind=answer"' in html and "delay:300ms" in html
    found = Client().get("/suggestions/public/", {"q": "校车"}).content.decode()
    assert f"/suggestions/public/{s.pk}/" in found
    missing = Client().get("/suggestions/public/", {"q": "医保"}).content.decode()
    assert f"/suggestions/public/{s.pk}/" not in missing


SIMILAR_PAGE = {"deputy", "deputy2", "sc_member", "affairs", "county_affairs", "admin"}


@pytest.mark.parametrize("user", WORLD_USERS)
def test_similar_panel_matrix(world: Any, signed_in: Any, user: str) -> None:
    s = submitted(world, "关于老城区停车难的建议", "停车位严重不足。")
    params = {"title": "关于解决老城区停车难问题的建议", "congress": world.city.pk}
    response = signed_in(user).get("/search/similar/", params, headers={"HX-Request": "true"})
    if user not in SIMILAR_PAGE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = f'data-id="{s.pk}"' in response.content.decode()
    # Only who may see the submitted suggestion: its lead deputy, the office, the administrator.
    assert shown == (user in {"deputy", "affairs", "admin"})


def test_the_office_register_page_loads_the_similar_panel(world: Any, signed_in: Any) -> None:
    first = registered(world, "关于老城区停车难的建议", "停车位严重不足。")
    second = submitted(world, "关于缓解老城区停车难的建议", "停车位不足。", deputy="deputy2")
    office = signed_in("affairs")
    detail = office.get(f"/suggestions/{second.pk}/").content.decode()
    assert f"/search/similar/?suggestion={second.pk}" in detail
    panel = office.get(f"/search/similar/?suggestion={second.pk}").content.decode()
    assert f'data-id="{first.pk}"' in panel and f'data-id="{second.pk}"' not in panel


def test_the_anonymous_public_gets_no_similar_panel(world: Any) -> None:
    assert Client().get("/search/similar/", {"title": "停车"}).status_code == 404
