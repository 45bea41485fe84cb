"""The client's address, as login throttling and the audit trail both record it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind our reverse proxy (RENDA_BEHIND_PROXY), the right-most
    X-Forwarded-For entry — the one the proxy appended. Entries further left were written by
    the client and are never trusted (they would let anyone forge an address)."""
    if getattr(settings, "RENDA_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid(forwarded.split(",")[-1])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR"))
