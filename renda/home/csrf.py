"""The CSRF token for the form fields the page shell carries, masked like Django's `get_token`
but with the mask drawn from one `os.urandom` read instead of 32 `SystemRandom` calls (each a
system call): the same token format, checked by Django's CsrfViewMiddleware as any other.

Every page signs the sign-out form in its header, so this runs on every signed-in page; Django's
way cost about a third of the cached home page's own time (docs/performance.md)."""

from __future__ import annotations

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_N = len(CSRF_ALLOWED_CHARS)
_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
# Bytes at or above the largest multiple of _N are dropped, so every character is equally likely.
_LIMIT = 256 - 256 % _N


def _mask() -> list[int]:
    picked: list[int] = []
    while len(picked) < CSRF_SECRET_LENGTH:
        picked.extend(b % _N for b in os.urandom(CSRF_SECRET_LENGTH * 2) if b < _LIMIT)
    return picked[:CSRF_SECRET_LENGTH]


def masked_token(request) -> str:
    """What `django.middleware.csrf.get_token(request)` returns, and with the same effect (the
    cookie is sent, or made when the request has none)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or any(c not in _INDEX for c in secret) or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _mask()
    chars = CSRF_ALLOWED_CHARS
    cipher = "".join(chars[(_INDEX[c] + m) % _N] for c, m in zip(secret, mask, strict=True))
    return "".join(chars[m] for m in mask) + cipher
