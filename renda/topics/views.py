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
    region: tuple[str, int] | None = None  # (source, delegation or station id)


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
    region = _region(congress, request.GET.get("region", ""))
    if region is not None:
        source = region[0]  # a delegation's words are suggestions', a station's opinions'
    return Filters(congress, int(raw_year), source, unit, region)


def _region(congress: Congress, raw: str) -> tuple[str, int] | None:
    """`suggestion:<delegation id>` or `opinion:<station id>` of this congress; else a 404."""
    if not raw:
        return None
    src, _sep, pk = raw.partition(":")
    if src not in Source.values or not pk.isdigit() or len(pk) > 18:
        raise Http404
    if not any(r == (src, int(pk)) for r, _name in regions_of(congress)):
        raise Http404
    return src, int(pk)


def regions_of(congress: Congress) -> list[tuple[tuple[str, int], str]]:
    """The congress's regions: its delegations (代表团, where its deputies' suggestions come
    from) and its liaison stations (where citizens' opinions are received)."""
    from renda.deputies.models import Delegation
    from renda.opinions.models import Station

    delegations = Delegation.objects.filter(congress=congress).order_by("name", "pk")
    stations = Station.objects.filter(congress=congress).order_by("name", "pk")
    return [((Source.SUGGESTION, d.pk), d.name) for d in delegations] + [
        ((Source.OPINION, st.pk), st.name) for st in stations
    ]


def region_rows(f: Filters, topics: HotTopics) -> list[tuple[str, str, list[int]]]:
    """By region: (region name, source label, this year's count of each trend word), the
    regions with any of them, most texts first."""
    names = dict(regions_of(f.congress))
    words = list(topics.trend)
    labels = {Source.SUGGESTION: _("Delegation"), Source.OPINION: _("Liaison station")}
    rows = [
        (names.get(key, "?"), str(labels[key[0]]), [counts.get(w, 0) for w in words])
        for key, counts in topics.regions.items()
    ]
    return sorted(rows, key=lambda r: (-sum(r[2]), r[0]))


def _topics(f: Filters) -> HotTopics:
    return hot_topics(
        f.congress.pk,
        year=f.year,
        today=timezone.localdate(),
        source=f.source,
        unit_id=f.unit.pk if f.unit else None,
        region_id=f.region[1] if f.region else None,
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
            "regions": [(f"{src}:{pk}", src, name) for (src, pk), name in regions_of(f.congress)],
            "region_value": f"{f.region[0]}:{f.region[1]}" if f.region else "",
            "region_rows": region_rows(f, topics),
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
    ws = book.create_sheet(_("By region"))
    ws.append(header_cells(ws, [_("Region"), _("Kind"), *topics.trend]))
    for name, kind, counts in region_rows(f, topics):
        ws.append([name, kind, *counts])
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
