"""The office's pages for the annual deputy-work plan (DEP-PLAN): list, write, edit a draft,
publish, correct a published plan with a new version. A published plan is never edited: the
edit page answers 409 and points to the correction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renda.errors import DomainError

from .actions.public import correct_plan, create_plan, publish_plan, update_plan
from .forms_public import CorrectionForm, PlanForm
from .models import WorkPlan
from .permissions_public import get_office_congress, get_plan_for_office, office_congresses
from .queries_public import with_superseded


def _errors_to_form(form: Any, err: DomainError) -> None:
    field = getattr(err, "code", "")
    form.add_error(field if field in form.fields else None, err.detail)


@login_required
@require_http_methods(["GET"])
def office_plans(request: HttpRequest) -> HttpResponse:
    congress = get_office_congress(request.user, request.GET.get("congress"))
    plans = with_superseded(
        list(WorkPlan.objects.filter(congress=congress).order_by("-year", "-version")[:200])
    )
    return render(
        request,
        "deputies/plans/office.html",
        {"congress": congress, "congresses": office_congresses(request.user), "plans": plans},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    congress = get_office_congress(request.user, request.GET.get("congress"))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = create_plan(congress, by=request.user, **form.cleaned_data)
        except DomainError as err:
            _errors_to_form(form, err)
        else:
            messages.success(request, _("The draft plan is saved. Publish it when it is final."))
            return redirect(reverse("deputies:plan", args=[plan.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "deputies/plans/form.html",
        {"form": form, "congress": congress, "mode": "new"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_office(request.user, pk)
    if plan.published_at is not None:
        return render(request, "deputies/plans/published.html", {"plan": plan}, status=409)
    initial = {
        "year": plan.year,
        "title": plan.title,
        "body": plan.body,
        "adopted_on": plan.adopted_on,
        "correction_note": plan.correction_note,
    }
    form_class = CorrectionForm if plan.version > 1 else PlanForm
    form = form_class(request.POST or None, initial=initial, year_fixed=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_plan(
                plan,
                title=data["title"],
                body=data["body"],
                adopted_on=data["adopted_on"],
                correction_note=data.get("correction_note"),
                by=request.user,
            )
        except DomainError as err:
            if err.code == "published":
                return render(request, "deputies/plans/published.html", {"plan": plan}, status=409)
            _errors_to_form(form, err)
        else:
            messages.success(request, _("The draft plan is saved."))
            return redirect(reverse("deputies:plan", args=[plan.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "deputies/plans/form.html",
        {"form": form, "congress": plan.congress, "mode": "edit", "plan": plan},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_correct(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_office(request.user, pk)
    initial = {
        "year": plan.year,
        "title": plan.title,
        "body": plan.body,
        "adopted_on": plan.adopted_on,
    }
    form = CorrectionForm(request.POST or None, initial=initial, year_fixed=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = correct_plan(
                plan,
                title=data["title"],
                body=data["body"],
                adopted_on=data["adopted_on"],
                correction_note=data["correction_note"],
                by=request.user,
            )
        except DomainError as err:
            _errors_to_form(form, err)
        else:
            messages.success(
                request, _("The correction is saved as a draft. Publish it when it is final.")
            )
            return redirect(reverse("deputies:plan", args=[new.pk]))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "deputies/plans/form.html",
        {"form": form, "congress": plan.congress, "mode": "correct", "plan": plan},
        status=status,
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_office(request.user, pk)
    try:
        publish_plan(plan, by=request.user)
    except DomainError as err:
        messages.error(request, err.detail)
    else:
        messages.success(request, _("The plan is published and the deputies are told."))
    return redirect(reverse("deputies:plan", args=[plan.pk]))
