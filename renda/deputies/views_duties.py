"""Duty-record pages: the deputy's "My duties" (我的履职: records by year and kind, upcoming
activities, leave awaiting a decision) and the office's list, hand entry and removal.

Thin: reads through queries_activities, objects through permissions_activities (404), writes
through actions/manual_duties (a DomainError is a form error or a message, never a 500).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renda.accounts.permissions import office_congress_ids
from renda.errors import DomainError
from renda.orgs.models import Congress

from .actions import activities as activity_actions
from .actions.manual_duties import record_manual_duty, remove_manual_duty
from .choices import ActivityState, DutyKind, DutySource, LeaveState
from .forms_activities import DutyRecordForm, NoteReasonForm
from .models import Deputyship, DutyRecord
from .permissions import valid_pk
from .permissions_activities import (
    MANUAL_KINDS,
    can_record_duties,
    can_use_duty_records_office,
    get_duty_record_for_user,
    is_deputy,
)
from .queries_activities import (
    active_deputies_of,
    my_duty_records,
    my_duty_years,
    my_leave_requests,
    office_duty_records,
    upcoming_for_deputy,
)
from .views_activities import attach_error, chosen_congress, picker_options

PAGE_SIZE = 50


def has_duty_record(user: Any) -> bool:
    """ "My duties" is for deputies, and for former deputies (their past records)."""
    return is_deputy(user) or Deputyship.objects.filter(person__user_id=user.pk).exists()


def _year(request: HttpRequest, years: list[int]) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and len(value) == 4 and int(value) in years:
        return int(value)
    return timezone.localdate().year


@login_required
@require_GET
def my_duties(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_duty_record(user):
        raise Http404
    years = my_duty_years(user)
    year = _year(request, years)
    kinds = [k for k in request.GET.getlist("kind") if k in DutyKind.values]
    records = my_duty_records(user, year=year, kinds=kinds)
    counts = dict(
        DutyRecord.objects.filter(deputyship__person__user_id=user.pk, year=year)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    now = timezone.now()
    upcoming = list(upcoming_for_deputy(user, now)[:20])
    for row in upcoming:
        row.window_open = activity_actions.window_open(row.activity, now)
        row.may_ask_leave = (
            row.leave_state is None and not row.checked_in_at and now < row.activity.starts_at
        )
    pending = list(
        my_leave_requests(user)
        .filter(state=LeaveState.REQUESTED, activity__state=ActivityState.PLANNED)
        .order_by("activity__starts_at")
    )
    return render(
        request,
        "deputies/duties/mine.html",
        {
            "year": year,
            "years": years,
            "kinds": kinds,
            "kind_choices": [(k, label, counts.get(k, 0)) for k, label in DutyKind.choices],
            "total": sum(counts.values()),
            "page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")),
            "upcoming": upcoming,
            "pending": pending,
            "now": now,
        },
    )


# --- the office -----------------------------------------------------------------------------
def _office_congresses(user: Any) -> list[Congress]:
    ids = office_congress_ids(user)
    qs = Congress.objects.all() if ids is None else Congress.objects.filter(pk__in=ids)
    return list(qs.order_by("level", "name"))


@login_required
@require_GET
def office_duty_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_duty_records_office(user):
        raise Http404
    qs = office_duty_records(user)
    q = request.GET.get("q", "").strip()[:50].replace("\x00", "")
    if q:
        qs = qs.filter(deputyship__person__name__icontains=q)
    kind = request.GET.get("kind", "")
    if kind in DutyKind.values:
        qs = qs.filter(kind=kind)
    source = request.GET.get("source", "")
    if source in DutySource.values:
        qs = qs.filter(source=source)
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        qs = qs.filter(year=int(year))
    return render(
        request,
        "deputies/duties/office_list.html",
        {
            "page": Paginator(qs.order_by("-occurred_on", "-id"), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "q": q,
            "kind": kind,
            "source": source,
            "year": year,
            "kind_choices": DutyKind.choices,
            "source_choices": DutySource.choices,
        },
    )


@login_required
def office_duty_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    congresses = [c for c in _office_congresses(user) if can_record_duties(user, c)]
    if not congresses:
        raise Http404
    congress = chosen_congress(request, congresses)
    if congress is None:
        return render(
            request,
            "deputies/activities/choose_congress.html",
            {"congresses": congresses, "for_duties": True},
        )
    form = DutyRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        deputyship = active_deputies_of(congress.pk).filter(pk=form.cleaned_data["deputy"]).first()
        if deputyship is None:
            form.add_error("deputy", _("Choose an active deputy of this congress."))
        else:
            d = form.cleaned_data
            try:
                record_manual_duty(
                    deputyship,
                    kind=d["kind"],
                    occurred_on=d["occurred_on"],
                    title=d["title"],
                    note=d["note"],
                    by=user,
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("Duty recorded; the deputy is told."))
                return redirect("deputies:office_duty_list")
    ticked = form.data.get("deputy", "") if form.is_bound else ""
    return render(
        request,
        "deputies/duties/office_new.html",
        {
            "form": form,
            "congress": congress,
            "options": picker_options(congress.pk, [ticked]),
            "manual_kinds": MANUAL_KINDS,
        },
    )


@login_required
def office_duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_duty_record_for_user(request.user, valid_pk(pk))
    if not can_record_duties(request.user, record.deputyship.congress_id):
        raise Http404
    form = NoteReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            remove_manual_duty(record, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Duty record removed; the deputy is told."))
            return redirect("deputies:office_duty_list")
    return render(request, "deputies/duties/office_remove.html", {"record": record, "form": form})
