"""What a signed-in person must do before anything else: pass 2FA, change a password, set up 2FA."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from .two_factor import has_two_factor_device, two_factor_required

# Steps a session may owe, in the order they are asked for. The second factor comes before a
# forced password change: whoever only knows the (initial) password must not get to change it.
OTP_VERIFY = "otp_verify"
PASSWORD = "password"  # noqa: S105 - the name of a step, not a secret
OTP_SETUP = "otp_setup"

# A session found to owe nothing is re-checked after this long, so a policy an administrator
# turns on (or a device reset) reaches sessions already open within minutes, at the cost of
# two or three small queries per person every few minutes instead of on every request.
RECHECK_SECONDS = 300
_CHECKED_KEY = "renda_gate_checked_at"


def _is_verified(user: Any) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def forget_gate_check(request: HttpRequest) -> None:
    """Make the next request check the gate again (after a device or policy change)."""
    if hasattr(request, "session"):
        request.session.pop(_CHECKED_KEY, None)


def gate_for(request: HttpRequest) -> str | None:
    """Name of the step this session owes: OTP_VERIFY, PASSWORD, OTP_SETUP or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    verified = _is_verified(user)
    if user.must_change_password:
        if not verified and has_two_factor_device(user):
            return OTP_VERIFY
        return PASSWORD
    if verified:
        return None  # passed a second factor in this session: nothing more to ask
    session = getattr(request, "session", None)
    now = int(time.time())
    checked_at = session.get(_CHECKED_KEY) if session is not None else None
    if isinstance(checked_at, int) and 0 <= now - checked_at < RECHECK_SECONDS:
        return None
    if has_two_factor_device(user):
        return OTP_VERIFY
    if two_factor_required(user):
        return OTP_SETUP
    if session is not None:
        session[_CHECKED_KEY] = now
    return None
