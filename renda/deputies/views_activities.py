"""Pages of activities (代表活动): the organiser's list, form, board and activity code; the
deputy's view of an activity, leave, and the check-in page the activity code opens.

Thin: objects through permissions_activities (404 for missing and forbidden alike), lists through
queries_activities, every change through actions/activities (a DomainError is a message or a
form error, never a 500).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.audit.queries import history_of
from renda.errors import DomainError, InvalidInput
from renda.orgs.models import Congress

from .actions import activities as actions
from .activity_codes import checkin_url, qr_png, qr_svg
from .choices import ActivityState, AttendanceOutcome, LeaveState
from .forms_activities import (
    ActivityForm,
    DecideLeaveForm,
    InviteForm,
    NoteReasonForm,
    ReasonForm,
)
from .models import Activity, Attendance, LeaveRequest
from .permissions import valid_pk
from .permissions_activities import (
    can_manage_activity,
    can_organise_activities,
    can_record_duties,
    can_use_duty_records_office,
    get_activity_by_code,
    get_activity_for_user,
    get_leave_request_for_user,
    get_managed_activity,
    kinds_for,
    organiser_congress_ids,
)
from .queries_activities import (
    active_deputies_of,
    activities_to_close,
    attendance_board,
    board_sections,
    has_pending_leave,
    managed_activities,
    search_deputies,
)

PAGE_SIZE = 30
SHOWS = ("upcoming", "closed", "cancelled", "all")


# --- shared bits ----------------------------------------------------------------------------
def attach_error(form: forms.Form, exc: DomainError) -> None:
    """An action's refusal on the field it names ("title: ..."), else on the form."""
    detail = str(exc.detail)
    if isinstance(exc, InvalidInput) and ": " in detail:
        name, _sep, message = detail.partition(": ")
        if name in form.fields:
            form.add_error(name, message)
            return
    form.add_error(None, detail)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _to_detail(activity: Activity, anchor: str = "") -> HttpResponse:
    response = redirect("deputies:activity_detail", pk=activity.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def organisable_congresses(user: Any) -> list[Congress]:
    ids = organiser_congress_ids(user)
    qs = Congress.objects.all() if ids is None else Congress.objects.filter(pk__in=ids)
    return list(qs.order_by("level", "name"))


def chosen_congress(request: HttpRequest, congresses: list[Congress]) -> Congress | None:
    """The congress named by ?congress= (one the user may act in), or the only one they have."""
    wanted = request.GET.get("congress") or request.POST.get("congress")
    if wanted:
        try:
            pk = valid_pk(wanted)
        except Http404:
            return None
        return next((c for c in congresses if c.pk == pk), None)
    return congresses[0] if len(congresses) == 1 else None


# --- the organiser's list -------------------------------------------------------------------
@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_organise_activities(user):
        raise Http404
    show = request.GET.get("show")
    show = show if show in SHOWS else "upcoming"
    now = timezone.now()
    listing = managed_activities(user).select_related("congress")
    if show == "upcoming":
        listing = listing.filter(state=ActivityState.PLANNED, starts_at__gt=now).order_by(
            "starts_at", "id"
        )
    elif show in ("closed", "cancelled"):
        listing = listing.filter(state=show).order_by("-starts_at", "-id")
    listing = listing.annotate(
        invited=Count("attendances", filter=Q(attendances__invited=True)),
        present=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False)),
    )
    to_close = (
        activities_to_close(user, now)
        .select_related("congress")
        .annotate(pending_leave=has_pending_leave())
        .order_by("starts_at", "id")[:50]
    )
    return render(
        request,
        "deputies/activities/list.html",
        {
            "show": show,
            "shows": SHOWS,
            "to_close": list(to_close),
            "page": Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page")),
            "now": now,
            "perms_duties": can_use_duty_records_office(user),
        },
    )


# --- organising -----------------------------------------------------------------------------
@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    congresses = [c for c in organisable_congresses(user) if kinds_for(user, c)]
    if not congresses:
        raise Http404
    congress = chosen_congress(request, congresses)
    if congress is None:
        return render(
            request, "deputies/activities/choose_congress.html", {"congresses": congresses}
        )
    form = ActivityForm(_data(request), congress=congress, kinds=kinds_for(user, congress))
    invite_form = InviteForm(_data(request), congress=congress)
    if request.method == "POST" and form.is_valid() and invite_form.is_valid():
        try:
            activity = actions.create_activity(
                congress, form.activity_in(), invitees=invite_form.invitees(), by=user
            )
        except DomainError as exc:
            attach_error(invite_form if _is_invite_error(exc) else form, exc)
        else:
            messages.success(request, _("Activity organised. Show its activity code at the venue."))
            return _to_detail(activity)
    return render(
        request,
        "deputies/activities/form.html",
        {
            "form": form,
            "invite_form": invite_form,
            "congress": congress,
            "picked_options": picker_options(congress.pk, invite_form.picked_ids()),
        },
    )


def _is_invite_error(exc: DomainError) -> bool:
    return str(exc.detail).split(":", 1)[0] in ("deputies", "groups", "delegations")


def picker_options(congress_pk: int, ticked: list[str]) -> list[tuple[Any, bool]]:
    """The picker's first options, the ticked ones first (so a refused form keeps them)."""
    ids = {int(v) for v in ticked if v.isdigit() and len(v) < 19}
    chosen = list(active_deputies_of(congress_pk).filter(pk__in=ids)) if ids else []
    rest = [d for d in search_deputies(congress_pk, "") if d.pk not in ids]
    return [(d, True) for d in chosen] + [(d, False) for d in rest]


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_managed_activity(request.user, pk)
    if activity.state != ActivityState.PLANNED:
        messages.error(request, _("Only a planned activity can be changed."))
        return _to_detail(activity)
    form = ActivityForm(
        _data(request),
        congress=activity.congress,
        kinds=_kinds_for_edit(request.user, activity),
        initial=ActivityForm.initial_from(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(activity, form.activity_in(), by=request.user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Saved. Invitees are told of a new time or place."))
            return _to_detail(activity)
    return render(
        request,
        "deputies/activities/form.html",
        {"form": form, "activity": activity, "congress": activity.congress},
    )


def _kinds_for_edit(user: Any, activity: Activity) -> tuple[str, ...]:
    kinds = kinds_for(user, activity.congress)
    return kinds if activity.kind in kinds else (activity.kind, *kinds)


@login_required
def activity_invite(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_managed_activity(request.user, pk)
    form = InviteForm(_data(request), congress=activity.congress, with_none=False)
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.invite(activity, form.invitees(), by=request.user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(
                request, _("%(n)d more deputies invited and told.") % {"n": len(added)}
            )
            return _to_detail(activity, "board")
    return render(
        request,
        "deputies/activities/invite.html",
        {
            "activity": activity,
            "invite_form": form,
            "congress": activity.congress,
            "picked_options": picker_options(activity.congress_id, form.picked_ids()),
        },
    )


@login_required
@require_POST
def activity_uninvite(request: HttpRequest, pk: int, deputyship_pk: int) -> HttpResponse:
    activity = get_managed_activity(request.user, pk)
    try:
        actions.remove_invitee(activity, deputyship_pk, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Invitation withdrawn; the deputy is told."))
    return _to_detail(activity, "board")


@login_required
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_managed_activity(request.user, pk)
    form = NoteReasonForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_activity(activity, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Activity cancelled; invitees are told."))
            return _to_detail(activity)
    return render(request, "deputies/activities/cancel.html", {"activity": activity, "form": form})


@login_required
@require_POST
def activity_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser marks a deputy present (present=1) or strikes a check-in (present=0)."""
    activity = get_managed_activity(request.user, pk)
    try:
        deputyship_pk = valid_pk(request.POST.get("deputy"))
    except Http404:
        messages.error(request, _("Choose a deputy."))
        return _to_detail(activity, "board")
    if request.POST.get("present") not in ("0", "1"):
        messages.error(request, _("Say whether the deputy was present."))
        return _to_detail(activity, "board")
    present = request.POST.get("present") == "1"
    try:
        actions.mark_attendance(activity, deputyship_pk, present=present, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, _("Marked present.") if present else _("Check-in struck: not present.")
        )
    return _to_detail(activity, "board")


@login_required
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what closing will record, to confirm; POST: close (once; a second close is refused)."""
    activity = get_managed_activity(request.user, pk)
    if request.method == "POST":
        try:
            summary = actions.close_activity(activity, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request,
                _(
                    "Attendance closed: %(attended)d attended, %(on_leave)d on leave, "
                    "%(absent)d absent without leave. Their duty records are written."
                )
                % summary,
            )
        return _to_detail(activity, "board")
    rows = attendance_board(activity)
    return render(
        request,
        "deputies/activities/close.html",
        {"activity": activity, "sections": board_sections(rows), "now": timezone.now()},
    )


# --- the activity page ----------------------------------------------------------------------
def _deputy_context(user: Any, activity: Activity) -> dict[str, Any]:
    """The signed-in deputy's own standing: their row, their leave requests, what they may do."""
    mine = (
        Attendance.objects.filter(activity=activity, deputyship__person__user_id=user.pk)
        .select_related("deputyship")
        .first()
    )
    leaves = list(
        LeaveRequest.objects.filter(
            activity=activity, deputyship__person__user_id=user.pk
        ).order_by("-requested_at", "-id")
    )
    live = next(
        (lr for lr in leaves if lr.state in (LeaveState.REQUESTED, LeaveState.APPROVED)), None
    )
    now = timezone.now()
    planned = activity.state == ActivityState.PLANNED
    invited = bool(mine and mine.invited)
    return {
        "mine": mine,
        "leaves": leaves,
        "live_leave": live,
        "may_check_in": planned and actions.checkin_deputyship(user, activity) is not None,
        "window_open": actions.window_open(activity, now),
        "may_ask_leave": planned
        and invited
        and live is None
        and now < activity.starts_at
        and not (mine and mine.checked_in_at),
        "leave_form": ReasonForm(),
    }


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    manage = can_manage_activity(request.user, activity)
    context: dict[str, Any] = {
        "activity": activity,
        "manage": manage,
        "now": timezone.now(),
        **_deputy_context(request.user, activity),
    }
    if manage:
        rows = attendance_board(activity)
        url = checkin_url(request, activity)
        context.update(
            rows=rows,
            sections=board_sections(rows),
            outcomes=_by_outcome(rows) if activity.state == ActivityState.CLOSED else None,
            pending_leave=list(
                LeaveRequest.objects.filter(activity=activity, state=LeaveState.REQUESTED)
                .select_related("deputyship__person")
                .order_by("requested_at", "id")
            ),
            decide_form=DecideLeaveForm(),
            checkin_url=url,
            qr=qr_svg(url, title=_("Activity code: %(title)s") % {"title": activity.title}),
            history=history_of(activity),
            search_options=[(d, False) for d in search_deputies(activity.congress_id, "")[:10]],
        )
    return render(request, "deputies/activities/detail.html", context)


def _by_outcome(rows: list[Attendance]) -> dict[str, list[Attendance]]:
    out: dict[str, list[Attendance]] = {o: [] for o in AttendanceOutcome.values}
    for row in rows:
        out[row.outcome].append(row)
    return out


# --- the activity code ----------------------------------------------------------------------
@login_required
@require_GET
def activity_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The page the organiser projects at the venue: the QR code, large, and the window."""
    activity = get_managed_activity(request.user, pk)
    url = checkin_url(request, activity)
    return render(
        request,
        "deputies/activities/code.html",
        {
            "activity": activity,
            "checkin_url": url,
            "qr": qr_svg(url, title=_("Activity code: %(title)s") % {"title": activity.title}),
        },
    )


def _download(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def activity_code_png(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_managed_activity(request.user, pk)
    return _download(
        qr_png(checkin_url(request, activity)), "image/png", f"activity-{activity.pk}-code.png"
    )


@login_required
@require_GET
def activity_code_svg(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_managed_activity(request.user, pk)
    svg = qr_svg(checkin_url(request, activity), title=activity.title)
    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return _download(
        '<?xml version="1.0" encoding="utf-8"?>\n' + svg,
        "image/svg+xml",
        f"activity-{activity.pk}-code.svg",
    )


# --- check-in -------------------------------------------------------------------------------
@login_required
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """The page the activity code opens (signed in, or through the sign-in page and back): the
    activity and a big check-in button (POST, CSRF) for the signed-in deputy."""
    activity = get_activity_by_code(request.user, code)
    if request.method == "POST":
        try:
            actions.check_in(activity, code=code, by=request.user)
        except DomainError as exc:
            if exc.code == "already_checked_in":
                messages.info(request, exc.detail)
            else:
                messages.error(request, exc.detail)
        # Success needs no message: the page itself then says "Checked in at …" in large type.
        return redirect("deputies:checkin", code=code)
    return render(
        request,
        "deputies/activities/checkin.html",
        {
            "activity": activity,
            "now": timezone.now(),
            "manage": can_manage_activity(request.user, activity),
            **_deputy_context(request.user, activity),
        },
    )


# --- leave ----------------------------------------------------------------------------------
@login_required
def leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    form = ReasonForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_leave(activity, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Leave requested; the organiser will decide."))
            return _to_detail(activity)
    return render(request, "deputies/activities/leave.html", {"activity": activity, "form": form})


@login_required
@require_POST
def leave_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    leave = get_leave_request_for_user(request.user, pk)
    try:
        actions.withdraw_leave(leave, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Leave request withdrawn."))
    return _to_detail(leave.activity)


@login_required
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    leave = get_leave_request_for_user(request.user, pk)
    if not can_manage_activity(request.user, leave.activity):
        raise Http404
    form = DecideLeaveForm(_data(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            actions.decide_leave(
                leave, approve=approve, note=form.cleaned_data["note"], by=request.user
            )
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(
                request,
                _("Leave approved; the deputy is told.")
                if approve
                else _("Leave refused; the deputy is told."),
            )
            return _to_detail(leave.activity, "leave")
    return render(
        request,
        "deputies/activities/decide_leave.html",
        {"leave": leave, "activity": leave.activity, "form": form},
    )


# --- the deputy picker (htmx) ---------------------------------------------------------------
@login_required
@require_GET
def deputy_search(request: HttpRequest) -> HttpResponse:
    """htmx: active deputies of the congress whose name contains `q`, as checkboxes (or radios)
    named `field`; ticked ones stay listed and ticked."""
    congress_pk = valid_pk(request.GET.get("congress"))
    if not (kinds_for(request.user, congress_pk) or can_record_duties(request.user, congress_pk)):
        raise Http404
    field = request.GET.get("field", "deputies")
    field = field if field in ("deputies", "deputy") else "deputies"
    kind = "radio" if field == "deputy" else "checkbox"
    q = request.GET.get("q", "").strip()[:50].replace("\x00", "")
    ticked = {v for v in request.GET.getlist(field) if v.isdigit() and len(v) < 19}
    chosen = list(active_deputies_of(congress_pk).filter(pk__in=ticked)) if ticked else []
    found = [d for d in search_deputies(congress_pk, q) if d.pk not in {c.pk for c in chosen}]
    return render(
        request,
        "deputies/activities/_deputy_options.html",
        {
            "field": field,
            "input_type": kind,
            "options": [(d, True) for d in chosen] + [(d, False) for d in found],
            "q": q,
        },
    )
