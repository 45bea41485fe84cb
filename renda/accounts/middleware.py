from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .gate import gate_for

GATE_URLS = {
    "password": "accounts:password_change",
    "otp_verify": "accounts:otp_verify",
    "otp_setup": "accounts:otp_setup",
}
# Paths a gated session may still reach.
OPEN_PREFIXES = (
    "/accounts/login",
    "/accounts/logout",
    "/accounts/password/",
    "/accounts/2fa/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/api/",
)


class AccountGateMiddleware:
    """Send a session that owes a password change or a second factor to that step first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            step = gate_for(request)
            if step is not None:
                return redirect(GATE_URLS[step])
        return self.get_response(request)
