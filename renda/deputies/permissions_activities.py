"""Who may organise, see, check in at and close activities, decide leave and enter duty records.
Predicates are pure; getters give 404 for missing and forbidden alike.

- The deputy-affairs office of a congress (and administrators) organise activities of every kind
  in that congress and manage all of its activities; they enter and remove manual duty records.
- Liaison-station staff of a congress organise reception activities (进站接待) there and manage
  only the activities they organised themselves.
- Deputies see the activities of the congresses they are deputies of, and those they were
  invited to or attended; any active deputy of the activity's congress may check in (an invited
  deputy of a mixed group from another congress too); nobody else ever.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, role_assignments

from .choices import ACTIVITY_KINDS, DutyKind
from .models import Activity, DutyRecord, LeaveRequest
from .permissions import is_office_of, valid_pk
from .queries_activities import activities_visible_to, duty_records_visible_to

# Kinds an office may enter by hand: the activity kinds and the two deductions. Suggestions and
# motions are recorded by the platform when they are submitted (a hand copy would count twice).
MANUAL_KINDS = (*ACTIVITY_KINDS, DutyKind.LEAVE, DutyKind.ABSENCE)
STATION_KINDS = (DutyKind.RECEPTION,)


def station_congress_ids(user: Any) -> set[int]:
    return {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.role == Role.STATION_STAFF and ra.congress_id
    }


def organiser_congress_ids(user: Any) -> set[int] | None:
    """Congresses where the user may organise activities; None: every congress (admin)."""
    if is_admin(user):
        return None
    return {
        ra.congress_id
        for ra in role_assignments(user)
        if ra.role in (Role.DEPUTY_AFFAIRS, Role.STATION_STAFF) and ra.congress_id
    }


def can_organise_activities(user: Any) -> bool:
    """The activity list and the "new activity" page: offices, station staff, administrators."""
    ids = organiser_congress_ids(user)
    return ids is None or bool(ids)


def kinds_for(user: Any, congress: Any) -> tuple[str, ...]:
    """The kinds of activity the user may organise in this congress (none: may not organise)."""
    if is_office_of(user, congress):
        return tuple(ACTIVITY_KINDS)
    if has_role(user, Role.STATION_STAFF, congress=getattr(congress, "pk", congress)):
        return STATION_KINDS
    return ()


def can_manage_activity(user: Any, activity: Activity) -> bool:
    """Edit, invite, cancel, decide leave, mark attendance, close, show the code: the office of
    the activity's congress, or the station staff member who organised it."""
    if is_office_of(user, activity.congress_id):
        return True
    return activity.organiser_id == getattr(user, "pk", None) and has_role(
        user, Role.STATION_STAFF, congress=activity.congress_id
    )


def can_record_duties(user: Any, congress: Any) -> bool:
    """Manual duty records (履职登记): the congress's deputy-affairs office."""
    return is_office_of(user, congress)


def can_use_duty_records_office(user: Any) -> bool:
    from renda.accounts.permissions import office_congress_ids

    ids = office_congress_ids(user)
    return ids is None or bool(ids)


def is_deputy(user: Any) -> bool:
    return has_role(user, Role.DEPUTY)


def get_activity_for_user(user: Any, pk: Any) -> Activity:
    pk = valid_pk(pk)
    activity = activities_visible_to(user).filter(pk=pk).select_related("congress").first()
    if activity is None:
        raise Http404
    return activity


def get_managed_activity(user: Any, pk: Any) -> Activity:
    activity = get_activity_for_user(user, pk)
    if not can_manage_activity(user, activity):
        raise Http404
    return activity


def get_activity_by_code(user: Any, code: Any) -> Activity:
    """The activity whose code (代表活动码) this is, if the user may see it; else 404."""
    if not isinstance(code, str) or not 10 <= len(code) <= 32:
        raise Http404
    activity = activities_visible_to(user).filter(code=code).select_related("congress").first()
    if activity is None:
        raise Http404
    return activity


def get_leave_request_for_user(user: Any, pk: Any) -> LeaveRequest:
    """A leave request its deputy or a manager of its activity may see; else 404."""
    pk = valid_pk(pk)
    leave = (
        LeaveRequest.objects.select_related("activity", "activity__congress", "deputyship__person")
        .filter(pk=pk)
        .first()
    )
    if leave is None:
        raise Http404
    own = leave.deputyship.person.user_id == getattr(user, "pk", None)
    if not (own or can_manage_activity(user, leave.activity)):
        raise Http404
    return leave


def get_duty_record_for_user(user: Any, pk: Any) -> DutyRecord:
    pk = valid_pk(pk)
    record = (
        duty_records_visible_to(user)
        .select_related("deputyship__person", "deputyship__congress")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404
    return record
