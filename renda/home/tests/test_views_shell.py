"""The shell: health check, bare view, home page per role, JSON errors under /api/."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_bare_view_is_plain(client):
    assert client.get("/bare").content == b"ok"


def test_home_requires_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "username, panel",
    [
        ("admin", "admin"),
        ("affairs", "affairs"),
        ("deputy", "deputy"),
        ("edu_clerk", "unit"),
        ("edu_head", "unit"),
        ("station", "station"),
        ("sc_member", "sc"),
        ("committee", "supervision"),
    ],
)
def test_home_shows_each_roles_queue(signed_in, username, panel):
    response = signed_in(username).get("/")
    assert response.status_code == 200
    assert f'data-panel="{panel}"'.encode() in response.content
    assert b'data-panel="inbox"' in response.content


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_admin_home_links_to_accounts_still_on_their_initial_password(signed_in, world):
    world["deputy2"].must_change_password = True
    world["deputy2"].save()
    response = signed_in("admin").get("/")
    assert response.status_code == 200
    assert b"/accounts/admin/users/?pending=on" in response.content
    listing = signed_in("admin").get("/accounts/admin/users/?pending=on")
    assert b"deputy2" in listing.content
    assert b">deputy<" not in listing.content
