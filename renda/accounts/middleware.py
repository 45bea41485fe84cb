"""Send a session that owes a step (second factor, password change, 2FA set-up) to that step."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty

from .gate import OTP_SETUP, OTP_VERIFY, PASSWORD, gate_for

GATE_URLS = {
    OTP_VERIFY: "accounts:otp_verify",
    PASSWORD: "accounts:password_change",
    OTP_SETUP: "accounts:otp_setup",
}

# Reachable whatever the session owes: assets, the language switch, the health check, and the
# API (which refuses gated sessions itself: see auth.SessionAuth and the token endpoint).
ALWAYS_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/api/")


@cache
def _open_paths(step: str) -> frozenset[str]:
    """The exact pages a session owing `step` may see: that step's own pages, sign-in, sign-out.

    Deliberately exact paths, not prefixes: a gated session must not reach /accounts/admin/
    or any other page, and one owing a second factor must not reach 2FA set-up (which would
    let a password alone enrol a new authenticator) nor the password change.
    """
    paths = {reverse("accounts:login"), reverse("accounts:logout"), reverse(GATE_URLS[step])}
    if step == OTP_SETUP:
        paths.add(reverse("accounts:otp_qr"))
    return frozenset(paths)


def _resolved(user: Any) -> Any:
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class AccountGateMiddleware:
    """Redirect every other page to the step the session owes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ALWAYS_OPEN_PREFIXES):
            return self.get_response(request)
        # The user is needed from here on: resolve it once and hand the pages the object itself.
        # request.user is a lazy proxy around another (Django's, then django-otp's), and a page
        # reads it a hundred times or more, each read going through both proxies.
        request.user = _resolved(request.user)
        if not request.user.is_authenticated:
            return self.get_response(request)
        step = gate_for(request)
        if step is None or request.path in _open_paths(step):
            return self.get_response(request)
        url = reverse(GATE_URLS[step])
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)
