"""JSON API of the deputies app: the activities part (mounted in renda/api.py) — activities at
/api/v1/activities (organising, check-in with the activity code, leave, hand marks, closing) and
duty records at /api/v1/duty-records.

Thin: parse, fetch through permissions_activities (404 for missing and forbidden alike), call the
action (403 visible but not allowed, 409 wrong state / outside the window / already checked in,
422 bad fields)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool

from renda.errors import Forbidden, InvalidInput
from renda.orgs.models import Congress
from renda.orgs.permissions import MAX_PK

from .actions import activities as actions
from .actions.manual_duties import record_manual_duty, remove_manual_duty
from .activity_codes import checkin_url
from .choices import ActivityState, DutyKind, DutySource, LeaveState
from .models import Activity, Attendance, DutyRecord, LeaveRequest
from .permissions import get_managed_deputyship
from .permissions_activities import (
    can_manage_activity,
    get_activity_for_user,
    get_duty_record_for_user,
    get_leave_request_for_user,
    get_managed_activity,
    kinds_for,
    organiser_congress_ids,
)
from .queries_activities import (
    activities_visible_to,
    attendance_board,
    duty_records_visible_to,
    managed_activities,
)

router = Router()
duty_records_router = Router()

Pk = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
Ids = Annotated[list[Pk], Field(max_length=actions.MAX_INVITEES)]
Text = Annotated[str, Field(max_length=20_000)]


# --- schemas --------------------------------------------------------------------------------
class InviteesIn(Schema):
    all_deputies: StrictBool = False
    delegations: Ids = Field(default_factory=list)
    groups: Ids = Field(default_factory=list)
    deputies: Ids = Field(default_factory=list, description="deputyship ids")

    def to_action(self) -> actions.Invitees:
        return actions.Invitees(
            all_deputies=self.all_deputies,
            delegations=list(self.delegations),
            groups=list(self.groups),
            deputies=list(self.deputies),
        )


class ActivityIn(Schema):
    congress: Pk | None = Field(default=None, description="needed if you organise in several")
    kind: DutyKind
    title: Text
    starts_at: datetime = Field(description="ISO 8601; without an offset: Beijing time")
    ends_at: datetime
    location: Text = ""
    description: Text = ""
    checkin_opens_at: datetime | None = Field(
        default=None, description="default: 30 minutes before the start"
    )
    checkin_closes_at: datetime | None = Field(default=None, description="default: the end")
    session: Pk | None = Field(default=None, description="a plenary session (kind session)")
    invite: InviteesIn = Field(default_factory=InviteesIn)


class ActivityPatch(Schema):
    """Send only what changes."""

    kind: DutyKind | None = None
    title: Text | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: Text | None = None
    description: Text | None = None
    checkin_opens_at: datetime | None = None
    checkin_closes_at: datetime | None = None
    session: Pk | None = None


class MeOut(Schema):
    invited: bool
    checked_in_at: datetime | None
    outcome: str | None
    leave_state: str | None
    may_check_in: bool


class ActivityOut(Schema):
    id: int
    congress: int
    kind: str
    kind_label: str
    title: str
    location: str
    description: str
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime
    session: int | None
    state: str
    organiser: int
    closed_at: datetime | None
    invited: int
    checked_in: int
    code: str | None = Field(description="the organiser only")
    checkin_url: str | None = Field(description="the organiser only: what the QR code holds")
    me: MeOut | None = Field(description="the signed-in deputy's own standing")


class PageOut(Schema):
    items: list[ActivityOut]
    count: int
    page: int
    page_size: int


class ListFilter(Schema):
    state: ActivityState | None = None
    congress: Pk | None = None
    upcoming: StrictBool | None = Field(default=None, description="not yet ended")
    managed: StrictBool | None = Field(default=None, description="only those I manage")
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=20, ge=1, le=100)


class AttendanceOut(Schema):
    deputy: int
    name: str
    invited: bool
    checked_in_at: datetime | None
    outcome: str
    leave_state: str | None


class CheckinIn(Schema):
    code: str = Field(max_length=100)


class MarkIn(Schema):
    deputy: Pk
    present: StrictBool


class ReasonIn(Schema):
    reason: Text


class DecideIn(Schema):
    approve: StrictBool
    note: Text = ""


class LeaveOut(Schema):
    id: int
    activity: int
    deputy: int
    reason: str
    state: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class LeaveFilter(Schema):
    state: LeaveState | None = None
    activity: Pk | None = None


class CloseOut(Schema):
    attended: int
    on_leave: int
    absent: int


class AddedOut(Schema):
    added: int


class DutyIn(Schema):
    deputy: Pk = Field(description="deputyship id")
    kind: DutyKind
    occurred_on: date
    title: Text
    note: Text = ""


class DutyOut(Schema):
    id: int
    deputy: int
    kind: str
    kind_label: str
    occurred_on: date
    title: str
    note: str
    source: str
    source_ref: str
    activity: int | None


class DutyPage(Schema):
    items: list[DutyOut]
    count: int
    page: int
    page_size: int


class DutyFilter(Schema):
    deputy: Pk | None = None
    year: int | None = Field(default=None, ge=1900, le=9999)
    kind: DutyKind | None = None
    source: DutySource | None = None
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=50, ge=1, le=200)


# --- helpers --------------------------------------------------------------------------------
def _me(request: HttpRequest, a: Activity) -> MeOut | None:
    user = request.user
    row = (
        Attendance.objects.filter(activity=a, deputyship__person__user_id=user.pk)
        .order_by("pk")
        .first()
    )
    may = a.state == ActivityState.PLANNED and actions.checkin_deputyship(user, a) is not None
    if row is None and not may:
        return None
    leave = (
        LeaveRequest.objects.filter(activity=a, deputyship__person__user_id=user.pk)
        .order_by("-requested_at", "-id")
        .values_list("state", flat=True)
        .first()
    )
    return MeOut(
        invited=bool(row and row.invited),
        checked_in_at=row.checked_in_at if row else None,
        outcome=row.outcome if row else None,
        leave_state=leave,
        may_check_in=may,
    )


def _out(request: HttpRequest, a: Activity, *, counts: bool = True) -> ActivityOut:
    manage = can_manage_activity(request.user, a)
    if counts:
        n = Attendance.objects.filter(activity=a).aggregate(
            invited=Count("pk", filter=Q(invited=True)),
            checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
    else:
        n = {"invited": a.n_invited, "checked_in": a.n_checked_in}
    return ActivityOut(
        id=a.pk,
        congress=a.congress_id,
        kind=a.kind,
        kind_label=str(a.get_kind_display()),
        title=a.title,
        location=a.location,
        description=a.description,
        starts_at=a.starts_at,
        ends_at=a.ends_at,
        checkin_opens_at=a.checkin_opens_at,
        checkin_closes_at=a.checkin_closes_at,
        session=a.session_id,
        state=a.state,
        organiser=a.organiser_id,
        closed_at=a.closed_at,
        invited=n["invited"],
        checked_in=n["checked_in"],
        code=a.code if manage else None,
        checkin_url=checkin_url(request, a) if manage else None,
        me=_me(request, a) if counts else None,
    )


def _congress_for_new(user: Any, wanted: int | None) -> Congress:
    ids = organiser_congress_ids(user)
    if ids is not None and not ids:
        raise Forbidden(
            _("Only the deputy-affairs office and liaison-station staff organise activities.")
        )
    if wanted is None:
        if ids is None or len(ids) != 1:
            raise InvalidInput("congress: " + _("name the congress."))
        wanted = next(iter(ids))
    congress = Congress.objects.filter(pk=wanted).first()
    if congress is None or not kinds_for(user, congress):
        raise InvalidInput("congress: " + _("you do not organise activities in this congress."))
    return congress


def _leave_out(lr: LeaveRequest) -> LeaveOut:
    return LeaveOut(
        id=lr.pk,
        activity=lr.activity_id,
        deputy=lr.deputyship_id,
        reason=lr.reason,
        state=lr.state,
        requested_at=lr.requested_at,
        decided_at=lr.decided_at,
        decision_note=lr.decision_note,
    )


def _duty_out(r: DutyRecord) -> DutyOut:
    return DutyOut(
        id=r.pk,
        deputy=r.deputyship_id,
        kind=r.kind,
        kind_label=str(r.get_kind_display()),
        occurred_on=r.occurred_on,
        title=r.title,
        note=r.note,
        source=r.source,
        source_ref=r.source_ref,
        activity=r.activity_id,
    )


# --- activities -----------------------------------------------------------------------------
@router.post("", response={201: ActivityOut}, summary="Organise an activity (office, station)")
def create(request: HttpRequest, payload: ActivityIn) -> Status:
    congress = _congress_for_new(request.user, payload.congress)
    a = actions.create_activity(
        congress,
        actions.ActivityIn(
            kind=payload.kind,
            title=payload.title,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            location=payload.location,
            description=payload.description,
            checkin_opens_at=payload.checkin_opens_at,
            checkin_closes_at=payload.checkin_closes_at,
            session=payload.session,
        ),
        invitees=payload.invite.to_action(),
        by=request.user,
    )
    return Status(201, _out(request, a))


@router.get("", response=PageOut, summary="Activities I may see (paginated)")
def list_activities(request: HttpRequest, filters: Query[ListFilter]) -> PageOut:
    qs = (
        managed_activities(request.user) if filters.managed else activities_visible_to(request.user)
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.congress:
        qs = qs.filter(congress_id=filters.congress)
    if filters.upcoming is not None:
        now = timezone.now()
        qs = qs.filter(ends_at__gte=now) if filters.upcoming else qs.filter(ends_at__lt=now)
    qs = qs.annotate(
        n_invited=Count("attendances", filter=Q(attendances__invited=True)),
        n_checked_in=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False)),
    ).order_by("-starts_at", "-id")
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    return PageOut(
        items=[_out(request, a, counts=False) for a in rows],
        count=qs.count(),
        page=filters.page,
        page_size=filters.page_size,
    )


@router.get("/{int:activity_id}", response=ActivityOut, summary="One activity")
def detail(request: HttpRequest, activity_id: int) -> ActivityOut:
    return _out(request, get_activity_for_user(request.user, activity_id))


@router.patch("/{int:activity_id}", response=ActivityOut, summary="Change a planned activity")
def update(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> ActivityOut:
    a = get_managed_activity(request.user, activity_id)
    sent = {f: getattr(payload, f) for f in payload.model_fields_set}
    for required in ("kind", "title", "starts_at", "ends_at"):
        if required in sent and sent[required] is None:
            raise InvalidInput(f"{required}: " + _("cannot be empty."))
    current = {
        "kind": a.kind,
        "title": a.title,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "location": a.location,
        "description": a.description,
        "checkin_opens_at": a.checkin_opens_at,
        "checkin_closes_at": a.checkin_closes_at,
        "session": a.session_id,
    }
    times_moved = {"starts_at", "ends_at"} & set(sent)
    for name in ("checkin_opens_at", "checkin_closes_at"):
        if times_moved and name not in sent:
            current[name] = None  # the window follows the new times unless given
    current.update(sent)
    a = actions.update_activity(a, actions.ActivityIn(**current), by=request.user)
    return _out(request, a)


@router.post("/{int:activity_id}/invitees", response=AddedOut, summary="Invite more deputies")
def add_invitees(request: HttpRequest, activity_id: int, payload: InviteesIn) -> AddedOut:
    a = get_managed_activity(request.user, activity_id)
    return AddedOut(added=len(actions.invite(a, payload.to_action(), by=request.user)))


@router.delete(
    "/{int:activity_id}/invitees/{int:deputy_id}",
    response={204: None},
    summary="Withdraw an invitation",
)
def remove_invitee(request: HttpRequest, activity_id: int, deputy_id: int) -> Status:
    a = get_managed_activity(request.user, activity_id)
    actions.remove_invitee(a, deputy_id, by=request.user)
    return Status(204, None)


@router.post("/{int:activity_id}/cancel", response=ActivityOut, summary="Cancel an activity")
def cancel(request: HttpRequest, activity_id: int, payload: ReasonIn) -> ActivityOut:
    a = get_managed_activity(request.user, activity_id)
    return _out(request, actions.cancel_activity(a, reason=payload.reason, by=request.user))


@router.post(
    "/{int:activity_id}/checkin",
    response={201: AttendanceOut},
    summary="Check in with the activity code (the signed-in deputy, for themselves)",
)
def checkin(request: HttpRequest, activity_id: int, payload: CheckinIn) -> Status:
    a = get_activity_for_user(request.user, activity_id)
    row = actions.check_in(a, code=payload.code, by=request.user)
    return Status(
        201,
        AttendanceOut(
            deputy=row.deputyship_id,
            name=request.user.display_name,
            invited=row.invited,
            checked_in_at=row.checked_in_at,
            outcome=row.outcome,
            leave_state=None,
        ),
    )


@router.get(
    "/{int:activity_id}/attendance",
    response=list[AttendanceOut],
    summary="Who is invited, checked in, on leave (the organiser)",
)
def attendance(request: HttpRequest, activity_id: int) -> list[AttendanceOut]:
    a = get_managed_activity(request.user, activity_id)
    return [
        AttendanceOut(
            deputy=r.deputyship_id,
            name=r.deputyship.person.name,
            invited=r.invited,
            checked_in_at=r.checked_in_at,
            outcome=r.outcome,
            leave_state=r.leave_state,
        )
        for r in attendance_board(a)
    ]


@router.post(
    "/{int:activity_id}/attendance",
    response=list[AttendanceOut],
    summary="Mark a deputy present, or strike a check-in (the organiser, before closing)",
)
def mark(request: HttpRequest, activity_id: int, payload: MarkIn) -> list[AttendanceOut]:
    a = get_managed_activity(request.user, activity_id)
    actions.mark_attendance(a, payload.deputy, present=payload.present, by=request.user)
    return attendance(request, activity_id)


@router.post(
    "/{int:activity_id}/close",
    response=CloseOut,
    summary="Close attendance: every invitee's outcome and duty record (once; again: 409)",
)
def close(request: HttpRequest, activity_id: int) -> CloseOut:
    a = get_managed_activity(request.user, activity_id)
    return CloseOut(**actions.close_activity(a, by=request.user))


@router.post(
    "/{int:activity_id}/leave",
    response={201: LeaveOut},
    summary="Ask for leave (an invited deputy, before the start)",
)
def ask_leave(request: HttpRequest, activity_id: int, payload: ReasonIn) -> Status:
    a = get_activity_for_user(request.user, activity_id)
    return Status(201, _leave_out(actions.request_leave(a, reason=payload.reason, by=request.user)))


@router.get(
    "/leave-requests",
    response=list[LeaveOut],
    summary="My leave requests, and those of the activities I manage",
)
def leave_requests(request: HttpRequest, filters: Query[LeaveFilter]) -> list[LeaveOut]:
    user = request.user
    qs = LeaveRequest.objects.filter(
        Q(deputyship__person__user_id=user.pk) | Q(activity__in=managed_activities(user))
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.activity:
        qs = qs.filter(activity_id=filters.activity)
    return [_leave_out(lr) for lr in qs.order_by("-requested_at", "-id")[:500]]


@router.post(
    "/leave-requests/{int:leave_id}/decide",
    response=LeaveOut,
    summary="Approve or refuse a leave request (the organiser)",
)
def decide(request: HttpRequest, leave_id: int, payload: DecideIn) -> LeaveOut:
    leave = get_leave_request_for_user(request.user, leave_id)
    leave = actions.decide_leave(leave, approve=payload.approve, note=payload.note, by=request.user)
    return _leave_out(leave)


@router.post(
    "/leave-requests/{int:leave_id}/withdraw",
    response=LeaveOut,
    summary="Withdraw my leave request (not yet decided)",
)
def withdraw(request: HttpRequest, leave_id: int) -> LeaveOut:
    leave = get_leave_request_for_user(request.user, leave_id)
    return _leave_out(actions.withdraw_leave(leave, by=request.user))


# --- duty records ---------------------------------------------------------------------------
@duty_records_router.get("", response=DutyPage, summary="Duty records I may see (paginated)")
def duty_records(request: HttpRequest, filters: Query[DutyFilter]) -> DutyPage:
    qs = duty_records_visible_to(request.user)
    for name in ("year", "kind", "source"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.deputy:
        qs = qs.filter(deputyship_id=filters.deputy)
    qs = qs.order_by("-occurred_on", "-id")
    start = (filters.page - 1) * filters.page_size
    return DutyPage(
        items=[_duty_out(r) for r in qs[start : start + filters.page_size]],
        count=qs.count(),
        page=filters.page,
        page_size=filters.page_size,
    )


@duty_records_router.post(
    "", response={201: DutyOut}, summary="Record a duty by hand (the congress's office)"
)
def record(request: HttpRequest, payload: DutyIn) -> Status:
    deputyship = get_managed_deputyship(request.user, payload.deputy)
    r = record_manual_duty(
        deputyship,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        title=payload.title,
        note=payload.note,
        by=request.user,
    )
    return Status(201, _duty_out(r))


@duty_records_router.post(
    "/{int:record_id}/remove",
    response={204: None},
    summary="Remove a record the office entered by hand, with the reason",
)
def remove(request: HttpRequest, record_id: int, payload: ReasonIn) -> Status:
    r = get_duty_record_for_user(request.user, record_id)
    remove_manual_duty(r, reason=payload.reason, by=request.user)
    return Status(204, None)
