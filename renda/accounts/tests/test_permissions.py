"""Who may reach which accounts endpoint: every endpoint (HTML and API) x every role."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import WORLD_USERS
from renda.accounts.models import RoleAssignment, SecurityPolicy, User
from renda.accounts.permissions import (
    can_manage_accounts,
    is_admin,
    mask_phone,
    visible_phone,
)
from renda.audit.models import AuditEvent

from .conftest import PASSWORD

USERNAMES = list(WORLD_USERS)
GOOD = "Quiet-river-2026!"


# --- Pure predicates -------------------------------------------------------------------------


@pytest.mark.parametrize("username", USERNAMES)
def test_only_administrators_manage_accounts(world, username):
    assert can_manage_accounts(world[username]) is (username == "admin")
    assert is_admin(world[username]) is (username == "admin")


def test_a_superuser_manages_accounts_without_the_role(db):
    assert can_manage_accounts(User(username="root", is_superuser=True))


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "+86*******8000"),
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_phone_keeps_only_the_ends(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("username", USERNAMES)
def test_a_phone_is_whole_only_for_administrators_and_the_person(world, username):
    deputy = world["deputy"]
    shown = visible_phone(world[username], deputy)
    if username in {"admin", "deputy"}:
        assert shown == "13800138000"
    else:
        assert shown == "138****8000"


# --- Every signed-in role: their own account pages and the API -------------------------------


@pytest.mark.parametrize("username", USERNAMES)
def test_own_account_pages_open_for_every_role(signed_in, username):
    client = signed_in(username)
    assert client.get("/accounts/login/").status_code == 302  # already signed in
    assert client.get("/accounts/password/").status_code == 200
    assert client.get("/accounts/2fa/verify/").status_code == 302  # nothing owed
    assert client.get("/accounts/2fa/setup/qr.svg").status_code == 404  # nothing being set up
    assert client.get("/accounts/2fa/setup/").status_code == 200
    assert client.get("/accounts/2fa/setup/qr.svg").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/password/").status_code == 302  # signed out now


@pytest.mark.parametrize("username", USERNAMES)
def test_every_role_gets_a_token_and_reads_only_itself(world, username):
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == username
    expected = set(
        RoleAssignment.objects.filter(user=world[username]).values_list("role", flat=True)
    )
    assert {r["role"] for r in body["roles"]} == expected


# --- Account administration: administrators only, 404 for everyone else ----------------------


def admin_pages(world) -> list[str]:
    deputy = world["deputy"]
    return [
        "/accounts/admin/users/",
        "/accounts/admin/users/?q=dep&role=deputy",
        "/accounts/admin/users/new/",
        f"/accounts/admin/users/{deputy.pk}/",
        "/accounts/admin/security/",
    ]


@pytest.mark.parametrize("username", USERNAMES)
def test_admin_pages_are_for_administrators_and_404_for_everyone_else(world, signed_in, username):
    client = signed_in(username)
    for path in admin_pages(world):
        expected = 200 if username == "admin" else 404
        assert client.get(path).status_code == expected, path


@pytest.mark.parametrize("username", USERNAMES)
def test_admin_pages_for_a_missing_user_are_404_for_everyone(world, signed_in, username):
    client = signed_in(username)
    assert client.get("/accounts/admin/users/999999/").status_code == 404
    assert client.post("/accounts/admin/users/999999/unlock/").status_code == 404


def admin_posts(world) -> list[tuple[str, dict]]:
    target = world["deputy2"]
    ra = RoleAssignment.objects.get(user=target)
    return [
        (
            "/accounts/admin/users/new/",
            {
                "username": "made_here",
                "full_name": "Made",
                "password": GOOD,
                "password_again": GOOD,
            },
        ),
        (
            f"/accounts/admin/users/{target.pk}/password/",
            {"password": GOOD, "password_again": GOOD},
        ),
        (
            f"/accounts/admin/users/{target.pk}/roles/",
            {"role": "deputy", "congress": world.county.pk},
        ),
        (f"/accounts/admin/users/{target.pk}/roles/{ra.pk}/remove/", {}),
        (f"/accounts/admin/users/{target.pk}/2fa/reset/", {}),
        (f"/accounts/admin/users/{target.pk}/unlock/", {}),
        ("/accounts/admin/security/", {"role_deputy": "on"}),
    ]


@pytest.mark.parametrize("username", USERNAMES)
def test_admin_changes_are_for_administrators_and_404_for_everyone_else(world, signed_in, username):
    client = signed_in(username)
    before = AuditEvent.objects.count()
    for path, data in admin_posts(world):
        response = client.post(path, data)
        assert response.status_code == (302 if username == "admin" else 404), path
    changed = AuditEvent.objects.count() - before
    target = world["deputy2"]
    target.refresh_from_db()
    if username == "admin":
        # created, password reset, role assigned, role removed, 2FA reset, unlocked, policy set
        assert changed == 7
        assert User.objects.filter(username="made_here").exists()
        assert target.must_change_password
        assert SecurityPolicy.objects.get(role="deputy").require_two_factor
    else:
        assert changed == 0
        assert not User.objects.filter(username="made_here").exists()
        assert target.check_password(PASSWORD) and not target.must_change_password
        assert RoleAssignment.objects.filter(
            user=target, role="deputy", congress=world.city
        ).exists()
        assert not SecurityPolicy.objects.exists()


@pytest.mark.parametrize("username", USERNAMES)
def test_admin_action_urls_refuse_get(world, signed_in, username):
    client = signed_in(username)
    target = world["deputy2"]
    for path in [
        f"/accounts/admin/users/{target.pk}/password/",
        f"/accounts/admin/users/{target.pk}/unlock/",
        f"/accounts/admin/users/{target.pk}/2fa/reset/",
    ]:
        assert client.get(path).status_code in {404, 405}


# --- Anonymous visitors -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(world):
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    paths = [
        "/accounts/password/",
        "/accounts/2fa/setup/",
        "/accounts/2fa/setup/qr.svg",
        "/accounts/2fa/verify/",
        *admin_pages(world),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path
    for path, data in admin_posts(world):
        assert client.post(path, data).status_code == 302
    assert not User.objects.filter(username="made_here").exists()
    assert client.get("/api/v1/me").status_code == 401
