"""TOTP two-factor sign-in (django-otp): who needs it, who has it, checking a code, the QR code."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django_otp import user_has_device
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SecurityPolicy
from .permissions import roles_of


def two_factor_required(user: Any) -> bool:
    """Required when any of the person's roles has a policy requiring it (set by an admin)."""
    roles = set(roles_of(user))
    if getattr(user, "is_superuser", False):
        roles.add("admin")
    if not roles:
        return False
    return SecurityPolicy.objects.filter(role__in=roles, require_two_factor=True).exists()


def has_two_factor_device(user: Any) -> bool:
    """The person has a confirmed authenticator: every sign-in then asks for its code."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user_has_device(user, confirmed=True)


def pending_device(user: Any) -> TOTPDevice | None:
    """The authenticator being set up (not yet confirmed), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def verify_code(user: Any, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code, or None.

    django-otp refuses a code already used (each time step once) and throttles a device after a
    wrong code (OTP_TOTP_THROTTLE_FACTOR: 1 s, 2 s, 4 s, ...), so codes cannot be guessed fast.
    """
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) > 10:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"):
        matched = otp_verify_token(user, device.persistent_id, code)
        if matched is not None:
            return matched
    return None


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for people who type it instead of scanning."""
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def provisioning_svg(device: TOTPDevice, title: str) -> bytes:
    """The otpauth:// URL as a standalone SVG QR code, made here (no outside service sees it)."""
    qr = segno.make(device.config_url, error="m")
    out = io.BytesIO()
    # A whole document with its namespace: it is loaded by <img>, not inlined in the page.
    qr.save(out, kind="svg", scale=5, border=4, title=title, xmldecl=False, encoding="utf-8")
    return out.getvalue()
