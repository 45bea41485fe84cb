"""The members' pages (issue 6): "my votes", the phone-sized vote form with a confirmation
step, the receipt shown once, and the receipt check.

Thin: the ballot comes through permissions.py, the vote through actions.cast_vote (which
refuses anything but one valid paper from a present member while open)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from renda.errors import DomainError, NotFound

from . import actions
from .choices import ANSWER_LABELS, MODE_ANSWERS, AnswerMode, BallotState
from .forms import ReceiptForm
from .models import Ballot, Voter
from .permissions import get_ballot_for_user, may_vote_somewhere
from .queries import find_paper, open_ballots_for, paper_lines, roll_entry


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not may_vote_somewhere(request.user):
        raise PermissionDenied
    open_rows = list(open_ballots_for(request.user))
    closed = list(
        Ballot.objects.filter(state=BallotState.CLOSED, meeting__members__user=request.user)
        .select_related("meeting")
        .order_by("-closed_at")[:20]
    )
    return render(request, "votes/mine.html", {"open_rows": open_rows, "closed": closed})


def _ballot(request: HttpRequest, pk: int) -> Ballot:
    try:
        return get_ballot_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None


def _read(ballot: Ballot, data: Any) -> tuple[list[str], dict[str, str]]:
    """The choices and answers as the form sent them (checked by the action, not here)."""
    if ballot.answers == AnswerMode.SELECT:
        return data.getlist("choice"), {}
    return [], {str(c.pk): data.get(f"answer-{c.pk}", "") for c in ballot.choices.all()}


def _form_context(ballot: Ballot, picked: list[str], answers: dict[str, str]) -> dict[str, Any]:
    options = [(a, ANSWER_LABELS[a]) for a in MODE_ANSWERS[ballot.answers]]
    return {
        "ballot": ballot,
        "choices": list(ballot.choices.all()),
        "picked": set(picked),
        "answers": answers,
        "options": options,
    }


@never_cache
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST step=review: the confirmation page. POST step=cast: the vote, and
    the receipt shown this once (never stored in the clear, never cached)."""
    ballot = _ballot(request, pk)
    entry = roll_entry(ballot, request.user)
    voted = Voter.objects.filter(ballot=ballot, user=request.user).exists()
    ctx: dict[str, Any] = {"ballot": ballot, "entry": entry, "voted": voted}
    if request.method != "POST" or voted or ballot.state != BallotState.OPEN or entry is None:
        ctx.update(_form_context(ballot, [], {}))
        return render(request, "votes/vote.html", ctx)
    picked, answers = _read(ballot, request.POST)
    ctx.update(_form_context(ballot, picked, answers))
    step = request.POST.get("step", "review")
    if step == "edit":
        return render(request, "votes/vote.html", ctx)
    if ballot.answers != AnswerMode.SELECT and not all(answers.values()):
        ctx["error"] = _("Answer every item on the ballot.")
        return render(request, "votes/vote.html", ctx, status=422)
    if step == "review":
        if len(picked) > ballot.max_choices:
            ctx["error"] = _("You may choose at most %(m)d.") % {"m": ballot.max_choices}
            return render(request, "votes/vote.html", ctx, status=422)
        labels = {str(c.pk): c.label for c in ctx["choices"]}
        ctx["review"] = (
            [(labels.get(p, "?"), "✓") for p in picked]
            if ballot.answers == AnswerMode.SELECT
            else [(labels.get(c, "?"), ANSWER_LABELS.get(a, a)) for c, a in answers.items()]
        )
        return render(request, "votes/confirm.html", ctx)
    try:
        receipt = actions.cast_vote(
            ballot, voter=request.user, choices=picked, answers=answers or None
        )
    except DomainError as exc:
        ctx["error"] = exc.detail
        ctx["voted"] = Voter.objects.filter(ballot=ballot, user=request.user).exists()
        return render(request, "votes/vote.html", ctx, status=exc.status)
    response = render(request, "votes/receipt.html", {"ballot": ballot, "receipt": receipt})
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def check_receipt(request: HttpRequest) -> HttpResponse:
    """Whoever holds a receipt code sees that one paper: counted or not, and its content."""
    form = ReceiptForm(request.POST or None)
    ctx: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        paper = find_paper(form.cleaned_data["receipt"])
        if paper is None:
            ctx["not_found"] = True
            status = 404
        else:
            ctx.update(paper=paper, lines=paper_lines(paper))
    return render(request, "votes/check.html", ctx, status=status)
