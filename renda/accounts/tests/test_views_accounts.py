"""Sign-in, forced password change, two-factor set-up and sign-in, and the account admin pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from renda.accounts import actions
from renda.accounts.models import RoleAssignment, SecurityPolicy, User
from renda.accounts.two_factor import has_two_factor_device
from renda.audit.models import AuditEvent

from .conftest import PASSWORD, enable_two_factor, next_code, sign_in, wrong_code

GOOD = "Quiet-river-2026!"
NEW = "Bright-morning-2027?"


def location(response) -> str:
    return response["Location"]


# --- Sign-in and sign-out ------------------------------------------------------------------


def test_sign_in_with_the_form_lands_on_the_home_page(world):
    client = Client()
    response = sign_in(client, "deputy")
    assert response.status_code == 302 and location(response) == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="account.signed_in").count() == 1


def test_wrong_password_shows_the_form_again_with_an_error(world):
    response = sign_in(Client(), "deputy", "not-the-password")
    assert response.status_code == 200
    assert b"alert" in response.content and b'name="username"' in response.content


def test_sign_out_is_a_post_and_ends_the_session(signed_in):
    client = signed_in("deputy")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_refuses_an_outside_next(world):
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "deputy", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in location(response)


# --- Forced password change ----------------------------------------------------------------


@pytest.fixture
def reset_user(world):
    """edu_clerk, whose password an administrator has just reset to GOOD."""
    actions.set_initial_password(world["edu_clerk"], password=GOOD, by=world["admin"])
    return world["edu_clerk"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/notifications/",
        "/orgs/",
        "/calendar/",
        "/accounts/2fa/setup/",
        "/accounts/admin/users/",
    ],
)
def test_an_initial_password_sends_every_page_to_the_password_change(reset_user, path):
    client = Client()
    assert sign_in(client, "edu_clerk", GOOD).status_code == 302
    response = client.get(path)
    assert response.status_code == 302
    assert location(response).startswith("/accounts/password/")


def test_after_changing_the_initial_password_pages_open(reset_user):
    client = Client()
    sign_in(client, "edu_clerk", GOOD)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert b'data-testid="forced-change"' in page.content
    response = client.post(
        "/accounts/password/?next=/notifications/",
        {"old_password": GOOD, "new_password": NEW, "new_password_again": NEW},
    )
    assert response.status_code == 302 and location(response) == "/notifications/"
    assert client.get("/").status_code == 200
    reset_user.refresh_from_db()
    assert not reset_user.must_change_password


def test_password_change_form_shows_clear_errors(reset_user):
    client = Client()
    sign_in(client, "edu_clerk", GOOD)
    cases = [
        {"old_password": "wrong-one-123", "new_password": NEW, "new_password_again": NEW},
        {"old_password": GOOD, "new_password": NEW, "new_password_again": NEW + "x"},
        {"old_password": GOOD, "new_password": "1234567890", "new_password_again": "1234567890"},
        {"old_password": GOOD, "new_password": "", "new_password_again": ""},
        {"old_password": GOOD, "new_password": "y" * 5000, "new_password_again": "y" * 5000},
    ]
    for data in cases:
        response = client.post("/accounts/password/", data)
        assert response.status_code == 200, data
        assert b"invalid-feedback" in response.content or b"alert-danger" in response.content
    reset_user.refresh_from_db()
    assert reset_user.must_change_password


# --- Two-factor: set-up when the role requires it ------------------------------------------


def test_a_role_requiring_two_factor_sends_a_person_without_device_to_setup(world, policy):
    policy("unit_head")
    client = Client()
    sign_in(client, "edu_head")
    response = client.get("/")
    assert response.status_code == 302
    assert location(response).startswith("/accounts/2fa/setup/")
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200
    secret = re.search(rb'data-testid="otp-secret">([A-Z2-7 ]+)<', page.content)
    assert secret, "the secret is shown for manual entry"
    qr = client.get("/accounts/2fa/setup/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<svg")
    assert b'xmlns="http://www.w3.org/2000/svg"' in qr.content, "loadable as an <img>"
    assert "no-store" in qr["Cache-Control"]


def test_setup_with_a_real_code_turns_two_factor_on_and_opens_the_pages(world, policy):
    policy("unit_head")
    client = Client()
    sign_in(client, "edu_head")
    client.get("/accounts/2fa/setup/")
    device = world["edu_head"].totpdevice_set.get(confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"token": wrong_code(device)})
    assert response.status_code == 200 and b"invalid-feedback" in response.content
    device.throttle_reset()  # the wrong code above throttled the device for a second
    response = client.post("/accounts/2fa/setup/", {"token": next_code(device)})
    assert response.status_code == 302
    assert has_two_factor_device(world["edu_head"])
    assert client.get("/").status_code == 200


def test_the_secret_in_the_qr_code_is_the_devices_own(world, policy):
    policy("unit_head")
    client = Client()
    sign_in(client, "edu_head")
    page = client.get("/accounts/2fa/setup/").content.decode()
    shown = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    import base64

    device = world["edu_head"].totpdevice_set.get(confirmed=False)
    assert base64.b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key


# --- Two-factor: sign-in with a device -----------------------------------------------------


@pytest.fixture
def with_device(world):
    return enable_two_factor(world["deputy"])


def test_with_a_device_sign_in_asks_for_the_code(with_device):
    client = Client()
    sign_in(client, "deputy")
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert location(response) == "/accounts/2fa/verify/?next=%2Fnotifications%2F"
    response = client.post(
        "/accounts/2fa/verify/?next=/notifications/", {"token": next_code(with_device)}
    )
    assert response.status_code == 302 and location(response) == "/notifications/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="account.signed_in", data__second_factor=True).exists()


def test_a_wrong_code_is_refused(with_device):
    client = Client()
    sign_in(client, "deputy")
    for bad in [wrong_code(with_device), "12", "abcdef", ""]:
        response = client.post("/accounts/2fa/verify/", {"token": bad})
        assert response.status_code == 200
        assert b"invalid-feedback" in response.content
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/path", "http:///evil.example", "javascript:alert(1)"],
)
def test_otp_verify_never_redirects_off_site(with_device, target):
    client = Client()
    sign_in(client, "deputy")
    response = client.post(
        "/accounts/2fa/verify/", {"token": next_code(with_device)}, QUERY_STRING=f"next={target}"
    )
    assert response.status_code == 302
    assert location(response) == "/"


def test_a_session_owing_the_code_cannot_enrol_a_new_device_or_change_the_password(with_device):
    """The password alone must not be enough: set-up and password change wait for the code."""
    client = Client()
    sign_in(client, "deputy")
    for path in ["/accounts/2fa/setup/", "/accounts/2fa/setup/qr.svg", "/accounts/password/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert location(response).startswith("/accounts/2fa/verify/")
    response = client.post("/accounts/2fa/setup/", {"token": "123456"})
    assert location(response).startswith("/accounts/2fa/verify/")
    assert world_devices(with_device.user) == 1


def world_devices(user) -> int:
    return user.totpdevice_set.count()


def test_a_reset_password_of_a_two_factor_user_asks_the_code_first(world, with_device):
    actions.set_initial_password(world["deputy"], password=GOOD, by=world["admin"])
    client = Client()
    sign_in(client, "deputy", GOOD)
    assert location(client.get("/")).startswith("/accounts/2fa/verify/")
    client.post("/accounts/2fa/verify/", {"token": next_code(with_device)})
    assert location(client.get("/")).startswith("/accounts/password/")


def test_a_policy_turned_on_reaches_open_sessions_after_the_recheck(world, policy, monkeypatch):
    from renda.accounts import gate

    client = Client()
    sign_in(client, "deputy")
    assert client.get("/").status_code == 200
    policy("deputy")
    monkeypatch.setattr(gate, "RECHECK_SECONDS", 0)
    assert location(client.get("/")).startswith("/accounts/2fa/setup/")


def test_otp_pages_without_anything_owed_go_home(signed_in):
    client = signed_in("deputy")
    assert location(client.get("/accounts/2fa/verify/")) == "/"
    assert client.get("/accounts/2fa/setup/qr.svg").status_code == 404  # nothing being set up
    assert client.get("/accounts/2fa/setup/").status_code == 200  # voluntary set-up is allowed


# --- Account administration ------------------------------------------------------------------


@pytest.fixture
def admin_client(signed_in):
    return signed_in("admin")


def test_user_list_searches_filters_and_paginates(world, admin_client):
    for i in range(60):
        User.objects.create(username=f"bulk{i:02}", full_name=f"批量 {i}")
    page = admin_client.get("/accounts/admin/users/").content.decode()
    assert "admin" in page and "bulk" in page
    assert "?page=2" in page
    found = admin_client.get("/accounts/admin/users/", {"q": "bulk07"}).content.decode()
    assert "bulk07" in found and "bulk08" not in found
    units = admin_client.get("/accounts/admin/users/", {"role": "unit_clerk"}).content.decode()
    assert "edu_clerk" in units and "transport_clerk" in units and ">deputy<" not in units
    page2 = admin_client.get("/accounts/admin/users/", {"q": "bulk", "page": 2}).content.decode()
    assert "q=bulk" in page2, "pagination links keep the search"


def test_user_list_survives_bad_filters(world, admin_client):
    for params in [{"role": "emperor"}, {"q": "x" * 500}, {"page": "abc"}, {"page": "-1"}]:
        assert admin_client.get("/accounts/admin/users/", params).status_code == 200


def test_phone_numbers_are_whole_for_admins_and_masked_for_others(world, admin_client):
    page = admin_client.get("/accounts/admin/users/").content.decode()
    assert "13800138000" in page
    from renda.accounts.permissions import visible_phone

    assert visible_phone(world["affairs"], world["deputy"]) == "138****8000"


def test_admin_creates_a_user_who_must_change_the_password(world, admin_client):
    data = {
        "username": "new_deputy",
        "full_name": "新代表",
        "email": "",
        "phone": "13900001111",
        "password": GOOD,
        "password_again": GOOD,
    }
    response = admin_client.post("/accounts/admin/users/new/", data)
    user = User.objects.get(username="new_deputy")
    assert response.status_code == 302 and location(response) == f"/accounts/admin/users/{user.pk}/"
    assert user.must_change_password
    client = Client()
    sign_in(client, "new_deputy", GOOD)
    assert location(client.get("/")).startswith("/accounts/password/")


@pytest.mark.parametrize(
    "change",
    [
        {"username": ""},
        {"username": "deputy"},
        {"username": "a b"},
        {"password_again": "different-1234"},
        {"password": "short", "password_again": "short"},
        {"email": "nope"},
        {"username": "x" * 300},
    ],
)
def test_create_user_form_shows_clear_errors(world, admin_client, change):
    data = {"username": "ok_name", "full_name": "好", "password": GOOD, "password_again": GOOD}
    data.update(change)
    response = admin_client.post("/accounts/admin/users/new/", data)
    assert response.status_code == 200
    assert b"invalid-feedback" in response.content or b"alert-danger" in response.content
    assert not User.objects.filter(username="ok_name").exists()


def test_admin_resets_a_password(world, admin_client):
    deputy = world["deputy"]
    url = f"/accounts/admin/users/{deputy.pk}/password/"
    response = admin_client.post(url, {"password": GOOD, "password_again": GOOD})
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.must_change_password and deputy.check_password(GOOD)
    response = admin_client.post(url, {"password": "short", "password_again": "short"}, follow=True)
    assert b"alert-danger" in response.content
    deputy.refresh_from_db()
    assert deputy.check_password(GOOD)


def test_admin_assigns_and_removes_roles(world, admin_client):
    person = world["nobody"]
    url = f"/accounts/admin/users/{person.pk}/roles/"
    response = admin_client.post(
        url, {"role": "unit_clerk", "congress": world.city.pk}, follow=True
    )
    assert b"alert-danger" in response.content
    assert not RoleAssignment.objects.filter(user=person).exists()
    admin_client.post(url, {"role": "unit_clerk", "unit": world.edu.pk})
    ra = RoleAssignment.objects.get(user=person)
    assert (ra.role, ra.congress, ra.unit) == ("unit_clerk", world.city, world.edu)
    detail = admin_client.get(f"/accounts/admin/users/{person.pk}/").content.decode()
    assert "市教育局" in detail and "account.role_assigned" in detail
    response = admin_client.post(f"/accounts/admin/users/{person.pk}/roles/{ra.pk}/remove/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    again = admin_client.post(f"/accounts/admin/users/{person.pk}/roles/{ra.pk}/remove/")
    assert again.status_code == 404


def test_bad_role_form_input_is_refused_clearly(world, admin_client):
    url = f"/accounts/admin/users/{world['nobody'].pk}/roles/"
    for data in [
        {"role": "emperor"},
        {"role": "deputy", "congress": "abc"},
        {},
        {"role": "deputy"},
    ]:
        response = admin_client.post(url, data, follow=True)
        assert response.status_code == 200
        assert b"alert-danger" in response.content
    assert not RoleAssignment.objects.filter(user=world["nobody"]).exists()


def test_a_role_of_another_user_cannot_be_removed_through_this_one(world, admin_client):
    other = RoleAssignment.objects.get(user=world["deputy"])
    url = f"/accounts/admin/users/{world['nobody'].pk}/roles/{other.pk}/remove/"
    assert admin_client.post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


def test_admin_resets_two_factor_and_unlocks(world, admin_client):
    deputy = world["deputy"]
    enable_two_factor(deputy)
    for _ in range(5):
        sign_in(Client(), "deputy", "wrong-password", REMOTE_ADDR="10.9.0.1")
    detail = admin_client.get(f"/accounts/admin/users/{deputy.pk}/").content.decode()
    assert 'data-testid="lock-status"><span class="badge text-bg-danger">' in detail
    assert f"/accounts/admin/users/{deputy.pk}/2fa/reset/" in detail
    assert f"/accounts/admin/users/{deputy.pk}/unlock/" in detail
    admin_client.post(f"/accounts/admin/users/{deputy.pk}/2fa/reset/")
    admin_client.post(f"/accounts/admin/users/{deputy.pk}/unlock/")
    assert not has_two_factor_device(deputy)
    client = Client()
    assert sign_in(client, "deputy", REMOTE_ADDR="10.9.0.2").status_code == 302


def test_security_policy_page_sets_the_policy_per_role(world, admin_client):
    page = admin_client.get("/accounts/admin/security/")
    assert page.status_code == 200 and b'name="role_deputy"' in page.content
    response = admin_client.post(
        "/accounts/admin/security/", {"role_deputy": "on", "role_admin": "on"}
    )
    assert response.status_code == 302
    assert set(
        SecurityPolicy.objects.filter(require_two_factor=True).values_list("role", flat=True)
    ) == {
        "deputy",
        "admin",
    }
    assert AuditEvent.objects.filter(verb="security.policy_set").count() == 2
    admin_client.post("/accounts/admin/security/", {"role_admin": "on"})
    assert not SecurityPolicy.objects.get(role="deputy").require_two_factor
    assert AuditEvent.objects.filter(verb="security.policy_set").count() == 3
    # The administrator is now asked to set up two-factor too (after the re-check interval).


def test_admin_pages_are_closed_to_a_gated_admin_session(world):
    actions.set_security_policy(role="admin", require_two_factor=True, by=world["admin"])
    client = Client()
    sign_in(client, "admin")
    for path in ["/accounts/admin/users/", "/accounts/admin/security/"]:
        assert location(client.get(path)).startswith("/accounts/2fa/setup/")
    response = client.post("/accounts/admin/security/", {})
    assert location(response).startswith("/accounts/2fa/setup/")
    assert SecurityPolicy.objects.get(role="admin").require_two_factor
