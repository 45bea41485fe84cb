"""The office's coverage dashboard (issue 4 point 6), its Excel exports, and the page where the
office keeps standing-committee members' fixed contacts with grassroots deputies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.errors import DomainError
from renda.orgs.models import StandingCommitteeMembership

from .actions.public import add_contact_link, remove_contact_link
from .choices import DeputyshipStatus, DutyKind
from .coverage_export import coverage_workbook, export_filename
from .forms_public import CoverageFilterForm
from .models import ContactLink, Deputyship
from .permissions import is_office_of, valid_pk
from .permissions_public import can_use_office_pages, get_office_congress, office_congresses
from .queries_coverage import (
    DUTY_LISTS,
    LIST_TITLES,
    LISTS,
    CoverageFilter,
    coverage_summary,
    current_term,
    flagged_deputies,
    missing_duty,
    sc_below_target,
    sc_members,
    sc_target,
)

PAGE_SIZE = 50
SEARCH_MAX = 20


class _Invalid(Exception):
    def __init__(self, form: CoverageFilterForm) -> None:
        self.form = form


def _filter(
    request: HttpRequest,
) -> tuple[Any, Any, CoverageFilterForm | None, CoverageFilter | None]:
    """(congress, term, form, filter) for the office's request; 404 for anyone else."""
    if not can_use_office_pages(request.user):
        raise Http404
    congress = get_office_congress(request.user, request.GET.get("congress"))
    today = timezone.localdate()
    term = current_term(congress, today)
    if term is None:
        return congress, None, None, None
    form = CoverageFilterForm(request.GET, congress=congress, term=term)
    if not form.is_valid():
        raise _Invalid(form)
    f = CoverageFilter(
        congress=congress,
        term=term,
        today=today,
        delegation=form.cleaned_data.get("delegation"),
        group=form.cleaned_data.get("group"),
    )
    return congress, term, form, f


def _page(qs: QuerySet[Any], count: int, number: Any) -> Page:
    """A page of `qs` whose total is already known (the summary counted it): no COUNT query."""
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.__dict__["count"] = count  # the cached_property, set from the summary
    return paginator.get_page(number)


def _chart(summary: Any) -> dict[str, Any]:
    labels = dict(DutyKind.choices)
    keys = list(DUTY_LISTS)
    return {
        "kinds": [str(labels[DUTY_LISTS[k]]) for k in keys],
        "done": [summary.deputies - summary.missing[k] for k in keys],
        "missing": [summary.missing[k] for k in keys],
        "labels": {"done": _("Done this term"), "missing": _("Not yet")},
    }


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    try:
        congress, term, form, f = _filter(request)
    except _Invalid as bad:
        return render(
            request, "deputies/coverage/dashboard.html", {"invalid": bad.form}, status=422
        )
    key = request.GET.get("list") or "report_back"
    if key not in LISTS:
        raise Http404
    context: dict[str, Any] = {
        "congress": congress,
        "congresses": office_congresses(request.user),
        "term": term,
        "form": form,
        "key": key,
        "title": LIST_TITLES[key],
    }
    if f is None:
        return render(request, "deputies/coverage/dashboard.html", context)
    summary = coverage_summary(f)
    context.update(
        summary=summary,
        f=f,
        chart=_chart(summary),
        cards=[(k, LIST_TITLES[k], summary.count(k)) for k in LISTS],
    )
    if key in DUTY_LISTS:
        context["page"] = _page(missing_duty(f, key), summary.count(key), request.GET.get("page"))
    elif key == "sc_contacts":
        context["members"] = list(sc_below_target(f))
    else:
        context["flagged"] = flagged_deputies(f)
    query = request.GET.copy()
    query.pop("page", None)
    query["list"] = key
    context["query"] = query.urlencode()
    return render(request, "deputies/coverage/dashboard.html", context)


@login_required
@require_GET
def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    """One list of the dashboard, every row, as an Excel workbook (write-only, streamed)."""
    try:
        _congress, _term, _form, f = _filter(request)
    except _Invalid as bad:
        return HttpResponse(
            bad.form.errors.as_text(), status=422, content_type="text/plain; charset=utf-8"
        )
    key = request.GET.get("list") or "report_back"
    if key not in LISTS or f is None:
        raise Http404
    out = coverage_workbook(f, key)
    return FileResponse(out, as_attachment=True, filename=export_filename(f, key))


# --- fixed contacts ---------------------------------------------------------------------------
@login_required
@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    """Every standing-committee member of the term with their fixed contacts and the target."""
    try:
        congress, term, _form, f = _filter(request)
    except _Invalid:
        raise Http404 from None
    members = list(sc_members(f)) if f else []
    return render(
        request,
        "deputies/coverage/contacts.html",
        {
            "congress": congress,
            "congresses": office_congresses(request.user),
            "term": term,
            "members": members,
            "target": sc_target(congress),
        },
    )


def _member_for_office(user: Any, pk: Any) -> StandingCommitteeMembership:
    member = (
        StandingCommitteeMembership.objects.select_related("user", "congress", "term")
        .filter(pk=valid_pk(pk))
        .first()
    )
    if member is None or not is_office_of(user, member.congress_id):
        raise Http404
    return member


@login_required
@require_GET
def member_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's fixed contacts, and a search among the term's active deputies to add one."""
    member = _member_for_office(request.user, pk)
    links = list(
        ContactLink.objects.filter(member=member)
        .select_related("deputyship__person", "deputyship__delegation")
        .order_by("deputyship__person__name", "pk")
    )
    q = (request.GET.get("q") or "").strip()[:50].replace("\x00", "")
    found: list[Deputyship] = []
    if q:
        found = list(
            Deputyship.objects.filter(
                congress=member.congress,
                term=member.term,
                status=DeputyshipStatus.ACTIVE,
                person__name__icontains=q,
            )
            .exclude(person__user=member.user)
            .exclude(Exists(ContactLink.objects.filter(member=member, deputyship=OuterRef("pk"))))
            .select_related("person", "delegation")
            .order_by("person__name", "pk")[:SEARCH_MAX]
        )
    return render(
        request,
        "deputies/coverage/member.html",
        {
            "member": member,
            "links": links,
            "q": q,
            "found": found,
            "target": sc_target(member.congress),
        },
    )


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_office(request.user, pk)
    raw = request.POST.get("deputyship", "")
    deputyship = Deputyship.objects.filter(pk=valid_pk(raw)).first() if raw.isdigit() else None
    if deputyship is None:
        messages.error(request, _("Choose a deputy to add."))
    else:
        try:
            add_contact_link(member, deputyship, by=request.user)
        except DomainError as err:
            messages.error(request, err.detail)
        else:
            messages.success(
                request,
                _("%(name)s is now one of the member's fixed contacts.")
                % {"name": deputyship.person.name},
            )
    return redirect(reverse("deputies:member_contacts", args=[member.pk]))


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = (
        ContactLink.objects.select_related("member", "deputyship__person")
        .filter(pk=valid_pk(pk))
        .first()
    )
    if link is None or not is_office_of(request.user, link.member.congress_id):
        raise Http404
    remove_contact_link(link, by=request.user)
    messages.success(
        request,
        _("%(name)s is no longer one of the member's fixed contacts.")
        % {"name": link.deputyship.person.name},
    )
    return redirect(reverse("deputies:member_contacts", args=[link.member_id]))
