"""The registry's lists the office keeps: delegations of each term, deputy and professional
groups (members from this congress and the congresses above or below it; leaders marked), and
expertise tags. Thin: permission helpers, the actions in actions/registry_groups.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.permissions import office_congress_ids
from renda.audit.queries import history_of
from renda.errors import DomainError

from .actions import registry_groups as actions
from .forms_registry import DelegationForm, GroupEditForm, GroupForm, NameForm, TagForm
from .models import DeputyGroup, Deputyship, ExpertiseTag, GroupMembership
from .permissions import can_manage_deputies, can_use_registry, related_congress_ids, valid_pk
from .queries_registry import delegations_of, groups_for

SEARCH_MAX = 20


def _registry(request: HttpRequest) -> Any:
    if not can_use_registry(request.user):
        raise Http404
    return office_congress_ids(request.user)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- delegations --------------------------------------------------------------------------------
@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    offices = _registry(request)
    form = DelegationForm(_data(request), congress_ids=offices)
    if request.method == "POST" and form.is_valid():
        term = form.cleaned_data["term"]
        try:
            actions.create_delegation(
                term.congress, term, name=form.cleaned_data["name"], by=request.user
            )
        except DomainError as exc:
            form.add_error("name", exc.detail)
        else:
            messages.success(request, _("The delegation was added."))
            return redirect("deputies:delegations")
    rows = delegations_of(offices).annotate(deputies=Count("deputyships"))
    return render(request, "deputies/registry/delegations.html", {"form": form, "rows": rows})


@login_required
def delegation_rename(request: HttpRequest, pk: int) -> HttpResponse:
    offices = _registry(request)
    delegation = delegations_of(offices).filter(pk=valid_pk(pk)).first()
    if delegation is None:
        raise Http404
    form = NameForm(_data(request), initial={"name": delegation.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_delegation(delegation, name=form.cleaned_data["name"], by=request.user)
        except DomainError as exc:
            form.add_error("name", exc.detail)
        else:
            messages.success(request, _("The delegation was renamed."))
            return redirect("deputies:delegations")
    return render(
        request,
        "deputies/registry/simple_form.html",
        {"form": form, "title": _("Rename delegation"), "subject": delegation.name},
    )


# --- groups -------------------------------------------------------------------------------------
@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    offices = _registry(request)
    form = GroupForm(_data(request), congress_ids=offices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = actions.create_group(
                d["congress"], name=d["name"], kind=d["kind"], by=request.user
            )
        except DomainError as exc:
            form.add_error("name", exc.detail)
        else:
            messages.success(request, _("The group was added. Now add its members."))
            return redirect("deputies:group_detail", pk=group.pk)
    rows = groups_for(request.user).annotate(
        member_count=Count("memberships"),
        leader_count=Count("memberships", filter=Q(memberships__is_leader=True)),
    )
    return render(request, "deputies/registry/groups.html", {"form": form, "rows": rows})


def _group(request: HttpRequest, pk: Any) -> DeputyGroup:
    _registry(request)
    group = groups_for(request.user).filter(pk=valid_pk(pk)).first()
    if group is None:
        raise Http404
    return group


def _members(group: DeputyGroup) -> list[GroupMembership]:
    return list(
        GroupMembership.objects.filter(group=group)
        .select_related("deputyship__person", "deputyship__congress")
        .order_by("-is_leader", "deputyship__person__name")
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    form = GroupEditForm(_data(request), initial={"name": group.name, "kind": group.kind})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_group(
                group,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error("name", exc.detail)
        else:
            messages.success(request, _("The group was saved."))
            return redirect("deputies:group_detail", pk=group.pk)
    return render(
        request,
        "deputies/registry/group.html",
        {"group": group, "form": form, "members": _members(group), "history": history_of(group)},
    )


def _candidates(group: DeputyGroup, q: str) -> list[Deputyship]:
    """Deputies who may join: of this congress or one above or below, not ended, not members."""
    if not q:
        return []
    return list(
        Deputyship.objects.filter(congress_id__in=related_congress_ids(group.congress_id))
        .exclude(status="ended")
        .exclude(group_memberships__group=group)
        .filter(Q(person__name__icontains=q) | Q(person__workplace__icontains=q))
        .select_related("person", "congress")
        .order_by("person__name", "pk")[:SEARCH_MAX]
    )


@login_required
@require_GET
def group_member_search(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: deputies matching `q` who may join the group."""
    group = _group(request, pk)
    q = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    return render(
        request,
        "deputies/registry/_member_options.html",
        {"group": group, "candidates": _candidates(group, q), "q": q},
    )


@login_required
@require_POST
def group_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Add, remove, or mark/unmark a leader (`do` = add | remove | lead | unlead)."""
    group = _group(request, pk)
    deputyship = Deputyship.objects.filter(pk=valid_pk(request.POST.get("deputyship"))).first()
    if deputyship is None or not can_manage_deputies(request.user, group.congress_id):
        raise Http404
    verb = request.POST.get("do", "")
    try:
        if verb == "add":
            actions.add_group_member(group, deputyship, by=request.user)
        elif verb == "remove":
            actions.remove_group_member(group, deputyship, by=request.user)
        elif verb in ("lead", "unlead"):
            actions.set_group_leader(group, deputyship, leader=verb == "lead", by=request.user)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The group's members were saved."))
    return redirect("deputies:group_detail", pk=group.pk)


# --- expertise tags -----------------------------------------------------------------------------
@login_required
def tag_list(request: HttpRequest) -> HttpResponse:
    _registry(request)
    form = TagForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_tag(name=form.cleaned_data["name"], by=request.user)
        except DomainError as exc:
            form.add_error("name", exc.detail)
        else:
            messages.success(request, _("The tag was added."))
            return redirect("deputies:tags")
    rows = ExpertiseTag.objects.annotate(people_count=Count("people")).order_by("name")
    return render(request, "deputies/registry/tags.html", {"form": form, "rows": rows})


def _tag(request: HttpRequest, pk: Any) -> ExpertiseTag:
    _registry(request)
    tag = ExpertiseTag.objects.filter(pk=valid_pk(pk)).first()
    if tag is None:
        raise Http404
    return tag


@login_required
def tag_rename(request: HttpRequest, pk: int) -> HttpResponse:
    tag = _tag(request, pk)
    form = TagForm(_data(request), initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_tag(tag, name=form.cleaned_data["name"], by=request.user)
        except DomainError as exc:
            form.add_error("name", exc.detail)
        else:
            messages.success(request, _("The tag was renamed."))
            return redirect("deputies:tags")
    return render(
        request,
        "deputies/registry/simple_form.html",
        {"form": form, "title": _("Rename tag"), "subject": tag.name},
    )


@login_required
@require_POST
def tag_remove(request: HttpRequest, pk: int) -> HttpResponse:
    tag = _tag(request, pk)
    try:
        actions.remove_tag(tag, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The tag was removed."))
    return redirect("deputies:tags")
