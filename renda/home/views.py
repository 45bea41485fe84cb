from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from renda.accounts.permissions import is_admin, role_assignments
from renda.notifications.queries import unread_count

from .panels import panels_for
from .shell import has_messages, page_from_skeleton
from .versions import home_cache_key


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


# Kept pages this process served last, in front of the shared cache: no pickling, no key checks,
# no round trip to Redis for a page asked for again. The key holds every version the page
# depends on, so an entry is never stale, only unused; each lives at most
# RENDA_HOME_CACHE_SECONDS, and the whole store is dropped when it reaches KEPT_MAX entries.
_kept: dict[str, tuple[float, tuple[str, int]]] = {}
KEPT_MAX = 2000


def _kept_page(key: str) -> tuple[str, int] | None:
    entry = _kept.get(key)
    if entry is not None and entry[0] > time.monotonic():
        return entry[1]
    cached = cache.get(key)
    if cached is not None:
        _keep(key, cached)
    return cached


def _keep(key: str, page: tuple[str, int]) -> None:
    if len(_kept) >= KEPT_MAX:
        _kept.clear()
    _kept[key] = (time.monotonic() + settings.RENDA_HOME_CACHE_SECONDS, page)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's work queues (panels). The rendered panels are kept in the cache under the
    versions of everything they show (renda.home.versions) and served again until one moves."""
    user = request.user
    assignments = role_assignments(user)
    roles = {ra.role for ra in assignments}
    if is_admin(user):
        roles.add("admin")
    key = home_cache_key(user, assignments, admin="admin" in roles)
    cached = _kept_page(key) if key else None
    if cached is None:
        content = render_to_string(
            "home/_content.html",
            {"panels": panels_for(user, roles), "assignments": assignments, "user": user},
            request=request,
        )
        cached = (content, unread_count(user))
        if key:
            cache.set(key, cached, settings.RENDA_HOME_CACHE_SECONDS)
            _keep(key, cached)
    else:
        user._renda_unread = cached[1]  # the header's count, as the panels saw it
        if not has_messages(request):
            return HttpResponse(page_from_skeleton(request, "home/home.html", cached[0]))
    return render(request, "home/home.html", {"content": mark_safe(cached[0])})  # noqa: S308


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
