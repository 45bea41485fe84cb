"""What a signed-in person must do before anything else: change a password, set up or pass 2FA."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import SecurityPolicy
from .permissions import roles_of


def two_factor_required(user: Any) -> bool:
    """Required when any of the user's roles has a policy requiring it (set by an administrator)."""
    roles = roles_of(user)
    if getattr(user, "is_superuser", False):
        roles = roles | {"admin"}
    if not roles:
        return False
    return SecurityPolicy.objects.filter(role__in=roles, require_two_factor=True).exists()


def has_two_factor_device(user: Any) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


def gate_for(request: HttpRequest) -> str | None:
    """Name of the step this session owes: 'password', 'otp_verify', 'otp_setup' or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    if user.must_change_password:
        return "password"
    cached = request.session.get("renda_gate_ok") if hasattr(request, "session") else None
    if cached:
        return None
    verified = getattr(user, "is_verified", lambda: False)()
    if not verified and has_two_factor_device(user):
        return "otp_verify"
    if not verified and two_factor_required(user):
        return "otp_setup"
    if hasattr(request, "session"):
        request.session["renda_gate_ok"] = True
    return None
