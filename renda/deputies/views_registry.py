"""The registry's pages for the deputy-affairs office (and a deputy's own record): the list with
its filters and search as you type (htmx), the export, a deputy's page, the edit, suspension,
resumption and end (DEP-SUSPEND, DEP-TERMINATE), the published fields (DEP-PUBLIC), and "My
deputy record". Thin: objects through permissions.py (404 for missing and forbidden alike),
reads through queries_registry.py, writes through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.permissions import mask_phone, office_congress_ids
from renda.audit.models import AuditEvent
from renda.errors import DomainError

from .actions.registry import (
    edit_deputy,
    edit_own_details,
    end_deputyship,
    resume_deputyship,
    set_public_fields,
    show_id_number,
    suspend_deputyship,
)
from .choices import DeputyshipStatus
from .forms_registry import (
    PUBLIC_FIELD_LABELS,
    EndForm,
    FilterForm,
    OwnDetailsForm,
    PersonForm,
    PublicFieldsForm,
    ResumeForm,
    SuspendForm,
)
from .idcards import mask_id_number
from .models import Deputyship, DutyRecord, GroupMembership
from .permissions import (
    can_manage_deputies,
    can_see_private,
    can_use_registry,
    get_deputyship_for_viewer,
    get_managed_deputyship,
    is_own,
    public_fields_of,
)
from .queries_registry import (
    DeputyFilter,
    filter_deputyships,
    listed_deputyships,
    managed_deputyships,
)
from .registry_export import export_file

PAGE_SIZE = 25


def _require_registry(user: Any) -> None:
    if not can_use_registry(user):
        raise Http404


def _filtered(request: HttpRequest) -> tuple[FilterForm, Any]:
    user = request.user
    form = FilterForm(request.GET or None, congress_ids=office_congress_ids(user))
    qs = managed_deputyships(user)
    if form.is_bound:
        if not form.is_valid():
            return form, qs.none()
        d = form.cleaned_data
        qs = filter_deputyships(
            qs,
            DeputyFilter(
                congress=d["congress"].pk if d["congress"] else None,
                term=d["term"].pk if d["term"] else None,
                delegation=d["delegation"].pk if d["delegation"] else None,
                group=d["group"].pk if d["group"] else None,
                status=d["status"] or None,
                tag=d["tag"].pk if d["tag"] else None,
                q=d["q"],
            ),
        )
    return form, listed_deputyships(qs)


@login_required
@require_GET
def registry_list(request: HttpRequest) -> HttpResponse:
    """The office's deputies, filtered; as you type in the search box only the results are
    re-rendered (htmx), and the address keeps the filters so the page can be shared."""
    _require_registry(request.user)
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    more = ("congress", "term", "delegation", "group", "status", "tag")
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "more_filters": any(request.GET.get(k) for k in more),
    }
    if request.htmx and request.htmx.target == "registry-results":
        return render(request, "deputies/registry/_results.html", context)
    return render(request, "deputies/registry/list.html", context)


@login_required
@require_GET
def registry_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as a roster workbook (the import template's columns)."""
    _require_registry(request.user)
    _form, qs = _filtered(request)
    offices = office_congress_ids(request.user)
    out = export_file(qs.iterator(chunk_size=1000), private_congresses=offices)
    name = f"deputies-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name)


# --- a deputy's page ----------------------------------------------------------------------------
def _history(deputyship: Deputyship) -> Any:
    """The deputyship's events and its person's (personal details changed, ID number shown)."""
    kinds = ContentType.objects.get_for_models(Deputyship, deputyship.person.__class__)
    return AuditEvent.objects.filter(
        Q(object_type=kinds[Deputyship], object_id=str(deputyship.pk))
        | Q(object_type=kinds[deputyship.person.__class__], object_id=str(deputyship.person_id))
    ).order_by("-id")[:200]


def _published(deputyship: Deputyship, groups: list[GroupMembership]) -> list[tuple[Any, str]]:
    """DEP-PUBLIC: the published fields, as (label, value); never personal data."""
    p = deputyship.person
    values = {
        "gender": p.get_gender_display(),
        "ethnicity": p.ethnicity,
        "party": p.get_party_display(),
        "workplace": p.workplace,
        "electoral_unit": deputyship.electoral_unit,
        "delegation": deputyship.delegation.name if deputyship.delegation else "",
        "groups": "、".join(m.group.name for m in groups),
        "sector": p.get_sector_display(),
        "expertise": "、".join(t.name for t in p.expertise.all()),
    }
    return [(PUBLIC_FIELD_LABELS[k], v) for k, v in values.items() if v]


def _detail_context(request: HttpRequest, deputyship: Deputyship) -> dict[str, Any]:
    user = request.user
    private = can_see_private(user, deputyship)
    office = can_manage_deputies(user, deputyship.congress_id)
    groups = list(
        GroupMembership.objects.filter(deputyship=deputyship)
        .select_related("group")
        .order_by("group__name")
    )
    year = timezone.localdate().year
    published = public_fields_of(deputyship)
    fields = _published(deputyship, groups)
    if not private:
        keys = {v: k for k, v in PUBLIC_FIELD_LABELS.items()}
        fields = [(label, value) for label, value in fields if keys[label] in published]
    phone = deputyship.person.user.phone
    return {
        "d": deputyship,
        "person": deputyship.person,
        "fields": fields,
        "private": private,
        "office": office,
        "own": is_own(user, deputyship),
        "masked_id": mask_id_number(deputyship.person.id_number or ""),
        "phone": phone if private else mask_phone(phone),
        "groups": groups,
        "year": year,
        "duties": list(
            DutyRecord.objects.filter(deputyship=deputyship, year=year).order_by(
                "-occurred_on", "-id"
            )[:100]
        )
        if private
        else [],
        "history": _history(deputyship) if private else [],
        "published": [PUBLIC_FIELD_LABELS[f] for f in deputyship.public_fields or []],
    }


@login_required
@require_GET
def deputy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deputyship = get_deputyship_for_viewer(request.user, pk)
    return render(request, "deputies/registry/detail.html", _detail_context(request, deputyship))


@login_required
@require_POST
def id_number_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole ID-card number, on request (audited); htmx swaps it in place."""
    deputyship = get_deputyship_for_viewer(request.user, pk)
    if not can_see_private(request.user, deputyship):
        raise Http404
    number = show_id_number(deputyship, by=request.user)
    if request.htmx:
        return render(request, "deputies/registry/_id_number.html", {"number": number})
    context = _detail_context(request, deputyship)
    context["masked_id"] = number
    return render(request, "deputies/registry/detail.html", context)


# --- the office's changes -----------------------------------------------------------------------
def _form_error(form: Any, exc: DomainError) -> None:
    """An action's refusal as a form error: on the field its detail names, else the form's."""
    field = {"id_number": "id_number", "phone": "phone", "birth_month": "id_number"}.get(
        exc.code, None
    )
    if exc.code == "gender":
        field = "gender"
    if field and field in form.fields:
        form.add_error(field, exc.detail)
    else:
        form.add_error(None, exc.detail)


def _done(request: HttpRequest, deputyship: Deputyship, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("deputies:deputy_detail", pk=deputyship.pk)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
def deputy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deputyship = get_managed_deputyship(request.user, pk)
    form = PersonForm(
        _data(request), initial=PersonForm.initial_for(deputyship), deputyship=deputyship
    )
    if request.method == "POST" and form.is_valid():
        try:
            edit_deputy(
                deputyship,
                person=form.person_in(),
                electoral_unit=form.cleaned_data["electoral_unit"],
                delegation=form.cleaned_data["delegation"],
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _done(request, deputyship, _("The deputy's record was saved."))
    return render(
        request, "deputies/registry/form.html", _form_page(deputyship, form, _("Edit record"))
    )


def _form_page(deputyship: Deputyship, form: Any, title: str, **extra: Any) -> dict[str, Any]:
    return {"d": deputyship, "form": form, "title": title, **extra}


@login_required
def deputy_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    """DEP-SUSPEND: the office records that a deputy's duties are suspended."""
    deputyship = get_managed_deputyship(request.user, pk)
    form = SuspendForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            suspend_deputyship(deputyship, **form.cleaned_data, by=request.user)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            return _done(request, deputyship, _("The deputy's duties are recorded as suspended."))
    return render(
        request,
        "deputies/registry/form.html",
        _form_page(deputyship, form, _("Suspend duties"), rule="DEP-SUSPEND"),
    )


@login_required
def deputy_resume(request: HttpRequest, pk: int) -> HttpResponse:
    deputyship = get_managed_deputyship(request.user, pk)
    form = ResumeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            resume_deputyship(deputyship, on=form.cleaned_data["on"], by=request.user)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            return _done(request, deputyship, _("The deputy's duties resumed."))
    return render(
        request, "deputies/registry/form.html", _form_page(deputyship, form, _("Resume duties"))
    )


@login_required
def deputy_end(request: HttpRequest, pk: int) -> HttpResponse:
    """DEP-TERMINATE: the legal ground and the date, confirmed; only ever the office's act."""
    deputyship = get_managed_deputyship(request.user, pk)
    form = EndForm(_data(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            end_deputyship(
                deputyship, ground=d["ground"], on=d["on"], note=d["note"], by=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            return _done(request, deputyship, _("The deputyship is recorded as ended."))
    return render(
        request,
        "deputies/registry/form.html",
        _form_page(deputyship, form, _("End the deputyship"), rule="DEP-TERMINATE", danger=True),
    )


@login_required
def deputy_public_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """DEP-PUBLIC: what the public profile shows; the office or the deputy decides."""
    deputyship = get_deputyship_for_viewer(request.user, pk)
    if not (
        is_own(request.user, deputyship)
        or can_manage_deputies(request.user, deputyship.congress_id)
    ):
        raise Http404
    form = PublicFieldsForm(_data(request), initial={"fields_": deputyship.public_fields})
    if request.method == "POST" and form.is_valid():
        try:
            set_public_fields(deputyship, fields=form.cleaned_data["fields_"], by=request.user)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            return _done(request, deputyship, _("The published fields were saved."))
    return render(
        request,
        "deputies/registry/form.html",
        _form_page(deputyship, form, _("Published fields"), rule="DEP-PUBLIC"),
    )


# --- My deputy record -----------------------------------------------------------------------------
def _own_deputyships(user: Any) -> list[Deputyship]:
    return list(
        Deputyship.objects.filter(person__user_id=user.pk)
        .select_related("congress", "term", "delegation")
        .order_by("status", "congress__level", "-term__number")
    )


@login_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    """The deputy's own record: straight to it when there is one seat, else the list."""
    seats = _own_deputyships(request.user)
    if not seats:
        raise Http404
    active = [s for s in seats if s.status != DeputyshipStatus.ENDED]
    if len(seats) == 1 or len(active) == 1:
        return redirect("deputies:deputy_detail", pk=(active or seats)[0].pk)
    return render(request, "deputies/registry/mine.html", {"seats": seats})


@login_required
def my_details(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy updates their own phone, address and expertise."""
    deputyship = get_deputyship_for_viewer(request.user, pk)
    if not is_own(request.user, deputyship):
        raise Http404
    person = deputyship.person
    initial = {
        "phone": person.user.phone,
        "address": person.address,
        "expertise": ", ".join(t.name for t in person.expertise.all()),
    }
    form = OwnDetailsForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edit_own_details(
                deputyship,
                address=form.cleaned_data["address"],
                phone=form.cleaned_data["phone"],
                expertise=form.tags(),
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            return _done(request, deputyship, _("Your details were saved."))
    return render(
        request, "deputies/registry/form.html", _form_page(deputyship, form, _("My details"))
    )
