"""Login throttling (django-axes): what a locked-out person or client is told."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = int(round(float(settings.AXES_COOLOFF_TIME) * 60))
    return _(
        "Too many failed sign-in attempts for this account or from this address. "
        "Try again in %(minutes)d minutes, or ask an administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "too_many_requests", "detail": lockout_message()}, status=429)
    return render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)
