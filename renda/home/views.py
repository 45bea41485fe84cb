from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from renda.accounts.permissions import is_admin, role_assignments

from .panels import panels_for


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"} when the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "detail": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bare(request: HttpRequest) -> HttpResponse:
    """The cheapest page Django can serve: the benchmark's baseline."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assignments = role_assignments(request.user)
    roles = {ra.role for ra in assignments}
    if is_admin(request.user):
        roles.add("admin")
    return render(
        request,
        "home/home.html",
        {"panels": panels_for(request.user, roles), "assignments": assignments},
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"error": "not_found", "detail": _("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"error": "forbidden", "detail": _("You may not do this.")}, status=403)
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"error": "server_error", "detail": _("Something went wrong on our side.")}, status=500
        )
    return render(request, "errors/500.html", status=500)
