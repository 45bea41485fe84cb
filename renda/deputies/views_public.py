"""Public pages (no sign-in): a deputy's profile reached by the deputy code (DEP-PUBLIC), the
citizen's message form on it, the published photo, and the published work plans (DEP-PLAN).

Nothing here reads private data: the profile is built by queries_public.public_profile from the
published fields alone; the photo is served only while it is published.
"""

from __future__ import annotations

from typing import Any

import filetype
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.audit.addresses import client_address
from renda.errors import DomainError
from renda.opinions import limits as opinion_limits
from renda.opinions.actions.receiving import (
    clean_phone,
    default_category,
    phone_key,
    submit_opinion,
)
from renda.opinions.choices import Channel
from renda.orgs.models import Congress

from . import ratelimits
from .choices import DeputyshipStatus
from .forms_public import CitizenMessageForm
from .models import WorkPlan
from .permissions import public_fields_of, valid_pk
from .permissions_public import can_manage_plans, get_plan_for_user
from .queries_public import get_public_deputyship, public_profile, published_plans, with_superseded

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= today.year:
        return int(raw)
    return today.year


def _render_profile(
    request: HttpRequest, deputyship: Any, form: CitizenMessageForm, status: int = 200
) -> HttpResponse:
    data = public_profile(deputyship, _year(request))
    return render(
        request,
        "deputies/public/profile.html",
        {
            "p": data,
            "d": deputyship,
            "form": form,
            "takes_messages": deputyship.status == DeputyshipStatus.ACTIVE,
        },
        status=status,
    )


@require_GET
def profile(request: HttpRequest, code: str) -> HttpResponse:
    """DEP-PUBLIC: the deputy's published information and the year's duties."""
    deputyship = get_public_deputyship(code)
    return _render_profile(request, deputyship, CitizenMessageForm())


def _too_many(request: HttpRequest, verdict: ratelimits.Verdict) -> HttpResponse:
    response = render(
        request,
        "deputies/public/too_many.html",
        {
            "retry_at": timezone.localtime(verdict.retry_at),
            "minutes": max(1, round(verdict.retry_after_seconds / 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after_seconds)
    return response


def _phone_of(request: HttpRequest) -> str:
    try:
        return phone_key(clean_phone(request.POST.get("phone", "")))
    except DomainError:
        return ""  # the form says what is wrong with it


@require_POST
def message(request: HttpRequest, code: str) -> HttpResponse:
    """A citizen's message, kept as an opinion addressed to this deputy (channel deputy_code):
    no account; CSRF, a honeypot and the opinions' limits per address and per phone. The
    citizen is shown the tracking code to follow the answer."""
    deputyship = get_public_deputyship(code)
    address = client_address(request)
    phone = _phone_of(request)
    verdict = opinion_limits.check_submit(address, phone)
    if not verdict.allowed:
        return _too_many(request, verdict)
    form = CitizenMessageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # a bot filled the honeypot: thank it, keep nothing
            opinion_limits.count_submit(address, phone)
            messages.success(request, _("Thank you: your message was sent to the deputy."))
            return redirect(reverse("deputy_public:profile", args=[code]) + "#message")
        try:
            opinion = submit_opinion(
                deputy=deputyship,
                channel=Channel.DEPUTY_CODE,
                category=data["category"] or default_category().pk,
                text=data["text"],
                name=data["name"],
                phone=data["phone"],
            )
        except DomainError as err:
            form.add_error(None, err.detail)
        else:
            opinion_limits.count_submit(address, phone)
            url = reverse("opinion_public:track", args=[opinion.tracking_code])
            return redirect(f"{url}?sent=1")
    return _render_profile(request, deputyship, form, status=422)


@require_GET
def photo(request: HttpRequest, code: str) -> HttpResponse:
    """DEP-PUBLIC: the photo, only while the deputy and the office publish it (never a public
    media URL: withdrawing it takes effect at once)."""
    deputyship = get_public_deputyship(code)
    person = deputyship.person
    if "photo" not in public_fields_of(deputyship) or not person.photo:
        raise Http404
    try:
        fh = person.photo.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    kind = filetype.guess(fh.read(262))
    fh.seek(0)
    if kind is None or kind.mime not in PHOTO_TYPES:
        fh.close()
        raise Http404
    response = FileResponse(fh, content_type=kind.mime)
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def public_plans(request: HttpRequest, congress: int) -> HttpResponse:
    """DEP-PLAN: a congress's published deputy-work plans, newest first."""
    congress_obj = Congress.objects.filter(pk=valid_pk(congress)).first()
    if congress_obj is None:
        raise Http404
    plans = with_superseded(list(published_plans(congress_obj).order_by("-year", "-version")[:200]))
    return render(request, "deputies/public/plans.html", {"congress": congress_obj, "plans": plans})


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: published, for everyone; a draft, for its office only."""
    plan_obj = get_plan_for_user(request.user, pk)
    later = (
        WorkPlan.objects.filter(
            congress_id=plan_obj.congress_id,
            year=plan_obj.year,
            version__gt=plan_obj.version,
            published_at__isnull=False,
        )
        .order_by("-version")
        .first()
    )
    newest = not WorkPlan.objects.filter(
        congress_id=plan_obj.congress_id, year=plan_obj.year, version__gt=plan_obj.version
    ).exists()
    return render(
        request,
        "deputies/public/plan.html",
        {
            "plan": plan_obj,
            "later": later,
            "can_manage": can_manage_plans(request.user, plan_obj.congress_id),
            "newest": newest,
        },
    )
