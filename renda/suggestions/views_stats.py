"""The suggestion statistics dashboard and its Excel export (issue 3, "Statistics and
exports"). Thin: the filter through stats_filters (scoped to the person: an office sees its
congress, a unit only itself, anyone else 404), the figures from stats.suggestion_stats — the
same function as the API, so the numbers are the same."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renda.errors import InvalidInput
from renda.orgs.models import HandlingUnit, Session

from .permissions import can_view_stats, stats_scope
from .stats import DEFINITIONS, FIGURES, RATE_NOTE, figure_label, suggestion_stats
from .stats_export import filename, workbook_file
from .stats_filters import stats_congresses, stats_filter_for

YEARS_SHOWN = 10


def _params(request: HttpRequest) -> dict[str, Any]:
    """The query's filters; the page opens on the current year (an empty `year` is all)."""
    params = {k: request.GET.get(k) for k in ("congress", "year", "session", "unit")}
    if "year" not in request.GET:
        params["year"] = str(timezone.localdate().year)
    return params


def _chart_data(stats: Any, trend_rows: list[dict[str, Any]]) -> dict[str, Any]:
    t = stats.totals
    return {
        "ratings": [
            {"name": str(figure_label(k)), "value": t[k]}
            for k in ("satisfied", "basically_satisfied", "dissatisfied", "no_feedback")
        ],
        "units": {
            "names": [r["name"] for r in stats.by_unit],
            "on_time": [r["on_time_rate"] for r in stats.by_unit],
            "satisfaction": [r["satisfaction_rate"] for r in stats.by_unit],
        },
        "trend": {
            "names": [str(r["name"]) for r in trend_rows],
            "received": [r["received"] for r in trend_rows],
            "on_time": [r["on_time_rate"] for r in trend_rows],
            "satisfaction": [r["satisfaction_rate"] for r in trend_rows],
        },
        "labels": {
            "on_time": str(figure_label("on_time_rate")),
            "satisfaction": str(figure_label("satisfaction_rate")),
            "received": str(figure_label("received")),
            "empty": _("No data for these filters."),
        },
    }


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    if not can_view_stats(request.user):
        raise Http404
    try:
        f = stats_filter_for(request.user, _params(request))
    except InvalidInput as err:
        return render(request, "suggestions/office/stats.html", {"error": err.detail}, status=422)
    stats = suggestion_stats(f)
    offices, _units = stats_scope(request.user)
    is_office = offices is None or f.congress.pk in offices
    today = timezone.localdate()
    first_year = max(2000, today.year - YEARS_SHOWN + 1)
    trend = stats.by_year if f.year is None and len(stats.by_year) > 1 else stats.by_session
    query = request.GET.copy()
    query["year"] = "" if f.year is None else str(f.year)
    return render(
        request,
        "suggestions/office/stats.html",
        {
            "stats": stats,
            "f": f,
            "is_office": is_office,
            "congresses": stats_congresses(request.user) if is_office else [],
            "years": list(range(today.year, first_year - 1, -1)),
            "sessions": Session.objects.filter(term__congress=f.congress).select_related("term"),
            "units": HandlingUnit.objects.filter(congress=f.congress).order_by("name")
            if is_office
            else [f.unit],
            "chart_data": _chart_data(stats, trend),
            "trend_by_year": trend is stats.by_year,
            "definitions": [(figure_label(k), DEFINITIONS[k]) for k in FIGURES],
            "rate_note": RATE_NOTE,
            "xlsx_query": query.urlencode(),
        },
    )


@login_required
@require_GET
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    """The same figures as an Excel workbook (every deputy), for the same filters."""
    if not can_view_stats(request.user):
        raise Http404
    try:
        f = stats_filter_for(request.user, _params(request))
    except InvalidInput as err:
        return HttpResponse(err.detail, status=422, content_type="text/plain; charset=utf-8")
    stats = suggestion_stats(f, deputy_limit=None)
    return FileResponse(workbook_file(stats), as_attachment=True, filename=filename(stats))
