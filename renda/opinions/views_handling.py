"""Handling pages (issue 5 points 3–4): the queue of the opinions a user handles, an opinion's
handling page with its triage forms (one per outcome the state allows) and the referred unit's
answer form.

Thin: opinions come through permissions.py (404 for missing and not-yours alike), every change
through actions/handling.py; an action's refusal comes back on its form with the action's
status (409 wrong state, 422 bad input, 403 not allowed), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.deputies.choices import DeputyshipStatus
from renda.deputies.models import Deputyship
from renda.errors import DomainError, NotFound
from renda.orgs.models import HandlingUnit

from .actions import handling as actions
from .choices import OpinionState, Outcome, ReferralState
from .forms_handling import TO_TRIAGE, AnswerForm, QueueFilterForm, TriageForm
from .models import Opinion, Referral
from .permissions import (
    active_referral_for,
    can_see_personal_data,
    can_triage,
    get_opinion_for_user,
    may_open_queue,
    opinions_visible_to,
)

PAGE_SIZE = 25


def _opinion(request: HttpRequest, pk: int) -> Opinion:
    try:
        return get_opinion_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None


def _active_due() -> Subquery:
    return Subquery(
        Referral.objects.filter(opinion=OuterRef("pk"), state=ReferralState.ACTIVE)
        .order_by("-referred_at", "-id")
        .values("due")[:1]
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not may_open_queue(request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    rows = opinions_visible_to(request.user).select_related("category", "station")
    rows = rows.annotate(due=_active_due())
    today = timezone.localdate()
    if form.is_valid():
        d = form.cleaned_data
        if d["state"] == TO_TRIAGE:
            rows = rows.filter(state__in=actions.TO_TRIAGE)
        elif d["state"]:
            rows = rows.filter(state=d["state"])
        if d["category"]:
            root = d["category"]
            rows = rows.filter(Q(category=root) | Q(category__parent=root))
        if d["overdue"]:
            rows = rows.filter(state=OpinionState.REFERRED, due__lt=today)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for op in page.object_list:
        op.is_overdue = op.state == OpinionState.REFERRED and op.due is not None and op.due < today
    return render(
        request, "opinions/handling/queue.html", {"page": page, "form": form, "today": today}
    )


def _triage_outcomes(user: Any, opinion: Opinion) -> list[str]:
    """The outcomes this user may record now, in the order the page shows them."""
    if not can_triage(user, opinion):
        return []
    allowed = actions.ALLOWED.get(opinion.state, frozenset())
    out = [o for o in Outcome.values if o in allowed]
    if not opinion.congress.parent_id and Outcome.PASS_UP in out:
        out.remove(Outcome.PASS_UP)
    return out


def _form_shown(form: Any, outcomes: list[str], can_answer: bool) -> bool:
    if isinstance(form, AnswerForm):
        return can_answer
    return form.data.get("outcome") in outcomes


def _error_texts(form: Any) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def detail_context(
    request: HttpRequest,
    opinion: Opinion,
    *,
    triage_form: TriageForm | None = None,
    answer_form: AnswerForm | None = None,
) -> dict[str, Any]:
    user = request.user
    outcomes = _triage_outcomes(user, opinion)
    referral = active_referral_for(user, opinion)
    can_answer = referral is not None and opinion.state == OpinionState.REFERRED
    events = list(opinion.events.all())
    context: dict[str, Any] = {
        "opinion": opinion,
        "personal": can_see_personal_data(user, opinion),
        "events": events,
        "received_event": any(e.kind == OpinionState.RECEIVED for e in events),
        "referrals": list(opinion.referrals.select_related("unit").order_by("referred_at", "id")),
        "outcomes": [(o, Outcome(o).label) for o in outcomes],
        "triage_form": triage_form,
        "open_outcome": triage_form.data.get("outcome") if triage_form is not None else None,
        "answer_referral": referral if can_answer else None,
        "answer_form": (answer_form or AnswerForm()) if can_answer else None,
        # A refusal whose form is no longer on the page (the state moved on, or not theirs).
        "page_errors": [
            e
            for form in (triage_form, answer_form)
            if form is not None and form.errors and not _form_shown(form, outcomes, can_answer)
            for e in _error_texts(form)
        ],
        "today": timezone.localdate(),
    }
    if {Outcome.DEPUTY, Outcome.SUGGESTION} & set(outcomes):
        context["deputies"] = list(
            Deputyship.objects.filter(
                congress_id=opinion.congress_id, status=DeputyshipStatus.ACTIVE
            )
            .select_related("person")
            .order_by("person__name", "pk")
        )
    if Outcome.REFER in outcomes:
        context["units"] = list(
            HandlingUnit.objects.filter(congress_id=opinion.congress_id, active=True).order_by(
                "name"
            )
        )
    return context


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    return render(request, "opinions/handling/detail.html", detail_context(request, opinion))


def _again(request: HttpRequest, opinion: Opinion, status: int, **forms: Any) -> HttpResponse:
    opinion = _opinion(request, opinion.pk)  # as it is now: nothing written
    return render(
        request,
        "opinions/handling/detail.html",
        detail_context(request, opinion, **forms),
        status=status,
    )


@login_required
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _again(request, opinion, 422, triage_form=form)
    d = form.cleaned_data
    try:
        actions.triage(
            opinion,
            d["outcome"],
            by=request.user,
            text=d["text"],
            deputy=d["deputy"],
            title=d["title"],
            unit=d["unit"],
            into=d["into"],
        )
    except DomainError as exc:
        form.add_action_error(exc.detail)
        return _again(request, opinion, exc.status, triage_form=form)
    messages.success(
        request, _("Recorded: %(outcome)s.") % {"outcome": Outcome(d["outcome"]).label}
    )
    return redirect("opinions:handling_detail", pk=opinion.pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _again(request, opinion, 422, answer_form=form)
    try:
        actions.answer_referral(opinion, text=form.cleaned_data["text"], by=request.user)
    except DomainError as exc:
        form.add_action_error(exc.detail)
        return _again(request, opinion, exc.status, answer_form=form)
    messages.success(request, _("Answer sent. The citizen can read it with the tracking code."))
    return redirect("opinions:handling_detail", pk=opinion.pk)
