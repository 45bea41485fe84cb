"""The office's pages for assignment proposals: the proposals fragment of the assign form (htmx)
and the overview (each congress's model and the proposals' accuracy in use)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renda.suggestions.choices import State
from renda.suggestions.permissions import can_assign, get_suggestion_for_user

from .actions import record_proposal
from .permissions import can_use_routing, routing_congresses
from .queries import accuracy_in_use, latest_model, propose


@login_required
@require_GET
def proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the proposed lead units of a suggestion being assigned, one click to tick one."""
    suggestion = get_suggestion_for_user(request.user, pk)
    if not can_assign(request.user, suggestion):
        raise Http404
    found = propose(suggestion.congress_id, suggestion.title, suggestion.body)
    if found.units and suggestion.state == State.REGISTERED:
        record_proposal(
            suggestion,
            units=[u.id for u in found.units],
            scores=[u.score for u in found.units],
            model=found.trained,
        )
    return render(
        request,
        "routing/_proposals.html",
        {"suggestion": suggestion, "found": found, "prefix": request.GET.get("prefix", "")[:20]},
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Each congress's model (trained when, on how much, how accurate) and how often the office
    took what was proposed."""
    if not can_use_routing(request.user):
        raise Http404
    congresses = routing_congresses(request.user)
    rows = [(c, latest_model(c.pk)) for c in congresses[:50]]
    in_use = accuracy_in_use([c.pk for c in congresses])
    return render(request, "routing/overview.html", {"rows": rows, "in_use": in_use})
