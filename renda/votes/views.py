"""Office pages (issue 6): meetings, the roll with quorum shown live (htmx), preparing,
opening and closing ballots, the result and the projector view.

Thin: objects come through permissions.py (404 for missing and not-yours alike), every change
through actions.py; an action's refusal is shown as a message with its status, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.accounts.permissions import office_congress_ids
from renda.errors import DomainError, NotFound
from renda.orgs.models import Congress

from . import actions
from .choices import BallotKind, BallotState
from .forms import BallotForm, MeetingForm
from .models import Ballot, Meeting, MeetingMember
from .permissions import (
    get_ballot_for_office,
    get_ballot_for_user,
    get_meeting_for_office,
    is_office,
    may_run_meetings,
    meetings_run_by,
)
from .queries import ballot_result, default_roll, meetings_with_counts, quorum_status

PAGE_SIZE = 25


def _office_guard(request: HttpRequest) -> None:
    if not may_run_meetings(request.user):
        raise PermissionDenied


def _congresses(user: Any) -> Any:
    ids = office_congress_ids(user)
    return Congress.objects.all() if ids is None else Congress.objects.filter(pk__in=ids)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    try:
        return get_meeting_for_office(request.user, pk)
    except NotFound:
        raise Http404 from None


def _ballot(request: HttpRequest, pk: int, *, office: bool = True) -> Ballot:
    try:
        if office:
            return get_ballot_for_office(request.user, pk)
        return get_ballot_for_user(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    _office_guard(request)
    form = MeetingForm(request.POST or None, congresses=_congresses(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = actions.create_meeting(
                congress=d["congress"],
                kind=d["kind"],
                title=d["title"],
                date=d["date"],
                members=default_roll(d["congress"], d["kind"], d["date"]),
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Meeting created with its roll."))
            return redirect("votes:meeting", meeting.pk)
    rows = meetings_with_counts(meetings_run_by(request.user).select_related("congress"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "votes/meetings.html",
        {"page": page, "form": form},
        status=422 if request.method == "POST" else 200,
    )


def _roll(meeting: Meeting) -> list[MeetingMember]:
    return list(
        MeetingMember.objects.filter(meeting=meeting)
        .select_related("user")
        .order_by("user__username")
    )


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    _office_guard(request)
    m = _meeting(request, pk)
    ballots = list(m.ballots.order_by("pk"))
    return render(
        request,
        "votes/meeting.html",
        {
            "meeting": m,
            "roll": _roll(m),
            "quorum": quorum_status(m),
            "ballots": ballots,
            "form": BallotForm(initial={"kind": BallotKind.MOTION, "secret": True}),
        },
    )


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """One roll row's toggle (htmx: returns the row and the quorum box; without JS: back to
    the meeting page)."""
    _office_guard(request)
    m = _meeting(request, pk)
    state = request.POST.get("state", "")
    if state not in ("present", "absent", "leave"):
        return HttpResponse(_("Choose present, absent or leave."), status=422)
    try:
        member = actions.mark_attendance(
            m, user=user_id, present=state == "present", leave=state == "leave", by=request.user
        )
    except DomainError as exc:
        return HttpResponse(exc.detail, status=exc.status)
    if request.htmx:  # type: ignore[attr-defined]
        member = MeetingMember.objects.select_related("user").get(pk=member.pk)
        return render(
            request,
            "votes/_roll_row.html",
            {"meeting": m, "member": member, "quorum": quorum_status(m), "oob": True},
        )
    return redirect("votes:meeting", m.pk)


@login_required
@require_POST
def create_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    _office_guard(request)
    m = _meeting(request, pk)
    form = BallotForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        lines = form.lines()
        title = d["title"] or (lines[0] if d["kind"] == BallotKind.MOTION and lines else "")
        try:
            actions.create_ballot(
                meeting=m,
                kind=d["kind"],
                title=title or str(BallotKind(d["kind"]).label),
                choices=[actions.ChoiceSpec(label=line) for line in lines],
                max_choices=d["max_choices"] or 1,
                secret=d["secret"],
                by=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Ballot prepared. Open it when the members are ready."))
            return redirect("votes:meeting", m.pk)
    return render(
        request,
        "votes/meeting.html",
        {
            "meeting": m,
            "roll": _roll(m),
            "quorum": quorum_status(m),
            "ballots": list(m.ballots.order_by("pk")),
            "form": form,
        },
        status=422,
    )


def _transition(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    _office_guard(request)
    ballot = _ballot(request, pk)
    action = {
        "open": actions.open_ballot,
        "close": actions.close_ballot,
        "runoff": actions.create_runoff,
    }[verb]
    try:
        result = action(ballot, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("votes:meeting", ballot.meeting_id)
    if verb == "close":
        return redirect("votes:projector", ballot.pk)
    if verb == "runoff":
        messages.success(request, _("Run-off ballot prepared among the tied."))
        return redirect("votes:meeting", result.meeting_id)
    messages.success(request, _("The ballot is open: members may vote now."))
    return redirect("votes:meeting", ballot.meeting_id)


@login_required
@require_POST
def open_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "open")


@login_required
@require_POST
def close_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "close")


@login_required
@require_POST
def runoff(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "runoff")


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """The result for the office and the meeting's members: before close only how many voted."""
    ballot = _ballot(request, pk, office=False)
    return render(
        request,
        "votes/result.html",
        {
            "ballot": ballot,
            "result": ballot_result(ballot),
            "office": is_office(request.user, ballot.meeting.congress_id),
        },
    )


@login_required
def projector(request: HttpRequest, pk: int) -> HttpResponse:
    """Large type, high contrast, no navigation: the result on the hall's screen at close."""
    _office_guard(request)
    ballot = _ballot(request, pk)
    return render(
        request,
        "votes/projector.html",
        {
            "ballot": ballot,
            "result": ballot_result(ballot),
            "closed": ballot.state == BallotState.CLOSED,
        },
    )
