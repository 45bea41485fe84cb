"""Office pages of the station registry and reception days, and the station performance page
(issue 5 §1, §5). Thin: the object through permissions_stations (404 when missing or not the
person's), the change through actions/stations.py, its domain errors shown on the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renda.accounts.permissions import office_congress_ids
from renda.errors import DomainError
from renda.orgs.models import Congress

from .actions import stations as actions
from .choices import ReceptionState
from .forms_stations import ReceptionDayForm, ReceptionNoteForm, StationForm
from .models import ReceptionDay
from .permissions_stations import (
    can_manage_stations,
    can_open_station_pages,
    can_view_station_stats,
    get_reception_day_for,
    get_station_for_office,
    get_station_for_receptions,
    station_stats_congresses,
    stations_managed_by,
)
from .queries_stats import DEFINITIONS, FIGURES, RATES, period_for, station_performance
from .stats_export import filename, workbook_file

PAGE_SIZE = 25


def _managed_congresses(user: Any) -> Any:
    offices = office_congress_ids(user)
    qs = Congress.objects.all() if offices is None else Congress.objects.filter(pk__in=offices)
    return qs.order_by("division_code")


@login_required
@require_GET
def station_list(request: HttpRequest) -> HttpResponse:
    if not can_open_station_pages(request.user):
        raise Http404
    stations = (
        stations_managed_by(request.user)
        .select_related("congress")
        .order_by("congress__division_code", "name")
    )
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "opinions/stations/list.html",
        {"page": page, "can_add": can_manage_stations(request.user)},
    )


def _station_form_page(request: HttpRequest, station: Any = None) -> HttpResponse:
    congresses = _managed_congresses(request.user)
    congress = station.congress if station else None
    if request.method == "POST":
        form = StationForm(request.POST, congresses=congresses, congress=congress)
        if form.is_valid():
            try:
                if station is None:
                    station = actions.create_station(
                        form.cleaned_data["congress"], form.data_out(), by=request.user
                    )
                    messages.success(request, _("Station added."))
                else:
                    actions.update_station(station, form.data_out(), by=request.user)
                    messages.success(request, _("Station saved."))
                return redirect("opinions:station_manage_list")
            except DomainError as err:
                form.add_error(None, err.detail)
    else:
        initial = StationForm.initial_of(station) if station else {"active": True}
        form = StationForm(initial=initial, congresses=congresses, congress=congress)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "opinions/stations/form.html", {"form": form, "station": station}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def station_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_stations(request.user):
        raise Http404
    return _station_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _station_form_page(request, get_station_for_office(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def reception_days(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's reception days, newest first, and the form to plan one."""
    station = get_station_for_receptions(request.user, pk)
    form = ReceptionDayForm(request.POST or None, station=station)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            starts_at, ends_at = form.moments()
            try:
                actions.plan_reception_day(
                    station,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    deputies=form.cleaned_data["deputies"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("Reception day planned."))
                return redirect("opinions:station_manage_receptions", pk=station.pk)
            except DomainError as err:
                form.add_error(None, err.detail)
        status = 422
    days = (
        ReceptionDay.objects.filter(station=station)
        .prefetch_related("deputies__person")
        .order_by("-starts_at", "-id")
    )
    return render(
        request,
        "opinions/stations/receptions.html",
        {
            "station": station,
            "form": form,
            "page": Paginator(days, PAGE_SIZE).get_page(request.GET.get("page")),
            "PLANNED": ReceptionState.PLANNED,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reception_edit(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_reception_day_for(request.user, pk)
    initial = {
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "deputies": list(day.deputies.values_list("pk", flat=True)),
        "note": day.note,
    }
    form = ReceptionDayForm(request.POST or None, initial=initial, station=day.station)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.moments()
        try:
            actions.update_reception_day(
                day,
                starts_at=starts_at,
                ends_at=ends_at,
                deputies=form.cleaned_data["deputies"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("Reception day saved."))
            return redirect("opinions:station_manage_receptions", pk=day.station_id)
        except DomainError as err:
            form.add_error(None, err.detail)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "opinions/stations/reception_form.html", {"form": form, "day": day}, status=status
    )


@login_required
@require_POST
def reception_held(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_reception_day_for(request.user, pk)
    form = ReceptionNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.mark_reception_held(day, note=note, by=request.user)
        messages.success(request, _("Marked held."))
    except DomainError as err:
        messages.error(request, err.detail)
    return redirect("opinions:station_manage_receptions", pk=day.station_id)


@login_required
@require_POST
def reception_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_reception_day_for(request.user, pk)
    form = ReceptionNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.cancel_reception_day(day, note=note, by=request.user)
        messages.success(request, _("Reception day cancelled."))
    except DomainError as err:
        messages.error(request, err.detail)
    return redirect("opinions:station_manage_receptions", pk=day.station_id)


# --- station performance -------------------------------------------------------------------
def _chart_data(perf: Any) -> dict[str, Any]:
    top = [r for r in perf.stations if r["received"]][:15]
    t = perf.totals
    return {
        "stations": {
            "names": [r["name"] for r in top],
            "received": [r["received"] for r in top],
            "in_time": [r["in_time_rate"] for r in top],
            "satisfaction": [r["satisfaction_rate"] for r in top],
        },
        "ratings": [
            {"name": str(FIGURES[k]), "value": t[k]}
            for k in ("satisfied", "basically_satisfied", "dissatisfied")
        ],
        "labels": {
            "received": str(FIGURES["received"]),
            "in_time": str(FIGURES["in_time_rate"]),
            "satisfaction": str(FIGURES["satisfaction_rate"]),
            "empty": _("No data for this period."),
        },
    }


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    """A table row: each figure as its display text ("—" for no value, "%" after a rate)."""
    cells = []
    for key in FIGURES:
        value = row[key]
        if value is None:
            cells.append("—")
        elif key in RATES:
            cells.append(f"{value:.1f}%")
        elif isinstance(value, float):
            cells.append(f"{value:g}")
        else:
            cells.append(str(value))
    return {
        "id": row.get("id"),
        "name": row.get("name", ""),
        "active": row.get("active"),
        "cells": cells,
    }


@login_required
@require_GET
def station_stats(request: HttpRequest) -> HttpResponse:
    if not can_view_station_stats(request.user):
        raise Http404
    params = {k: request.GET.get(k) for k in ("congress", "from", "to")}
    sort = request.GET.get("sort") or "received"
    try:
        p = period_for(request.user, params)
        perf = station_performance(p, sort=sort)
    except DomainError as err:
        return render(request, "opinions/stats/stations.html", {"error": err.detail}, status=422)
    congresses = station_stats_congresses(request.user)
    choices = (
        Congress.objects.all() if congresses is None else Congress.objects.filter(pk__in=congresses)
    )
    query = {"congress": p.congress.pk, "from": p.start.isoformat(), "to": p.end.isoformat()}
    return render(
        request,
        "opinions/stats/stations.html",
        {
            "perf": perf,
            "p": p,
            "sort": sort,
            "congresses": list(choices.order_by("division_code")),
            "columns": [(k, v, k in RATES) for k, v in FIGURES.items()],
            "rows": [_cells(r) for r in perf.stations],
            "total_cells": _cells(perf.totals)["cells"],
            "definitions": [(FIGURES[k], DEFINITIONS[k]) for k in FIGURES],
            "chart_data": _chart_data(perf),
            "query": query,
        },
    )


@login_required
@require_GET
def station_stats_xlsx(request: HttpRequest) -> HttpResponse:
    if not can_view_station_stats(request.user):
        raise Http404
    params = {k: request.GET.get(k) for k in ("congress", "from", "to")}
    try:
        perf = station_performance(
            period_for(request.user, params), sort=request.GET.get("sort") or "received"
        )
    except DomainError as err:
        return HttpResponse(err.detail, status=422, content_type="text/plain; charset=utf-8")
    return FileResponse(workbook_file(perf), as_attachment=True, filename=filename(perf))
