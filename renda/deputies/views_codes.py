"""The deputy code (代表码): the deputy's own page with their code, each code as SVG (screen) or
PNG with the name under it (print), and the office's printable sheet of a delegation's codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from .choices import DeputyshipStatus
from .codes import qr_for, qr_png, qr_svg
from .models import PUBLISHABLE_FIELDS, Delegation, Deputyship
from .permissions import public_fields_of, valid_pk
from .permissions_public import get_deputyship_code_for_user, get_office_congress
from .queries_coverage import current_term
from .queries_public import FIELD_LABELS, own_deputyships

SHEET_PAGE = 24


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def profile_url(request: HttpRequest, deputyship: Deputyship) -> str:
    """The profile's address the code carries: RENDA_PUBLIC_URL when set (codes are printed for
    the public, whatever address the office uses), else this request's."""
    path = reverse("deputy_public:profile", args=[deputyship.public_code])
    base = getattr(settings, "RENDA_PUBLIC_URL", "")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def inline_svg(url: str) -> str:
    # segno writes only <svg>/<path> (no script); the URL is ours, escaped by segno.
    return mark_safe(qr_for(url).svg_inline(scale=4, border=4, omitsize=True))  # noqa: S308


def _field_labels(deputyship: Deputyship) -> list[str]:
    fields = public_fields_of(deputyship)
    return [str(FIELD_LABELS[f]) for f in PUBLISHABLE_FIELDS if f in fields]


@login_required
@require_GET
def my_code(request: HttpRequest) -> HttpResponse:
    """The deputy's own code(s), with the profile link and what the profile publishes."""
    rows = list(own_deputyships(request.user))
    if not rows:
        raise Http404
    cards = []
    for d in rows:
        url = profile_url(request, d)
        cards.append(
            {
                "d": d,
                "url": url,
                "svg": inline_svg(url),
                "fields": _field_labels(d),
                "ended": d.status == DeputyshipStatus.ENDED,
            }
        )
    return render(request, "deputies/codes/mine.html", {"cards": cards})


@login_required
@require_GET
def code_svg(request: HttpRequest, pk: int) -> HttpResponse:
    deputyship = get_deputyship_code_for_user(request.user, pk)
    body = qr_svg(profile_url(request, deputyship), title=deputyship.person.name)
    response = HttpResponse(body, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def code_png(request: HttpRequest, pk: int) -> HttpResponse:
    """For print: the code with the deputy's name under it, as a download."""
    deputyship = get_deputyship_code_for_user(request.user, pk)
    body = qr_png(profile_url(request, deputyship), caption=deputyship.person.name)
    response = HttpResponse(body, content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        True, f"代表码-{deputyship.person.name}.png"
    )
    return response


@login_required
@require_GET
def code_sheet(request: HttpRequest) -> HttpResponse:
    """The office's printable sheet of its deputies' codes (a delegation at a time, or all),
    with each name under its code."""
    congress = get_office_congress(request.user, request.GET.get("congress"))
    term = current_term(congress, timezone.localdate())
    delegations = list(Delegation.objects.filter(term=term).order_by("name")) if term else []
    delegation = None
    raw = request.GET.get("delegation", "")
    if raw:
        pk = valid_pk(raw)
        delegation = next((d for d in delegations if d.pk == pk), None)
        if delegation is None:
            raise Http404
    qs = Deputyship.objects.none()
    if term is not None:
        qs = (
            Deputyship.objects.filter(congress=congress, term=term, status=DeputyshipStatus.ACTIVE)
            .select_related("person", "delegation")
            .order_by("delegation__name", "person__name", "pk")
        )
        if delegation is not None:
            qs = qs.filter(delegation=delegation)
    page = Paginator(qs, SHEET_PAGE).get_page(request.GET.get("page"))
    items: list[dict[str, Any]] = [
        {"d": d, "svg": inline_svg(profile_url(request, d))} for d in page.object_list
    ]
    return render(
        request,
        "deputies/codes/sheet.html",
        {
            "congress": congress,
            "term": term,
            "delegations": delegations,
            "delegation": delegation,
            "page": page,
            "items": items,
            "query": _without_page(request),
        },
    )
