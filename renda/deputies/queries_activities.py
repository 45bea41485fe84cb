"""Reads of the activities part: what each person may see (visibility is filtered here, never in
a template), the organiser's boards, the deputy's own duty record, and the attendance outcomes
of plenary sessions that DEP-TERMINATE's flag board reads."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from renda.accounts.choices import Role
from renda.accounts.permissions import is_admin, office_congress_ids, role_assignments

from .choices import ActivityState, AttendanceOutcome, DeputyshipStatus, LeaveState
from .models import Activity, Attendance, Deputyship, DutyRecord, LeaveRequest

SEARCH_MAX = 30


def _deputy_congress_ids(user: Any) -> set[int]:
    return {ra.congress_id for ra in role_assignments(user) if ra.role == Role.DEPUTY}


def _own_attendance_activity_ids(user: Any) -> QuerySet[Attendance]:
    return Attendance.objects.filter(deputyship__person__user_id=user.pk).values("activity_id")


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """Administrators: all. The office: its congresses'. Station staff: those they organised.
    Deputies: their congresses' (any active deputy there may check in), and those they were
    invited to or attended (a mixed group's member from another congress, a past term)."""
    if not getattr(user, "is_authenticated", False):
        return Activity.objects.none()
    if is_admin(user):
        return Activity.objects.all()
    offices = office_congress_ids(user) or set()
    roles = role_assignments(user)
    stations = {ra.congress_id for ra in roles if ra.role == Role.STATION_STAFF}
    deputies = _deputy_congress_ids(user)
    q = Q(congress_id__in=offices | deputies)
    if stations:
        q |= Q(organiser_id=user.pk, congress_id__in=stations)
    q |= Q(pk__in=_own_attendance_activity_ids(user))
    return Activity.objects.filter(q)


def managed_activities(user: Any) -> QuerySet[Activity]:
    """The activities the user manages (see permissions_activities.can_manage_activity)."""
    if is_admin(user):
        return Activity.objects.all()
    offices = office_congress_ids(user) or set()
    stations = {ra.congress_id for ra in role_assignments(user) if ra.role == Role.STATION_STAFF}
    q = Q(congress_id__in=offices)
    if stations:
        q |= Q(organiser_id=user.pk, congress_id__in=stations)
    if not offices and not stations:
        return Activity.objects.none()
    return Activity.objects.filter(q)


def activities_to_close(user: Any, now: datetime | None = None) -> QuerySet[Activity]:
    """Started, still planned: the organiser confirms attendance and closes them."""
    now = now or timezone.now()
    return managed_activities(user).filter(state=ActivityState.PLANNED, starts_at__lte=now)


def leave_requests_to_decide(user: Any) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(
            state=LeaveState.REQUESTED,
            activity__state=ActivityState.PLANNED,
            activity__in=managed_activities(user),
        )
        .select_related("activity", "deputyship__person")
        .order_by("activity__starts_at", "requested_at", "id")
    )


def _leave_state_of() -> Subquery:
    """The state of the deputy's live (requested or approved) leave request, if any."""
    return Subquery(
        LeaveRequest.objects.filter(
            activity_id=OuterRef("activity_id"),
            deputyship_id=OuterRef("deputyship_id"),
            state__in=(LeaveState.REQUESTED, LeaveState.APPROVED),
        ).values("state")[:1]
    )


def upcoming_for_deputy(user: Any, now: datetime | None = None) -> QuerySet[Attendance]:
    """The deputy's invitations to planned activities not yet over, soonest first, each with
    the state of a live leave request (`leave_state`)."""
    now = now or timezone.now()
    return (
        Attendance.objects.filter(
            deputyship__person__user_id=user.pk,
            invited=True,
            activity__state=ActivityState.PLANNED,
            activity__ends_at__gte=now,
        )
        .annotate(leave_state=_leave_state_of())
        .select_related("activity")
        .order_by("activity__starts_at", "activity_id")
    )


def my_leave_requests(user: Any) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(deputyship__person__user_id=user.pk).select_related(
        "activity"
    )


def attendance_board(activity: Activity) -> list[Attendance]:
    """Every row of an activity (invited or checked in) with the deputy, the live leave
    request's state, and `by_hand`: the organiser marked it before closing (present, or a
    check-in struck)."""
    rows = list(
        Attendance.objects.filter(activity=activity)
        .annotate(leave_state=_leave_state_of())
        .select_related("deputyship__person", "deputyship__congress")
        .order_by("deputyship__person__name", "id")
    )
    closed = activity.closed_at
    for row in rows:
        row.by_hand = row.confirmed_at is not None and (closed is None or row.confirmed_at < closed)
    return rows


def board_sections(rows: list[Attendance]) -> dict[str, list[Attendance]]:
    """The organiser's view: checked in, on approved leave, asking for leave, missing."""
    out: dict[str, list[Attendance]] = defaultdict(list)
    for row in rows:
        if row.checked_in_at:
            out["present"].append(row)
        elif row.leave_state == LeaveState.APPROVED:
            out["on_leave"].append(row)
        elif row.leave_state == LeaveState.REQUESTED:
            out["asking"].append(row)
        elif row.invited:
            out["missing"].append(row)
    return out


def active_deputies_of(congress_id: int) -> QuerySet[Deputyship]:
    return (
        Deputyship.objects.filter(congress_id=congress_id, status=DeputyshipStatus.ACTIVE)
        .select_related("person")
        .order_by("person__name", "id")
    )


def search_deputies(congress_id: int, q: str) -> list[Deputyship]:
    """Active deputies of the congress whose name contains `q` (the invite picker)."""
    found = active_deputies_of(congress_id)
    if q:
        found = found.filter(person__name__icontains=q)
    return list(found[:SEARCH_MAX])


def duty_records_visible_to(user: Any) -> QuerySet[DutyRecord]:
    """A deputy's own records; the office's congresses' deputies' records; all for admins."""
    if not getattr(user, "is_authenticated", False):
        return DutyRecord.objects.none()
    if is_admin(user):
        return DutyRecord.objects.all()
    offices = office_congress_ids(user) or set()
    return DutyRecord.objects.filter(
        Q(deputyship__person__user_id=user.pk) | Q(deputyship__congress_id__in=offices)
    )


def my_duty_records(user: Any, *, year: int, kinds: list[str] | None = None) -> Any:
    qs = DutyRecord.objects.filter(deputyship__person__user_id=user.pk, year=year)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.select_related("deputyship__congress", "activity").order_by("-occurred_on", "-id")


def my_duty_years(user: Any) -> list[int]:
    years = set(
        DutyRecord.objects.filter(deputyship__person__user_id=user.pk)
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def office_duty_records(user: Any) -> QuerySet[DutyRecord]:
    """Records of the deputies of the office's congresses (all for administrators)."""
    qs = DutyRecord.objects.all()
    offices = office_congress_ids(user)
    if offices is not None:
        qs = qs.filter(deputyship__congress_id__in=offices)
    return qs.select_related("deputyship__person", "deputyship__congress", "created_by")


def session_attendance(congress_id: int) -> dict[int, dict[int, str]]:
    """DEP-TERMINATE's data: for each deputyship, each plenary session of the congress whose
    attendance was closed, what the deputy did — "attended" if checked in at any of the
    session's activities, else "on_leave" if on approved leave from one, else "absent" (absent
    without leave). The flag board lists deputies with two "absent" sessions; it never ends a
    deputyship by itself."""
    rank = {
        AttendanceOutcome.ATTENDED: 3,
        AttendanceOutcome.ON_LEAVE: 2,
        AttendanceOutcome.ABSENT: 1,
    }
    result: dict[int, dict[int, str]] = defaultdict(dict)
    rows = Attendance.objects.filter(
        activity__congress_id=congress_id,
        activity__state=ActivityState.CLOSED,
        activity__session__isnull=False,
        outcome__in=list(rank),
    ).values_list("deputyship_id", "activity__session_id", "outcome")
    for deputyship_id, session_id, outcome in rows:
        seen = result[deputyship_id].get(session_id)
        if seen is None or rank[outcome] > rank[seen]:
            result[deputyship_id][session_id] = outcome
    return dict(result)


def has_pending_leave() -> Exists:
    """For annotating activities: a leave request is waiting for a decision."""
    return Exists(
        LeaveRequest.objects.filter(activity_id=OuterRef("pk"), state=LeaveState.REQUESTED)
    )
