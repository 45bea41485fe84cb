"""Account actions: who may do what, what is refused, and that every change is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from renda.accounts import actions
from renda.accounts.models import ApiToken, RoleAssignment, SecurityPolicy, User
from renda.accounts.two_factor import has_two_factor_device, two_factor_required, verify_code
from renda.audit.models import AuditEvent
from renda.audit.queries import verify_chain
from renda.errors import DomainError, Forbidden, InvalidInput, NotFound

from .conftest import PASSWORD, enable_two_factor, next_code, wrong_code

GOOD = "Quiet-river-2026!"


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- Creating accounts and initial passwords -------------------------------------------------


def test_create_user_sets_initial_password_that_must_be_changed(world):
    user = actions.create_user(
        username="new_clerk", full_name="新 经办", initial_password=GOOD, by=world["admin"]
    )
    user.refresh_from_db()
    assert user.must_change_password is True
    assert user.check_password(GOOD)
    assert user.password.startswith("argon2$"), "passwords are hashed with argon2"
    assert events("account.created") == 1
    assert verify_chain()[1] is None


@pytest.mark.parametrize("username", ["affairs", "deputy", "edu_clerk", "nobody"])
def test_only_administrators_create_accounts(world, username):
    with pytest.raises(Forbidden):
        actions.create_user(username="x1", full_name="x", initial_password=GOOD, by=world[username])
    assert not User.objects.filter(username="x1").exists()


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"username": ""}, InvalidInput),
        ({"username": "   "}, InvalidInput),
        ({"username": "x" * 151}, InvalidInput),
        ({"username": "has space"}, InvalidInput),
        ({"username": "DEPUTY"}, DomainError),  # taken, whatever the case
        ({"initial_password": "short"}, InvalidInput),
        ({"initial_password": "12345678901"}, InvalidInput),
        ({"initial_password": ""}, InvalidInput),
        ({"initial_password": "a" * 5000}, InvalidInput),
        ({"email": "not-an-email"}, InvalidInput),
        ({"phone": "call me"}, InvalidInput),
        ({"full_name": "名" * 101}, InvalidInput),
    ],
)
def test_create_user_refuses_bad_input_clearly(world, kwargs, error):
    args = {"username": "fresh", "full_name": "Fresh", "initial_password": GOOD}
    args.update(kwargs)
    with pytest.raises(error) as exc:
        actions.create_user(by=world["admin"], **args)
    assert exc.value.detail
    assert events("account.created") == 0


def test_taken_username_is_a_conflict(world):
    with pytest.raises(DomainError) as exc:
        actions.create_user(
            username="Deputy", full_name="x", initial_password=GOOD, by=world["admin"]
        )
    assert exc.value.status == 409
    assert exc.value.code == "taken"


def test_set_initial_password_forces_change_and_ends_api_tokens(world):
    deputy = world["deputy"]
    actions.issue_api_token(deputy)
    actions.set_initial_password(deputy, password=GOOD, by=world["admin"])
    deputy.refresh_from_db()
    assert deputy.must_change_password is True
    assert deputy.check_password(GOOD)
    assert not ApiToken.objects.filter(user=deputy).exists()
    assert events("account.password_reset") == 1


def test_only_administrators_reset_passwords(world):
    with pytest.raises(Forbidden):
        actions.set_initial_password(world["deputy2"], password=GOOD, by=world["affairs"])
    assert world["deputy2"].check_password(PASSWORD)


def test_change_password_clears_the_forced_change_and_ends_api_tokens(world):
    admin = world["admin"]
    user = actions.create_user(username="p1", full_name="P", initial_password=GOOD, by=admin)
    actions.issue_api_token(user)
    actions.change_password(user, old_password=GOOD, new_password="Another-long-one-77")
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.check_password("Another-long-one-77")
    assert not ApiToken.objects.filter(user=user).exists()
    assert events("account.password_changed") == 1


@pytest.mark.parametrize(
    "old, new",
    [("wrong-password-1", "Another-long-one-77"), (PASSWORD, PASSWORD), (PASSWORD, "short")],
)
def test_change_password_refuses_wrong_current_same_or_weak(world, old, new):
    with pytest.raises(InvalidInput):
        actions.change_password(world["deputy"], old_password=old, new_password=new)
    world["deputy"].refresh_from_db()
    assert world["deputy"].check_password(PASSWORD)


# --- Roles -----------------------------------------------------------------------------------


def test_unit_roles_need_a_unit_and_take_its_congress(world):
    admin, person = world["admin"], world["nobody"]
    with pytest.raises(InvalidInput):
        actions.assign_role(person, role="unit_clerk", congress=world.city, by=admin)
    ra = actions.assign_role(person, role="unit_clerk", unit=world.edu, by=admin)
    assert ra.congress == world.city
    assert events("account.role_assigned") == 1


def test_assign_role_refuses_mismatches_and_unknown_roles(world):
    admin, person = world["admin"], world["nobody"]
    with pytest.raises(InvalidInput):
        actions.assign_role(
            person, role="unit_head", congress=world.county, unit=world.edu, by=admin
        )
    with pytest.raises(InvalidInput):
        actions.assign_role(person, role="deputy", unit=world.edu, by=admin)
    with pytest.raises(InvalidInput):
        actions.assign_role(person, role="deputy", by=admin)  # which congress?
    with pytest.raises(InvalidInput):
        actions.assign_role(person, role="emperor", congress=world.city, by=admin)
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_assigning_the_same_role_twice_keeps_one_record_and_one_event(world):
    admin, person = world["admin"], world["nobody"]
    actions.assign_role(person, role="deputy", congress=world.county, by=admin)
    actions.assign_role(person, role="deputy", congress=world.county, by=admin)
    assert RoleAssignment.objects.filter(user=person).count() == 1
    assert events("account.role_assigned") == 1


@pytest.mark.parametrize("username", ["affairs", "county_affairs", "leader", "nobody"])
def test_only_administrators_assign_and_remove_roles(world, username):
    with pytest.raises(Forbidden):
        actions.assign_role(world["nobody"], role="deputy", congress=world.city, by=world[username])
    ra = RoleAssignment.objects.get(user=world["deputy"])
    with pytest.raises(Forbidden):
        actions.remove_role(ra, by=world[username])
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_remove_role_is_audited_and_twice_is_not_found(world):
    ra = RoleAssignment.objects.get(user=world["deputy"])
    actions.remove_role(ra, by=world["admin"])
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()
    assert events("account.role_removed") == 1
    with pytest.raises(NotFound):
        actions.remove_role(ra, by=world["admin"])


def test_the_last_administrator_keeps_the_admin_role(world):
    admin = world["admin"]
    ra = RoleAssignment.objects.get(user=admin, role="admin")
    with pytest.raises(DomainError) as exc:
        actions.remove_role(ra, by=admin)
    assert exc.value.code == "last_admin"
    actions.assign_role(world["affairs"], role="admin", by=admin)
    actions.remove_role(ra, by=admin)
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()


# --- Security policy and two-factor --------------------------------------------------------


def test_security_policy_requires_two_factor_for_holders_of_the_role(world):
    assert not two_factor_required(world["deputy"])
    actions.set_security_policy(role="deputy", require_two_factor=True, by=world["admin"])
    assert two_factor_required(world["deputy"])
    assert two_factor_required(world["sc_member"])  # also a deputy
    assert not two_factor_required(world["edu_clerk"])
    assert not two_factor_required(world["nobody"])
    assert events("security.policy_set") == 1


def test_setting_the_same_policy_twice_records_one_event(world):
    for _ in range(2):
        actions.set_security_policy(role="admin", require_two_factor=True, by=world["admin"])
    assert SecurityPolicy.objects.get(role="admin").require_two_factor
    assert events("security.policy_set") == 1


def test_security_policy_refuses_unknown_roles_and_non_administrators(world):
    with pytest.raises(InvalidInput):
        actions.set_security_policy(role="nobody", require_two_factor=True, by=world["admin"])
    with pytest.raises(Forbidden):
        actions.set_security_policy(role="deputy", require_two_factor=True, by=world["affairs"])
    assert not SecurityPolicy.objects.exists()


def test_a_superuser_counts_as_administrator_for_the_policy(world):
    root = User.objects.create(username="root", is_superuser=True)
    actions.set_security_policy(role="admin", require_two_factor=True, by=world["admin"])
    assert two_factor_required(root)


def test_confirm_two_factor_accepts_a_real_code_from_the_device_key(world):
    user = world["deputy"]
    device = actions.start_two_factor_setup(user)
    assert not has_two_factor_device(user)
    confirmed = actions.confirm_two_factor(user, code=next_code(device))
    assert confirmed.pk == device.pk and confirmed.confirmed
    assert has_two_factor_device(user)
    assert events("account.two_factor_enabled") == 1
    with pytest.raises(DomainError):
        actions.start_two_factor_setup(user)  # already on


def test_confirm_two_factor_refuses_a_wrong_code(world):
    user = world["deputy"]
    device = actions.start_two_factor_setup(user)
    for bad in [wrong_code(device), "", "abcdef", "1" * 50]:
        with pytest.raises(InvalidInput):
            actions.confirm_two_factor(user, code=bad)
    assert not has_two_factor_device(user)
    assert events("account.two_factor_enabled") == 0


def test_a_used_code_is_refused_and_a_wrong_code_throttles_the_device(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the real throttle, slow enough for a loaded machine
    user = world["edu_head"]
    device = enable_two_factor(user)
    code = next_code(device)
    assert verify_code(user, code) is not None
    assert verify_code(user, code) is None, "a code is accepted once"
    assert verify_code(user, wrong_code(device)) is None
    # Right code straight after a wrong one: still refused while the device is throttled.
    assert verify_code(user, next_code(device)) is None
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_reset_two_factor_removes_devices_and_tokens(world):
    user = world["deputy"]
    enable_two_factor(user)
    actions.issue_api_token(user)
    assert actions.reset_two_factor(user, by=world["admin"]) == 1
    assert not has_two_factor_device(user)
    assert not ApiToken.objects.filter(user=user).exists()
    assert events("account.two_factor_reset") == 1
    with pytest.raises(Forbidden):
        actions.reset_two_factor(user, by=world["affairs"])


def test_unlock_sign_in_clears_the_failures_of_that_account(world):
    from axes.models import AccessAttempt

    rf = RequestFactory()
    for _ in range(5):
        assert authenticate(rf.post("/accounts/login/"), username="deputy", password="x") is None
    assert AccessAttempt.objects.filter(username="deputy").exists()
    with pytest.raises(Forbidden):
        actions.unlock_sign_in(world["deputy"], by=world["deputy"])
    actions.unlock_sign_in(world["deputy"], by=world["admin"])
    assert not AccessAttempt.objects.filter(username="deputy").exists()
    assert events("account.unlocked") == 1


# --- Tokens --------------------------------------------------------------------------------


def test_sign_in_for_token_asks_for_what_is_owed(world, policy):
    from renda.accounts.auth import SignInRefused

    deputy = world["deputy"]
    policy("deputy")
    with pytest.raises(SignInRefused) as exc:
        actions.sign_in_for_token(deputy, otp=None)
    assert (exc.value.status, exc.value.code) == (403, "two_factor_setup_required")

    device = enable_two_factor(deputy)
    with pytest.raises(SignInRefused) as exc:
        actions.sign_in_for_token(deputy, otp=None)
    assert (exc.value.status, exc.value.code) == (401, "otp_required")
    token, row = actions.sign_in_for_token(deputy, otp=next_code(device))
    assert token and row.user == deputy

    clerk = actions.set_initial_password(world["edu_clerk"], password=GOOD, by=world["admin"])
    with pytest.raises(SignInRefused) as exc:
        actions.sign_in_for_token(clerk, otp=None)
    assert (exc.value.status, exc.value.code) == (403, "password_change_required")


def test_tokens_are_stored_only_as_digests(world):
    token, row = actions.issue_api_token(world["deputy"])
    assert token not in row.digest and len(row.digest) == 64
    assert events("account.api_token_issued") == 1


def test_the_audit_chain_verifies_after_every_kind_of_account_change(world):
    admin = world["admin"]
    user = actions.create_user(username="chain", full_name="C", initial_password=GOOD, by=admin)
    actions.assign_role(user, role="deputy", congress=world.city, by=admin)
    actions.set_initial_password(user, password="Other-initial-99", by=admin)
    actions.set_security_policy(role="deputy", require_two_factor=True, by=admin)
    enable_two_factor(user)
    actions.reset_two_factor(user, by=admin)
    actions.remove_role(RoleAssignment.objects.get(user=user), by=admin)
    checked, broken = verify_chain()
    assert broken is None and checked >= 7


def test_the_same_role_cannot_be_stored_twice_even_without_congress_or_unit(world):
    """A role row is unique on (user, role, congress, unit) with NULLs counted equal, on SQLite
    as on PostgreSQL."""
    from django.db import IntegrityError, transaction

    from renda.accounts.models import RoleAssignment

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world["admin"], role="admin")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=world["deputy"], role="deputy", congress=world.city)
