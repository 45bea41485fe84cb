"""The accounts API contract: token, me, and the JSON error format for every kind of bad input."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from renda.accounts import actions
from renda.accounts.models import ApiToken

from .conftest import PASSWORD, enable_two_factor, next_code, wrong_code

GOOD = "Quiet-river-2026!"


def post_token(body=None, raw: str | None = None, client: Client | None = None, **extra):
    data = raw if raw is not None else json.dumps(body)
    return (client or Client()).post(
        "/api/v1/auth/token", data, content_type="application/json", **extra
    )


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"error", "detail"}
    assert isinstance(body["detail"], str) and body["detail"]
    if code:
        assert body["error"] == code
    return body


# --- POST /api/v1/auth/token ---------------------------------------------------------------


def test_token_then_bearer_then_me(world):
    response = post_token({"username": "edu_clerk", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires"}
    expires = parse_datetime(body["expires"])
    assert timezone.now() + timedelta(hours=11) < expires < timezone.now() + timedelta(hours=13)
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    data = me.json()
    assert data["username"] == "edu_clerk"
    assert data["roles"] == [
        {
            "role": "unit_clerk",
            "label": data["roles"][0]["label"],
            "congress": {"id": world.city.pk, "name": world.city.name},
            "unit": {"id": world.edu.pk, "name": world.edu.name},
        }
    ]
    assert data["must_change_password"] is False and data["two_factor"] is False


def test_me_lists_every_role_of_a_person_with_several(api):
    roles = {r["role"] for r in api("sc_member").get("/me").json()["roles"]}
    assert roles == {"sc_member", "deputy"}


def test_wrong_password_is_401(world):
    body = assert_error(post_token({"username": "deputy", "password": "nope-nope"}), 401)
    assert body["error"] == "invalid_credentials"
    assert_error(post_token({"username": "ghost", "password": PASSWORD}), 401)


def test_inactive_account_gets_no_token(world):
    world["deputy"].is_active = False
    world["deputy"].save(update_fields=["is_active"])
    assert_error(post_token({"username": "deputy", "password": PASSWORD}), 401)


@pytest.mark.parametrize(
    "raw, status",
    [
        ("{bad json", 400),
        ("{'single': 'quotes'}", 400),
        ("", 422),
        ("null", 422),
        ("[]", 422),
        ('"a string"', 422),
        ("42", 422),
        ('{"username": 5, "password": 6}', 422),
        ('{"username": ["deputy"], "password": {"a": 1}}', 422),
        ('{"username": null, "password": null}', 422),
        ('{"username": "", "password": ""}', 422),
        ('{"username": "deputy"}', 422),
        ('{"password": "x"}', 422),
        ('{"username": "deputy", "password": "x", "otp": 123456789012345}', 422),
    ],
)
def test_bad_bodies_get_a_json_error_not_a_500(world, raw, status):
    body = assert_error(post_token(raw=raw), status)
    if status == 400:
        assert body["error"] == "malformed_json"


def test_huge_strings_are_refused_with_422(world):
    assert_error(post_token({"username": "x" * 151, "password": PASSWORD}), 422)
    assert_error(post_token({"username": "deputy", "password": "y" * 5000}), 422)
    assert_error(post_token({"username": "deputy", "password": PASSWORD, "otp": "1" * 13}), 422)


def test_a_body_too_large_is_a_json_400(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    raw = json.dumps({"username": "x" * 20_000, "password": "y"})
    assert_error(post_token(raw=raw), 400, "too_large")


def test_form_encoded_body_is_a_json_400(world):
    response = Client().post("/api/v1/auth/token", {"username": "deputy", "password": PASSWORD})
    assert_error(response, 400)


def test_the_token_endpoint_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = post_token({"username": "deputy", "password": PASSWORD}, client=client)
    assert response.status_code == 200


def test_a_user_who_must_change_the_password_gets_403_with_a_clear_reason(world):
    actions.set_initial_password(world["deputy"], password=GOOD, by=world["admin"])
    body = assert_error(post_token({"username": "deputy", "password": GOOD}), 403)
    assert body["error"] == "password_change_required"
    assert not ApiToken.objects.filter(user=world["deputy"]).exists()


def test_a_role_requiring_two_factor_without_a_device_gets_403(world, policy):
    policy("unit_clerk")
    body = assert_error(post_token({"username": "edu_clerk", "password": PASSWORD}), 403)
    assert body["error"] == "two_factor_setup_required"


def test_with_a_device_the_token_needs_the_otp_code(world):
    device = enable_two_factor(world["deputy"])
    creds = {"username": "deputy", "password": PASSWORD}
    assert_error(post_token(creds), 401, "otp_required")
    assert_error(post_token({**creds, "otp": wrong_code(device)}), 401, "otp_invalid")
    device.throttle_reset()
    assert_error(post_token({**creds, "otp": "not-digits"}), 401, "otp_invalid")
    device.throttle_reset()
    response = post_token({**creds, "otp": next_code(device)})
    assert response.status_code == 200 and response.json()["token"]
    assert (
        Client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {response.json()['token']}"})
        .json()["two_factor"]
        is True
    )


def test_a_wrong_otp_throttles_even_through_the_api(world, settings):
    """The wrong code's throttle count survives the refused request (no rollback)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the real throttle, slow enough for a loaded machine
    device = enable_two_factor(world["deputy"])
    creds = {"username": "deputy", "password": PASSWORD}
    assert_error(post_token({**creds, "otp": wrong_code(device)}), 401, "otp_invalid")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert_error(post_token({**creds, "otp": next_code(device)}), 401, "otp_invalid")


# --- Bearer tokens -------------------------------------------------------------------------


def test_no_token_is_401(world):
    assert_error(Client().get("/api/v1/me"), 401, "unauthorized")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer unknown-token",
        "Bearer ",
        "Bearer " + "x" * 5000,
        "Basic ZGVwdXR5OnBhc3M=",
        "bearer",
        "Token abc",
    ],
)
def test_unknown_or_malformed_tokens_are_401(world, header):
    response = Client().get("/api/v1/me", headers={"Authorization": header})
    assert_error(response, 401)


def test_an_expired_token_is_401(world):
    token, row = actions.issue_api_token(world["deputy"])
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401)


def test_a_token_ends_when_an_administrator_resets_the_password(world, api):
    client = api("deputy")
    assert client.get("/me").status_code == 200
    actions.set_initial_password(world["deputy"], password=GOOD, by=world["admin"])
    assert_error(client.get("/me"), 401)


def test_a_session_owing_a_step_cannot_use_the_api(world):
    actions.set_initial_password(world["deputy"], password=GOOD, by=world["admin"])
    client = Client()
    client.post("/accounts/login/", {"username": "deputy", "password": GOOD})
    assert_error(client.get("/api/v1/me"), 401)


def test_a_signed_in_session_may_read_me(signed_in):
    assert signed_in("deputy").get("/api/v1/me").json()["username"] == "deputy"


def test_unknown_paths_and_methods_under_the_api(world, api):
    assert_error(api("deputy").get("/no-such-endpoint"), 404)
    response = api("deputy").client.put("/api/v1/me")
    assert response.status_code == 405


# --- OpenAPI and the docs page -------------------------------------------------------------


def test_openapi_lists_the_accounts_endpoints(world):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert "/api/v1/auth/token" in spec["paths"] and "/api/v1/me" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_docs_page_loads_with_local_assets_only(world):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the docs page references its scripts and styles"
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by us"
        assert finders.find(url.removeprefix("/static/")), f"{url} is missing"
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html), (
        "the docs page has an inline script the CSP would block"
    )
