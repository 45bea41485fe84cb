"""Login throttling (django-axes): what a locked-out person or client is told.

Settings (renda/settings.py): AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME lock the
account name and, separately, the address (AXES_LOCKOUT_PARAMETERS). Both the sign-in page and
POST /api/v1/auth/token go through django.contrib.auth.authenticate, so both are counted and
both are refused with 429 while a lock lasts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def cooloff_minutes() -> int:
    return max(1, int(round(float(settings.AXES_COOLOFF_TIME) * 60)))


def lockout_message() -> str:
    minutes = cooloff_minutes()
    return ngettext(
        "Too many failed sign-in attempts for this account or from this address. "
        "Sign-in is paused: try again in %(minutes)d minute, or ask an administrator "
        "to unlock the account.",
        "Too many failed sign-in attempts for this account or from this address. "
        "Sign-in is paused: try again in %(minutes)d minutes, or ask an administrator "
        "to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with a JSON error under /api/, a page everywhere else."""
    headers = {"Retry-After": str(cooloff_minutes() * 60)}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "too_many_requests", "detail": lockout_message()},
            status=429,
            headers=headers,
        )
    response = render(
        request, "accounts/locked_out.html", {"message": lockout_message()}, status=429
    )
    response["Retry-After"] = headers["Retry-After"]
    return response
