"""Citizens' messages (群众留言): the deputy's inbox (the opinions citizens address to them from
their profile — renda.opinions, channel deputy_code — and the messages kept from before), the
office's list for follow-up, and marking a message read. Nobody else sees them; the name and
phone a citizen left are shown only here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role
from renda.errors import DomainError
from renda.opinions.models import Opinion
from renda.opinions.queries_receiving import STATE_WORDS

from .actions.public import mark_message_read
from .models import CitizenMessage
from .permissions import valid_pk
from .permissions_public import (
    can_use_office_pages,
    get_message_for_user,
    get_office_congress,
    office_congresses,
)
from .queries_public import own_deputyships

PAGE_SIZE = 20


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The deputy's own citizens' messages, newest first; unread ones marked."""
    deputyships = list(own_deputyships(request.user))
    if not deputyships and not has_role(request.user, Role.DEPUTY):
        raise Http404
    qs = CitizenMessage.objects.filter(deputyship__in=deputyships).select_related(
        "deputyship__congress"
    )
    unread_only = request.GET.get("unread") == "1"
    unread = qs.filter(read_at__isnull=True).count()
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    opinions = Paginator(
        Opinion.objects.filter(deputy__in=deputyships)
        .select_related("category__parent", "deputy__congress")
        .order_by("-created_at", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("opage"))
    for o in opinions.object_list:
        o.state_words = STATE_WORDS.get(o.state, o.state)
    return render(
        request,
        "deputies/messages/inbox.html",
        {
            "opinions": opinions,
            "has_messages": CitizenMessage.objects.filter(deputyship__in=deputyships).exists(),
            "page": page,
            "unread": unread,
            "unread_only": unread_only,
            "several": len({d.congress_id for d in deputyships}) > 1,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message_for_user(request.user, pk)
    try:
        mark_message_read(message, by=request.user)
    except DomainError as err:
        messages.error(request, err.detail)
    if request.htmx:
        message.refresh_from_db()
        return render(request, "deputies/messages/_message.html", {"m": message, "own": True})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("deputies:messages")


@login_required
@require_GET
def office_inbox(request: HttpRequest) -> HttpResponse:
    """The office's list of the messages left for its congress's deputies (for follow-up)."""
    if not can_use_office_pages(request.user):
        raise Http404
    congress = get_office_congress(request.user, request.GET.get("congress"))
    qs = CitizenMessage.objects.filter(deputyship__congress=congress).select_related(
        "deputyship__person"
    )
    raw = request.GET.get("deputy", "")
    if raw:
        qs = qs.filter(deputyship_id=valid_pk(raw))
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/messages/office.html",
        {
            "page": page,
            "congress": congress,
            "congresses": office_congresses(request.user),
            "unread_only": unread_only,
            "query": _without_page(request),
        },
    )
