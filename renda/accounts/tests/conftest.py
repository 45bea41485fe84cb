"""Helpers for the accounts tests: real TOTP codes from a device's key, signing in by the form."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP

# The password the root conftest's `world` fixture gives every user.
PASSWORD = "correct-horse-battery-9"


def next_code(device: Any) -> str:
    """The code an authenticator app would show for this device's next acceptable time step.

    Computed from the device's secret with django-otp's own TOTP class (RFC 6238), as a phone
    would; the step is the current one, or the one after the last code used (django-otp
    refuses a step twice).
    """
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step)
    t = max(now_t, device.last_t + 1)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = device.t0 + t * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: Any) -> str:
    right = next_code(device)
    return f"{(int(right) + 1) % 10**device.digits:0{device.digits}d}"


def enable_two_factor(user: Any) -> Any:
    """Set up and confirm a TOTP device the way the setup page does."""
    from renda.accounts import actions

    device = actions.start_two_factor_setup(user)
    return actions.confirm_two_factor(user, code=next_code(device))


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """POST the real sign-in form (django-axes sees it), as a browser would."""
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def policy(world: Any) -> Any:
    """policy("deputy") -> require two-factor sign-in for that role (as the admin would)."""
    from renda.accounts import actions

    def _require(role: str, on: bool = True) -> Any:
        return actions.set_security_policy(role=role, require_two_factor=on, by=world["admin"])

    return _require
