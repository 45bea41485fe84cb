"""Deputy pages and the shared suggestion detail page: permission matrix, forms, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import WORLD_USERS
from renda.suggestions.tests.answer_builders import answered

# Who sees an answered suggestion of `deputy`, assigned to the education bureau.
DETAIL_VISIBLE = {
    "admin",
    "affairs",
    "deputy",
    "edu_clerk",
    "edu_head",
    "committee",
    "supervisor",
    "leader",
}


@pytest.mark.parametrize("username", WORLD_USERS)
def test_detail_page_shows_only_to_those_who_may_see_the_suggestion(
    world: Any, signed_in: Any, username: str
) -> None:
    s = answered(world)
    response = signed_in(username).get(reverse("suggestions:detail", args=[s.pk]))
    if username in DETAIL_VISIBLE:
        assert response.status_code == 200
        assert s.title in response.content.decode()
        assert s.number in response.content.decode()
    else:
        assert response.status_code == 404


def test_detail_page_needs_sign_in(world: Any, client: Any) -> None:
    s = answered(world)
    response = client.get(reverse("suggestions:detail", args=[s.pk]))
    assert response.status_code == 302


def test_detail_page_of_a_missing_suggestion_is_404(world: Any, signed_in: Any) -> None:
    assert signed_in("affairs").get("/suggestions/999999/").status_code == 404
    assert signed_in("affairs").get("/suggestions/99999999999999999999/").status_code == 404


def test_detail_page_shows_units_due_dates_answer_and_history(world: Any, signed_in: Any) -> None:
    s = answered(world)
    html = signed_in("deputy").get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert world.edu.name in html
    assert "已采纳您的建议" in html
    assert "History" in html
    assert 'data-testid="assignments"' in html
