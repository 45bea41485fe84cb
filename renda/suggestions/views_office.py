"""The deputy-affairs office's pages: the inbox (register, assign, return requests, overdue,
key suggestions) and the actions on a suggestion's page. Thin: reads through queries.py,
objects through permissions.py (404), writes through the actions; a DomainError is a form error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.errors import DomainError

from .actions import merging
from .actions.assignment import assign, decide_return
from .actions.key import mark_key
from .actions.registration import convert, register, reject
from .choices import ReturnState, State
from .forms_office import AssignForm, DecideReturnForm, KeyForm, RejectForm, active_units
from .models import ReturnRequest, Suggestion
from .permissions import (
    can_assign,
    can_mark_key,
    can_register,
    can_see_overdue_board,
    can_use_office_inbox,
    get_return_request_for_user,
    get_suggestion_for_user,
    is_office,
)
from .queries import (
    key_suggestions_board,
    office_suggestions,
    overdue_assignments,
)

SECTION_SIZE = 50
UNIT_SEARCH_MAX = 30


# --- who ----------------------------------------------------------------------------------
def waiting_for_registration(user: Any) -> QuerySet[Suggestion]:
    return (
        office_suggestions(user)
        .filter(state=State.SUBMITTED)
        .select_related("lead_deputy")
        .order_by("submitted_at", "id")
    )


def waiting_for_assignment(user: Any) -> QuerySet[Suggestion]:
    return (
        office_suggestions(user)
        .filter(state=State.REGISTERED)
        .select_related("lead_deputy", "notify_deadline")
        .order_by("registered_at", "id")
    )


def pending_return_requests(user: Any) -> QuerySet[ReturnRequest]:
    return (
        ReturnRequest.objects.filter(
            state=ReturnState.PENDING, assignment__suggestion__in=office_suggestions(user)
        )
        .select_related("assignment__suggestion", "assignment__unit", "assignment__return_deadline")
        .order_by("requested_at", "id")
    )


# --- pages --------------------------------------------------------------------------------
@login_required
@require_GET
def office_inbox(request: HttpRequest) -> HttpResponse:
    if not can_use_office_inbox(request.user):
        raise Http404
    user = request.user
    return render(
        request,
        "suggestions/office/inbox.html",
        {
            "to_register": list(waiting_for_registration(user)[:SECTION_SIZE]),
            "to_assign": list(waiting_for_assignment(user)[:SECTION_SIZE]),
            "returns": list(pending_return_requests(user)[:SECTION_SIZE]),
            "overdue": list(overdue_assignments(user)[:SECTION_SIZE]),
            "key_board": list(key_suggestions_board(user)[:SECTION_SIZE]),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def overdue_board(request: HttpRequest) -> HttpResponse:
    """Point 9: the lead units' overdue answers the user supervises (the office: its
    congresses'; the government supervision office: government units'), oldest due first."""
    if not can_see_overdue_board(request.user):
        raise Http404
    page = Paginator(overdue_assignments(request.user), SECTION_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "suggestions/office/overdue.html", {"page": page, "today": timezone.localdate()}
    )


@login_required
@require_GET
def unit_search(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the active units of the suggestion's congress whose name contains `q`, as
    checkboxes named `field`; units already ticked stay listed and ticked."""
    suggestion = get_suggestion_for_user(request.user, pk)
    if not can_assign(request.user, suggestion):
        raise Http404
    field = request.GET.get("field", "lead_units")
    if field not in {"lead_units", "co_units", "new_lead_units"}:
        field = "lead_units"
    q = request.GET.get("q", "").strip()[:100]
    ticked = {v for v in request.GET.getlist(field) if v.isdigit() and len(v) < 19}
    units = active_units(suggestion.congress_id)
    chosen = list(units.filter(pk__in=ticked)) if ticked else []
    found = units.filter(name__icontains=q) if q else units
    found = [u for u in found.exclude(pk__in=[u.pk for u in chosen])[:UNIT_SEARCH_MAX]]
    return render(
        request,
        "suggestions/office/_unit_options.html",
        {
            "field": field,
            "options": [(u, True) for u in chosen] + [(u, False) for u in found],
            "q": q,
            "prefix": request.GET.get("prefix", "")[:20],
        },
    )


def _data(request: HttpRequest) -> Any:
    """The posted data (even when empty: an empty form is bound and invalid), else None."""
    return request.POST if request.method == "POST" else None


def _form_error(form: Any, exc: DomainError) -> None:
    """An action's refusal as a form error: on the field its detail names, else the form's."""
    detail = str(exc.detail)
    field, sep, rest = detail.partition(": ")
    if sep and field in form.fields:
        form.add_error(field, rest)
    else:
        form.add_error(None, detail)


def _done(request: HttpRequest, suggestion: Suggestion, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("suggestions:detail", pk=suggestion.pk)


def _page(
    request: HttpRequest, suggestion: Suggestion, form: Any, action: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        f"suggestions/office/{action}.html",
        {"suggestion": suggestion, "form": form, **extra},
    )


def _office_suggestion(request: HttpRequest, pk: int, allowed: Any) -> Suggestion:
    suggestion = get_suggestion_for_user(request.user, pk)
    if not allowed(request.user, suggestion):
        raise Http404
    return suggestion


@login_required
def register_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _office_suggestion(request, pk, can_register)
    if request.method != "POST":
        return redirect("suggestions:detail", pk=suggestion.pk)
    try:
        register(suggestion, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("suggestions:detail", pk=suggestion.pk)
    return _done(request, suggestion, _("Registered. Now assign it to its handling units."))


@login_required
def convert_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _office_suggestion(request, pk, is_office)
    if request.method != "POST":
        return redirect("suggestions:detail", pk=suggestion.pk)
    try:
        suggestion = convert(suggestion, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("suggestions:detail", pk=suggestion.pk)
    return _done(
        request,
        suggestion,
        _("Converted: now %(kind)s %(number)s.")
        % {"kind": suggestion.get_kind_display(), "number": suggestion.number},
    )


@login_required
def reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _office_suggestion(request, pk, can_register)
    form = RejectForm(_data(request), suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        try:
            reject(
                suggestion,
                ground=form.cleaned_data["ground"],
                explanation=form.cleaned_data["explanation"],
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _done(request, suggestion, _("Not accepted; the deputy has been told why."))
    return _page(request, suggestion, form, "reject")


@login_required
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _office_suggestion(request, pk, can_assign)
    form = AssignForm(_data(request), suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assign(
                suggestion,
                lead_units=[u.pk for u in data["lead_units"]],
                co_units=[u.pk for u in data["co_units"]],
                complex=bool(data["complex"]),
                assigned_on=data["assigned_on"],
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _done(request, suggestion, _("Assigned. The units and the deputy are told."))
    return _page(request, suggestion, form, "assign", units=_units_for(form, suggestion))


def _units_for(form: Any, suggestion: Suggestion) -> list[Any]:
    """The first units listed under each search box (all of them in a small congress)."""
    return list(active_units(suggestion.congress_id)[:UNIT_SEARCH_MAX])


@login_required
def decide_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    return_request = get_return_request_for_user(request.user, pk)
    suggestion = get_suggestion_for_user(request.user, return_request.assignment.suggestion_id)
    if not is_office(request.user, suggestion):
        raise Http404
    form = DecideReturnForm(_data(request), suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            decide_return(
                return_request,
                approve=approve,
                new_lead_units=[u.pk for u in data["new_lead_units"]],
                note=data["note"],
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _done(
                request,
                suggestion,
                _("Return approved.") if approve else _("Return refused; the unit keeps it."),
            )
    return _page(
        request,
        suggestion,
        form,
        "decide_return",
        return_request=return_request,
        units=_units_for(form, suggestion),
    )


@login_required
def mark_key_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _office_suggestion(request, pk, can_mark_key)
    form = KeyForm(_data(request), suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        try:
            mark_key(
                suggestion,
                supervisor=form.cleaned_data["supervisor"],
                committee=form.cleaned_data["committee"],
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _done(request, suggestion, _("Marked as a key suggestion."))
    return _page(request, suggestion, form, "mark_key")


@login_required
@require_POST
def merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """并案: merge this suggestion into another (`into`, posted) for joint handling."""
    suggestion = _office_suggestion(request, pk, is_office)
    try:
        into = get_suggestion_for_user(request.user, request.POST.get("into"))
    except Http404:
        messages.error(request, _("No such suggestion you may see."))
        return redirect("suggestions:detail", pk=suggestion.pk)
    try:
        merging.merge(suggestion, into=into, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("suggestions:detail", pk=suggestion.pk)
    return _done(
        request,
        suggestion,
        _("Merged into %(number)s for joint handling: its answer will reach this deputy too.")
        % {"number": into.number},
    )


@login_required
@require_POST
def unmerge_view(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _office_suggestion(request, pk, is_office)
    try:
        merging.unmerge(suggestion, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("suggestions:detail", pk=suggestion.pk)
    return _done(request, suggestion, _("Handled on its own again: assign it to its units."))
