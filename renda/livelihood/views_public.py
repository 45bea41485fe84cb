"""Public pages (no sign-in): the proposal form in a plan's collection window (honeypot, limits
per address and phone with 429 + Retry-After, as the opinion form), the progress board per
congress and year with its map and Excel export, and report photos of chosen projects."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renda.audit.addresses import client_address
from renda.deputies.permissions import valid_pk
from renda.errors import DomainError
from renda.opinions.actions.receiving import clean_phone, phone_key
from renda.opinions.views_receiving import _too_many

from . import limits
from .actions import propose, window_open
from .choices import CandidateState
from .export import board_workbook, filename
from .forms import ProposalForm
from .models import Plan, ReportPhoto
from .queries import board, open_plans, plans_for_board, public_plans


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Open calls for proposals, and the boards of every year."""
    return render(
        request,
        "livelihood/public/index.html",
        {"open": list(open_plans()), "plans": list(plans_for_board())},
    )


def _plan(pk: int) -> Plan:
    plan = Plan.objects.select_related("congress").filter(pk=valid_pk(pk)).first()
    if plan is None:
        raise Http404
    return plan


@require_http_methods(["GET", "POST"])
def propose_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The public proposal form; outside the window a clear refusal (409) instead."""
    plan = _plan(pk)
    if not window_open(plan):
        return render(request, "livelihood/public/closed.html", {"plan": plan}, status=409)
    form = ProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        address = client_address(request)
        raw_phone = "" if request.POST.get("anonymous") else request.POST.get("phone", "")
        try:
            phone = phone_key(clean_phone(raw_phone))
        except DomainError:
            phone = ""
        verdict = limits.check_submit(address, phone)
        if not verdict.allowed:
            return _too_many(request, verdict, "submit")
        if form.is_valid():
            d = form.cleaned_data
            if d["website"]:  # the honeypot: a page that looks done, nothing kept
                limits.count_submit(address, phone)
                return render(request, "livelihood/public/thanks.html", {"plan": plan})
            try:
                propose(
                    plan,
                    title=d["title"],
                    text=d["text"],
                    location=d["location"],
                    name=d["name"],
                    phone=d["phone"],
                    anonymous=d["anonymous"],
                )
            except DomainError as err:
                form.add_error(None, err.detail)
                status = err.status
            else:
                limits.count_submit(address, phone)
                return redirect(reverse("livelihood_public:thanks", args=[plan.pk]))
        status = status if status != 200 else 422
    return render(
        request, "livelihood/public/propose.html", {"plan": plan, "form": form}, status=status
    )


@require_GET
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "livelihood/public/thanks.html", {"plan": _plan(pk)})


def _public_plan(pk: int) -> Plan:
    plan = public_plans().filter(pk=valid_pk(pk)).first()
    if plan is None:
        raise Http404
    return plan


@require_GET
def board_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress board of one plan (a congress, a year): on time, late, done; budget spent;
    latest report; the map when coordinates are given; evaluation shares when published."""
    plan = _public_plan(pk)
    return render(
        request,
        "livelihood/public/board.html",
        {"b": board(plan), "plans": list(plans_for_board(plan.congress))},
    )


@require_GET
def board_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _public_plan(pk)
    return FileResponse(
        board_workbook(board(plan)), as_attachment=True, filename=filename(plan, "board")
    )


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A report photo, public when its project is a chosen one of a public plan (re-encoded,
    no metadata: renda.opinions.images)."""
    row = (
        ReportPhoto.objects.select_related("report__project__plan")
        .filter(
            pk=valid_pk(pk),
            report__project__state=CandidateState.CHOSEN,
            report__project__plan__in=public_plans(),
        )
        .first()
    )
    if row is None:
        raise Http404
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
