"""Congresses and units pages: thin views over permissions and queries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from renda.audit.queries import history_of

from .permissions import can_browse_orgs, get_congress_for_user, get_unit_for_user
from .queries import congress_overview, units_of


@login_required
def congress_list(request: HttpRequest) -> HttpResponse:
    if not can_browse_orgs(request.user):
        raise Http404
    return render(
        request, "orgs/congress_list.html", {"congresses": congress_overview(request.user)}
    )


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = get_congress_for_user(request.user, pk)
    return render(
        request,
        "orgs/congress_detail.html",
        {
            "congress": congress,
            "terms": congress.terms.prefetch_related("sessions"),
            "units": units_of(congress),
            "history": history_of(congress),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    return render(
        request,
        "orgs/unit_detail.html",
        {"unit": unit, "history": history_of(unit), "can_browse": can_browse_orgs(request.user)},
    )
