"""The hot-topics dashboard (热点分析) and its Excel export: the office's congresses."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from renda.errors import InvalidInput
from renda.orgs.models import Congress, HandlingUnit
from renda.suggestions.stats_export import header_cells

from .models import Source
from .permissions import can_view_hot_topics, get_routing_congress, routing_congresses
from .queries import HotTopics, hot_topics, years_counted


@dataclass
class Filters:
    congress: Congress
    year: int
    source: str
    unit: HandlingUnit | None


def _filters(request: HttpRequest) -> Filters:
    """The page's filters, checked: a bad one is a 404 (congress, unit) or a 422 (year)."""
    if not can_view_hot_topics(request.user):
        raise Http404
    congresses = routing_congresses(request.user)
    pk = request.GET.get("congress") or (congresses[0].pk if congresses else None)
    try:
        congress = get_routing_congress(request.user, pk)
    except InvalidInput:
        raise Http404 from None
    today = timezone.localdate()
    raw_year = request.GET.get("year") or str(today.year)
    if not raw_year.isdigit() or not 2000 <= int(raw_year) <= today.year:
        raise InvalidInput(_("year: give a year from 2000 to %(year)s.") % {"year": today.year})
    source = request.GET.get("source", "")
    if source not in ("", *Source.values):
        source = ""
    unit = None
    raw_unit = request.GET.get("unit", "")
    if raw_unit:
        if not raw_unit.isdigit() or len(raw_unit) > 18:
            raise Http404
        unit = HandlingUnit.objects.filter(congress=congress, pk=int(raw_unit)).first()
        if unit is None:
            raise Http404
    return Filters(congress, int(raw_year), source, unit)


def _topics(f: Filters) -> HotTopics:
    return hot_topics(
        f.congress.pk,
        year=f.year,
        today=timezone.localdate(),
        source=f.source,
        unit_id=f.unit.pk if f.unit else None,
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        f = _filters(request)
    except InvalidInput as err:
        return render(request, "topics/dashboard.html", {"error": err.detail}, status=422)
    topics = _topics(f)
    today = timezone.localdate()
    years = sorted({today.year, *years_counted(f.congress.pk)}, reverse=True)
    return render(
        request,
        "topics/dashboard.html",
        {
            "f": f,
            "topics": topics,
            "congresses": routing_congresses(request.user),
            "years": years,
            "units": HandlingUnit.objects.filter(congress=f.congress).order_by("name"),
            "sources": [("suggestion", _("Suggestions")), ("opinion", _("Citizens' opinions"))],
            "chart": {"months": topics.months, "series": topics.trend},
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    try:
        f = _filters(request)
    except InvalidInput as err:
        return HttpResponse(err.detail, status=422, content_type="text/plain; charset=utf-8")
    topics = _topics(f)
    book = Workbook(write_only=True)
    ws = book.create_sheet(_("Rising words"))
    ws.append(header_cells(ws, [_("Word"), f"{f.year}", f"{f.year - 1}", _("Rising score")]))
    for r in topics.rising:
        ws.append([r.word, r.this, r.last, r.score])
    ws = book.create_sheet(_("By month"))
    ws.append(header_cells(ws, [_("Word"), *topics.months]))
    for word, counts in topics.trend.items():
        ws.append([word, *counts])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="hot-topics-{f.year}.xlsx"'
    return response


def chart_data(topics: HotTopics) -> dict[str, Any]:
    return {"months": topics.months, "series": topics.trend}
