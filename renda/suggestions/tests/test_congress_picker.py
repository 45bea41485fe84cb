"""A deputy of several congresses (e.g. a city and a county deputy, DOMAIN.md §1) chooses the
congress on the write form; the first is the default. (The API's `congress` field: see
test_api_submission.py: test_a_deputy_of_two_congresses_names_one.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from renda.accounts.models import RoleAssignment
from renda.suggestions.models import Suggestion, Topic


@pytest.fixture
def two_congresses(world):
    """`deputy` sits in the city congress and in the county congress below it."""
    RoleAssignment.objects.create(user=world["deputy"], role="deputy", congress=world.county)
    Topic.objects.create(congress=world.city, name="城市交通")
    Topic.objects.create(congress=world.county, name="乡村道路")
    return world


def test_a_deputy_of_two_congresses_gets_a_picker_defaulting_to_the_first(
    signed_in, two_congresses
):
    world = two_congresses
    page = signed_in("deputy").get(reverse("suggestions:new")).content.decode()
    assert 'data-testid="congress-picker"' in page
    assert world.city.name in page and world.county.name in page
    assert f'name="congress" value="{world.city.pk}"' in page  # the form writes to the city
    assert "城市交通" in page and "乡村道路" not in page


def test_choosing_the_county_gives_its_topics_and_creates_the_draft_there(
    signed_in, two_congresses
):
    world = two_congresses
    client = signed_in("deputy")
    page = client.get(reverse("suggestions:new"), {"congress": world.county.pk}).content.decode()
    assert f'name="congress" value="{world.county.pk}"' in page
    assert "乡村道路" in page and "城市交通" not in page
    topic = Topic.objects.get(name="乡村道路")
    response = client.post(
        reverse("suggestions:new"),
        {
            "congress": world.county.pk,
            "kind": "suggestion",
            "title": "关于修缮村道的建议",
            "topic": topic.pk,
            "save": "1",
        },
    )
    assert response.status_code == 302
    s = Suggestion.objects.get(title="关于修缮村道的建议")
    assert s.congress == world.county and s.topic == topic


def test_autosave_creates_the_draft_in_the_chosen_congress(signed_in, two_congresses):
    world = two_congresses
    response = signed_in("deputy").post(
        reverse("suggestions:autosave"), {"congress": world.county.pk, "title": "县级建议草稿"}
    )
    assert response.status_code == 200
    assert Suggestion.objects.get(title="县级建议草稿").congress == world.county


def test_a_congress_the_deputy_is_not_in_is_never_used(signed_in, world):
    """Only the deputy's own congresses: another one falls back to their first (no picker)."""
    client = signed_in("deputy")
    page = client.get(reverse("suggestions:new"), {"congress": world.county.pk}).content.decode()
    assert 'data-testid="congress-picker"' not in page
    assert f'name="congress" value="{world.city.pk}"' in page
    client.post(
        reverse("suggestions:new"),
        {"congress": world.county.pk, "kind": "suggestion", "title": "越权建议", "save": "1"},
    )
    assert Suggestion.objects.get(title="越权建议").congress == world.city


def test_the_picker_is_not_on_a_saved_draft(signed_in, two_congresses):
    world = two_congresses
    client = signed_in("deputy")
    client.post(
        reverse("suggestions:new"),
        {"congress": world.county.pk, "kind": "suggestion", "title": "草稿一", "save": "1"},
    )
    s = Suggestion.objects.get(title="草稿一")
    page = client.get(reverse("suggestions:edit", args=[s.pk])).content.decode()
    assert 'data-testid="congress-picker"' not in page
    assert f'name="congress" value="{world.county.pk}"' in page
