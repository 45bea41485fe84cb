"""The inbox: API and pages, each person sees and marks only their own notifications."""

from __future__ import annotations

import pytest

from conftest import WORLD_USERS
from renda.notifications.actions import notify
from renda.notifications.models import Notification

ALL_USERS = list(WORLD_USERS)


@pytest.fixture
def inboxes(world):
    """Two messages for each person, one of them read."""
    for name in ALL_USERS:
        first, second = (
            notify([world[name]], title=f"{name}-旧消息", email=False)[0],
            notify([world[name]], title=f"{name}-新消息", email=False)[0],
        )
        Notification.objects.filter(pk=first.pk).update(read_at=second.created_at)
    return world


@pytest.mark.parametrize("username", ALL_USERS)
def test_api_inbox_lists_only_own_notifications(api, inboxes, username):
    response = api(username).get("/notifications")
    assert response.status_code == 200
    body = response.json()
    assert body["unread"] == 1
    assert {i["title"] for i in body["items"]} == {f"{username}-旧消息", f"{username}-新消息"}


def test_api_inbox_requires_sign_in(api, world):
    response = api().get("/notifications")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_api_inbox_unread_only_and_limit(api, inboxes):
    body = api("deputy").get("/notifications", unread_only="true", limit=1).json()
    assert [i["title"] for i in body["items"]] == ["deputy-新消息"]
    assert body["items"][0]["read"] is False


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"limit": "ten"}, {"unread_only": "perhaps"}]
)
def test_api_inbox_bad_query_is_422(api, inboxes, params):
    response = api("deputy").get("/notifications", **params)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


@pytest.mark.parametrize("username", ALL_USERS)
def test_api_mark_all_read_touches_only_own(api, inboxes, username):
    response = api(username).post("/notifications/read", {"all": True})
    assert response.status_code == 200
    assert response.json() == {"marked": 1}
    assert Notification.objects.filter(read_at__isnull=True).count() == len(ALL_USERS) - 1


def test_api_mark_read_ignores_other_peoples_ids(api, inboxes, world):
    others = list(
        Notification.objects.filter(recipient=world["deputy2"]).values_list("pk", flat=True)
    )
    response = api("deputy").post("/notifications/read", {"ids": others})
    assert response.json() == {"marked": 0}
    assert Notification.objects.filter(recipient=world["deputy2"], read_at__isnull=True).exists()


def test_api_mark_read_by_id_twice(api, inboxes, world):
    (note,) = Notification.objects.filter(recipient=world["deputy"], read_at__isnull=True)
    assert api("deputy").post("/notifications/read", {"ids": [note.pk]}).json() == {"marked": 1}
    assert api("deputy").post("/notifications/read", {"ids": [note.pk]}).json() == {"marked": 0}


@pytest.mark.parametrize(
    "raw",
    [
        '{"ids": "all"}',
        '{"ids": [0]}',
        '{"ids": [-5]}',
        '{"ids": ["x"]}',
        '{"ids": [99999999999999999999999]}',
        '{"ids": [' + ",".join(["1"] * 1001) + "]}",
        "{not json",
        "[]",
        "[1]",
        "{}",
        '{"ids": []}',
        '{"ids": null}',
        '{"all": false}',
        '{"all": "yes please"}',
        '{"ids": [1], "all": true}',
    ],
)
def test_api_mark_read_bad_input_is_422(api, inboxes, raw):
    response = api("deputy").post("/notifications/read", raw=raw)
    assert response.status_code in (400, 422), response.content
    assert response.json()["error"] and response.json()["detail"]
    assert Notification.objects.filter(read_at__isnull=True).count() == len(ALL_USERS)


def test_api_mark_read_requires_sign_in(api, world):
    assert api().post("/notifications/read", {"all": True}).status_code == 401


@pytest.mark.parametrize("username", ALL_USERS)
def test_inbox_page_shows_own_messages_and_the_unread_count(signed_in, inboxes, username):
    response = signed_in(username).get("/notifications/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{username}-新消息" in body
    other = "deputy" if username != "deputy" else "affairs"
    assert f"{other}-新消息" not in body
    assert 'data-testid="unread-count">1<' in body


def test_inbox_page_requires_sign_in(client, world):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inbox_page_says_what_will_appear_when_empty(signed_in, world):
    assert "will appear here" in signed_in("nobody").get("/notifications/").content.decode()


def test_inbox_page_survives_a_bad_page_number(signed_in, inboxes):
    assert signed_in("deputy").get("/notifications/?page=abc").status_code == 200
    assert signed_in("deputy").get("/notifications/?page=99999999999999").status_code == 200


@pytest.mark.parametrize("username", ALL_USERS)
def test_mark_all_read_page_action_touches_only_own(signed_in, inboxes, username):
    response = signed_in(username).post("/notifications/read/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient__username=username, read_at__isnull=True)
    assert Notification.objects.filter(read_at__isnull=True).count() == len(ALL_USERS) - 1
    page = signed_in(username).get("/notifications/").content.decode()
    assert 'data-testid="unread-count"' not in page


def test_mark_all_read_is_post_only(signed_in, inboxes):
    assert signed_in("deputy").get("/notifications/read/").status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == len(ALL_USERS)


def test_mark_all_read_requires_sign_in(client, inboxes):
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == len(ALL_USERS)
