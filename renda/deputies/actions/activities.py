"""Activities (代表活动): organising them, checking in with the activity code (代表活动码),
leave (请假), confirming attendance and closing, which writes the duty records (履职登记).

Rules this module holds (docs/deputies.md, "Activities, check-in and duty records"):
- Check-in only within the activity's window (default: 30 minutes before the start until the
  end), only for oneself (the code names the activity, the session names the person), only by an
  active deputy of the activity's congress or an invited deputy (DEP-SUSPEND: not while duties
  are suspended); a replayed check-in is recorded once (one attendance row per deputy and
  activity, claimed with a conditional UPDATE under the activity's row lock).
- Leave is asked for before the start, by an invited deputy, and decided by the organiser.
- Closing writes every invitee's outcome and duty record in one transaction, once
  (DEP-SCORE deducts for `leave` and `absence`; DEP-TERMINATE reads the sessions' outcomes).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import DomainError, Forbidden, InvalidInput, NotFound, require
from renda.notifications.actions import notify
from renda.orgs.models import Congress, Session

from .. import tallies
from ..choices import (
    ActivityState,
    AttendanceOutcome,
    DeputyshipStatus,
    DutyKind,
    DutySource,
    LeaveState,
)
from ..models import (
    TEXT_MAX,
    Activity,
    Attendance,
    Delegation,
    DeputyGroup,
    Deputyship,
    DutyRecord,
    GroupMembership,
    LeaveRequest,
)
from ..permissions_activities import can_manage_activity, kinds_for

CHECKIN_LEAD = timedelta(minutes=30)  # the window opens this long before the start by default
LONGEST_ACTIVITY = timedelta(days=31)  # a plenary session lasts days, not months: a typo guard
LONGEST_LATE_CHECKIN = timedelta(days=1)  # the window may stay open this long after the end
MAX_INVITEES = 20_000
TITLE_MAX = Activity._meta.get_field("title").max_length or 200
PLACE_MAX = Activity._meta.get_field("location").max_length or 200
REASON_MAX = LeaveRequest._meta.get_field("reason").max_length or 1000
NOTE_MAX = LeaveRequest._meta.get_field("decision_note").max_length or 500
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(480))
LATEST = datetime(2100, 1, 1, tzinfo=timezone.get_fixed_timezone(480))


# --- input ------------------------------------------------------------------------------------
@dataclass
class ActivityIn:
    """An activity as a form or the API gives it (not yet checked)."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    checkin_opens_at: datetime | None = None  # None: CHECKIN_LEAD before the start
    checkin_closes_at: datetime | None = None  # None: the end
    session: int | Session | None = None  # a plenary session (kind "session" only)


@dataclass
class Invitees:
    """Who is invited: every active deputy of the congress, and/or delegations, groups and
    picked deputies (deputyship ids); the union of all of them."""

    all_deputies: bool = False
    delegations: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    deputies: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.all_deputies or self.delegations or self.groups or self.deputies)


def _invalid(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field_name}: {message}")


def clean_text(field_name: str, value: Any, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(field_name, _("must be text."))
    if "\x00" in value:
        raise _invalid(field_name, _("must not contain NUL characters."))
    value = value.strip()
    if required and not value:
        raise _invalid(field_name, _("this field is required."))
    if len(value) > max_length:
        raise _invalid(
            field_name,
            _("at most %(max)s characters (got %(n)s).") % {"max": max_length, "n": len(value)},
        )
    return value


def _clean_moment(field_name: str, value: Any) -> datetime:
    """An aware moment between 2000 and 2100; a naive one is Beijing time (the platform's)."""
    if not isinstance(value, datetime):
        raise _invalid(field_name, _("a date and time is needed."))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if not EARLIEST <= value < LATEST:
        raise _invalid(field_name, _("must fall between the years 2000 and 2099."))
    return value


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _clean_session(congress: Congress, kind: str, session: Any, starts_at: datetime) -> Any:
    """A plenary session of this congress, for a "session" activity only. Left blank, the session
    whose dates cover the start is linked, so DEP-TERMINATE counts the attendance."""
    if kind != DutyKind.SESSION:
        if session not in (None, ""):
            raise _invalid("session", _("only an activity of kind session links a session."))
        return None
    sessions = Session.objects.filter(term__congress=congress)
    if session in (None, ""):
        day = timezone.localtime(starts_at).date()
        return sessions.filter(start_date__lte=day, end_date__gte=day).first()
    pk = session.pk if isinstance(session, Session) else session
    found = sessions.filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise _invalid("session", _("not a session of this congress."))
    return found


def clean_activity(congress: Congress, data: ActivityIn, *, by: Any) -> dict[str, Any]:
    """The activity's fields, checked; the kinds the user may organise here (station staff:
    reception only)."""
    allowed = kinds_for(by, congress)
    if data.kind not in allowed:
        raise _invalid(
            "kind",
            _("you may organise only these kinds here: %(kinds)s.")
            % {"kinds": ", ".join(str(DutyKind(k).label) for k in allowed)},
        )
    starts_at = _clean_moment("starts_at", data.starts_at)
    ends_at = _clean_moment("ends_at", data.ends_at)
    if ends_at <= starts_at:
        raise _invalid("ends_at", _("must be after the start."))
    if ends_at - starts_at > LONGEST_ACTIVITY:
        raise _invalid("ends_at", _("an activity lasts at most 31 days."))
    opens = (
        _clean_moment("checkin_opens_at", data.checkin_opens_at)
        if data.checkin_opens_at is not None
        else starts_at - CHECKIN_LEAD
    )
    closes = (
        _clean_moment("checkin_closes_at", data.checkin_closes_at)
        if data.checkin_closes_at is not None
        else ends_at
    )
    if closes <= opens:
        raise _invalid("checkin_closes_at", _("check-in must close after it opens."))
    if opens > ends_at or closes < starts_at:
        raise _invalid(
            "checkin_opens_at", _("the check-in window must overlap the activity's time.")
        )
    if opens < starts_at - LONGEST_ACTIVITY or closes > ends_at + LONGEST_LATE_CHECKIN:
        raise _invalid(
            "checkin_closes_at",
            _(
                "check-in opens at most 31 days before the start and closes within a day "
                "of the end."
            ),
        )
    return {
        "kind": data.kind,
        "title": clean_text("title", data.title, max_length=TITLE_MAX, required=True),
        "location": clean_text("location", data.location, max_length=PLACE_MAX),
        "description": clean_text("description", data.description, max_length=TEXT_MAX),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "checkin_opens_at": opens,
        "checkin_closes_at": closes,
        "session": _clean_session(congress, data.kind, data.session, starts_at),
    }


def _ids(field_name: str, values: Iterable[Any]) -> list[int]:
    out = []
    for v in values or ():
        if isinstance(v, bool) or not isinstance(v, int) or not 0 < v < 2**63:
            raise _invalid(field_name, _("a list of ids is needed."))
        out.append(v)
    if len(out) > MAX_INVITEES:
        raise _invalid(field_name, _("at most %(n)s.") % {"n": MAX_INVITEES})
    return out


def resolve_invitees(congress: Congress, invitees: Invitees) -> set[int]:
    """The deputyship ids invited. Delegations, groups and picked deputies must be this
    congress's; a group's members are invited from whichever congress they sit in (mixed groups
    across levels, issue 4 point 1). Only active deputyships (DEP-SUSPEND, DEP-TERMINATE)."""
    delegations = _ids("delegations", invitees.delegations)
    groups = _ids("groups", invitees.groups)
    picked = _ids("deputies", invitees.deputies)
    active = Deputyship.objects.filter(status=DeputyshipStatus.ACTIVE)
    found: set[int] = set()
    if invitees.all_deputies:
        found |= set(active.filter(congress=congress).values_list("pk", flat=True))
    if delegations:
        known = set(
            Delegation.objects.filter(pk__in=delegations, congress=congress).values_list(
                "pk", flat=True
            )
        )
        if unknown := sorted(set(delegations) - known):
            raise _invalid(
                "delegations",
                _("not delegations of this congress: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))},
            )
        found |= set(active.filter(delegation_id__in=known).values_list("pk", flat=True))
    if groups:
        known = set(
            DeputyGroup.objects.filter(pk__in=groups, congress=congress).values_list(
                "pk", flat=True
            )
        )
        if unknown := sorted(set(groups) - known):
            raise _invalid(
                "groups",
                _("not groups of this congress: %(ids)s.") % {"ids": ", ".join(map(str, unknown))},
            )
        members = GroupMembership.objects.filter(group_id__in=known).values("deputyship_id")
        found |= set(active.filter(pk__in=members).values_list("pk", flat=True))
    if picked:
        ok = set(active.filter(pk__in=picked, congress=congress).values_list("pk", flat=True))
        if unknown := sorted(set(picked) - ok):
            raise _invalid(
                "deputies",
                _("not active deputies of this congress: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))},
            )
        found |= ok
    if len(found) > MAX_INVITEES:
        raise _invalid("deputies", _("at most %(n)s invitees.") % {"n": MAX_INVITEES})
    return found


# --- helpers ----------------------------------------------------------------------------------
def activity_url(activity: Activity) -> str:
    return reverse("deputies:activity_detail", args=[activity.pk])


def _lock(activity: Activity | int) -> Activity:
    """Re-read under a row lock: check-ins, hand marks and the close of one activity queue here,
    so a check-in never lands after the close and the close sees every check-in."""
    pk = activity if isinstance(activity, int) else activity.pk
    return Activity.objects.select_for_update().select_related("congress").get(pk=pk)


def require_planned(activity: Activity) -> None:
    if activity.state == ActivityState.CLOSED:
        raise DomainError(
            _("Attendance of this activity was closed on %(when)s; nothing can change now.")
            % {"when": local(activity.closed_at) if activity.closed_at else ""},
            code="closed",
        )
    if activity.state == ActivityState.CANCELLED:
        raise DomainError(_("This activity was cancelled."), code="cancelled")


def _users_of(deputyship_ids: Iterable[int]) -> list[Any]:
    from renda.accounts.models import User

    return list(User.objects.filter(person__deputyships__pk__in=list(deputyship_ids)).distinct())


def _invite(activity: Activity, ids: set[int]) -> list[int]:
    """Add invitation rows for these deputyships (an uninvited attendee becomes invited).
    Returns the ids newly invited."""
    existing = dict(
        Attendance.objects.filter(activity=activity, deputyship_id__in=ids).values_list(
            "deputyship_id", "invited"
        )
    )
    new = sorted(ids - set(existing))
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, deputyship_id=d, invited=True) for d in new],
        batch_size=1000,
    )
    promoted = [d for d, invited in existing.items() if not invited]
    if promoted:
        Attendance.objects.filter(activity=activity, deputyship_id__in=promoted).update(
            invited=True
        )
    return new + promoted


def _tell_invited(activity: Activity, ids: Iterable[int], title: str) -> None:
    """Tell these deputies, unless the activity is already over (one entered after the fact)."""
    if activity.ends_at < timezone.now():
        return
    notify(
        _users_of(ids),
        title=title,
        body=_("%(when)s, %(place)s. Check-in: %(opens)s to %(closes)s.")
        % {
            "when": local(activity.starts_at),
            "place": activity.location or "—",
            "opens": local(activity.checkin_opens_at),
            "closes": local(activity.checkin_closes_at),
        },
        url=activity_url(activity),
    )


# --- organising -------------------------------------------------------------------------------
@transaction.atomic
def create_activity(
    congress: Congress, data: ActivityIn, *, invitees: Invitees | None = None, by: Any
) -> Activity:
    """The office (or a station's staff, for reception) organises an activity; invitees are
    told. An activity may be entered after the fact (its attendance then marked by hand)."""
    require(
        bool(kinds_for(by, congress)),
        _(
            "Only the congress's deputy-affairs office or liaison-station staff organise "
            "activities."
        ),
    )
    fields = clean_activity(congress, data, by=by)
    ids = resolve_invitees(congress, invitees or Invitees())
    activity = Activity.objects.create(congress=congress, organiser=by, **fields)
    invited = _invite(activity, ids)
    record_event(
        activity,
        "activity.created",
        by=by,
        data={
            "kind": activity.kind,
            "starts_at": activity.starts_at,
            "ends_at": activity.ends_at,
            "session": activity.session_id,
            "invitees": len(invited),
        },
    )
    _tell_invited(
        activity,
        invited,
        _("You are invited: %(title)s (%(when)s)")
        % {"title": activity.title, "when": local(activity.starts_at)},
    )
    return activity


@transaction.atomic
def update_activity(activity: Activity, data: ActivityIn, *, by: Any) -> Activity:
    """The organiser changes a planned activity; invitees are told of a new time or place."""
    activity = _lock(activity)
    require(can_manage_activity(by, activity))
    require_planned(activity)
    fields = clean_activity(activity.congress, data, by=by)
    changed = {}
    for name, value in fields.items():
        old = getattr(activity, name)
        if old != value:
            changed[name] = [
                getattr(old, "pk", old),
                getattr(value, "pk", value),
            ]
            setattr(activity, name, value)
    if not changed:
        return activity
    activity.save()
    record_event(activity, "activity.updated", by=by, data=changed)
    if {"starts_at", "ends_at", "location", "checkin_opens_at", "checkin_closes_at"} & set(changed):
        invited = Attendance.objects.filter(activity=activity, invited=True).values_list(
            "deputyship_id", flat=True
        )
        _tell_invited(
            activity,
            list(invited),
            _("Changed: %(title)s (%(when)s)")
            % {"title": activity.title, "when": local(activity.starts_at)},
        )
    return activity


@transaction.atomic
def invite(activity: Activity, invitees: Invitees, *, by: Any) -> list[int]:
    """Invite more deputies to a planned activity; the new invitees are told."""
    activity = _lock(activity)
    require(can_manage_activity(by, activity))
    require_planned(activity)
    ids = resolve_invitees(activity.congress, invitees)
    added = _invite(activity, ids)
    if added:
        record_event(activity, "activity.invited", by=by, data={"added": len(added)})
        _tell_invited(
            activity,
            added,
            _("You are invited: %(title)s (%(when)s)")
            % {"title": activity.title, "when": local(activity.starts_at)},
        )
    return added


@transaction.atomic
def remove_invitee(activity: Activity, deputyship_id: int, *, by: Any) -> None:
    """Withdraw an invitation (a deputy picked by mistake), before the activity starts: after
    it, an absence must not be made to vanish. A live leave request of theirs is withdrawn with
    it."""
    activity = _lock(activity)
    require(can_manage_activity(by, activity))
    require_planned(activity)
    if timezone.now() >= activity.starts_at:
        raise DomainError(
            _("Invitations can be withdrawn only before the activity starts (%(when)s).")
            % {"when": local(activity.starts_at)},
            code="started",
        )
    row = Attendance.objects.filter(
        activity=activity, deputyship_id=deputyship_id, invited=True
    ).first()
    if row is None:
        raise NotFound(_("This deputy is not invited."))
    if row.checked_in_at:
        raise DomainError(
            _("This deputy has checked in; strike the check-in first if they were not there."),
            code="checked_in",
        )
    row.delete()
    LeaveRequest.objects.filter(
        activity=activity,
        deputyship_id=deputyship_id,
        state__in=(LeaveState.REQUESTED, LeaveState.APPROVED),
    ).update(
        state=LeaveState.WITHDRAWN,
        decided_by=by,
        decided_at=timezone.now(),
        decision_note=_("Invitation withdrawn"),
    )
    record_event(activity, "activity.uninvited", by=by, data={"deputyship": deputyship_id})
    if activity.ends_at >= timezone.now():
        notify(
            _users_of([deputyship_id]),
            title=_("Invitation withdrawn: %(title)s") % {"title": activity.title},
            url=activity_url(activity),
        )


@transaction.atomic
def cancel_activity(activity: Activity, *, reason: str, by: Any) -> Activity:
    """The organiser cancels a planned activity, with the reason; invitees are told."""
    activity = _lock(activity)
    require(can_manage_activity(by, activity))
    require_planned(activity)
    reason = clean_text("reason", reason, max_length=NOTE_MAX, required=True)
    activity.state = ActivityState.CANCELLED
    activity.save(update_fields=["state"])
    record_event(activity, "activity.cancelled", by=by, data={"reason": reason})
    invited = Attendance.objects.filter(activity=activity, invited=True).values_list(
        "deputyship_id", flat=True
    )
    if activity.ends_at >= timezone.now():
        notify(
            _users_of(list(invited)),
            title=_("Cancelled: %(title)s (%(when)s)")
            % {"title": activity.title, "when": local(activity.starts_at)},
            body=reason,
            url=activity_url(activity),
        )
    return activity


# --- check-in ---------------------------------------------------------------------------------
def checkin_deputyship(user: Any, activity: Activity) -> Deputyship | None:
    """The deputyship that checks in: the user's invited one (a mixed group's member may sit in
    another congress), else their active one in the activity's congress. Never a non-deputy;
    never while duties are suspended (DEP-SUSPEND) or after the deputyship ended."""
    if not getattr(user, "is_authenticated", False):
        return None
    invited = (
        Deputyship.objects.filter(
            person__user_id=user.pk,
            status=DeputyshipStatus.ACTIVE,
            attendances__activity=activity,
            attendances__invited=True,
        )
        .order_by("pk")
        .first()
    )
    if invited is not None:
        return invited
    return (
        Deputyship.objects.filter(
            person__user_id=user.pk,
            congress_id=activity.congress_id,
            status=DeputyshipStatus.ACTIVE,
        )
        .order_by("-term__start_date")
        .first()
    )


def window_open(activity: Activity, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return activity.checkin_opens_at <= now <= activity.checkin_closes_at


def _outside_window(activity: Activity, now: datetime) -> DomainError:
    if now < activity.checkin_opens_at:
        text = _("Check-in has not opened yet: it is open from %(opens)s to %(closes)s.")
    else:
        text = _("Check-in has closed: it was open from %(opens)s to %(closes)s.")
    return DomainError(
        text
        % {"opens": local(activity.checkin_opens_at), "closes": local(activity.checkin_closes_at)},
        code="outside_window",
    )


@transaction.atomic
def check_in(activity: Activity, *, code: str, by: Any) -> Attendance:
    """A deputy checks in with the activity's code (代表活动码), for themselves only, within the
    window. A replay — the same deputy again, or two submissions at once — records one check-in:
    the second is a 409 (code `already_checked_in`) naming the time of the first."""
    activity = _lock(activity)
    if not isinstance(code, str) or not secrets.compare_digest(
        activity.code.encode(), code.encode()
    ):
        raise NotFound(_("This is not the code of this activity."))
    require_planned(activity)
    deputyship = checkin_deputyship(by, activity)
    if deputyship is None:
        raise Forbidden(
            _("Only active deputies of %(congress)s and invited deputies check in here.")
            % {"congress": activity.congress.name}
        )
    now = timezone.now()
    if not window_open(activity, now):
        raise _outside_window(activity, now)
    row = Attendance.objects.filter(activity=activity, deputyship=deputyship).first()
    if row is None:
        try:
            with transaction.atomic():
                row = Attendance.objects.create(
                    activity=activity, deputyship=deputyship, invited=False
                )
        except IntegrityError:  # a concurrent replay made it first
            row = Attendance.objects.get(activity=activity, deputyship=deputyship)
    # The conditional UPDATE claims the check-in: of two replays exactly one changes the row.
    claimed = Attendance.objects.filter(pk=row.pk, checked_in_at__isnull=True).update(
        checked_in_at=now
    )
    if not claimed:
        row.refresh_from_db()
        raise DomainError(
            _("You already checked in at %(when)s.") % {"when": local(row.checked_in_at)},
            code="already_checked_in",
        )
    row.checked_in_at = now
    record_event(
        row,
        "attendance.checked_in",
        by=by,
        data={"activity": activity.pk, "deputyship": deputyship.pk, "invited": row.invited},
    )
    return row


@transaction.atomic
def mark_attendance(
    activity: Activity, deputyship_id: int, *, present: bool, by: Any
) -> Attendance | None:
    """The organiser confirms attendance by hand before closing: marks a deputy present (one
    without a phone; an uninvited active deputy of the congress too), or strikes a check-in of
    someone who was not there. Returns the row (None when an uninvited attendee is struck)."""
    activity = _lock(activity)
    require(can_manage_activity(by, activity))
    require_planned(activity)
    now = timezone.now()
    if now < activity.checkin_opens_at:
        raise DomainError(
            _("Attendance can be marked once check-in opens (%(opens)s).")
            % {"opens": local(activity.checkin_opens_at)},
            code="not_open",
        )
    row = Attendance.objects.filter(activity=activity, deputyship_id=deputyship_id).first()
    if present:
        if row is not None and row.checked_in_at:
            raise DomainError(
                _("Already marked present (%(when)s).") % {"when": local(row.checked_in_at)},
                code="already_checked_in",
            )
        if row is None:
            ok = Deputyship.objects.filter(
                pk=deputyship_id, congress_id=activity.congress_id, status=DeputyshipStatus.ACTIVE
            ).exists()
            if not ok:
                raise NotFound(_("Not an active deputy of this congress."))
            row = Attendance.objects.create(
                activity=activity, deputyship_id=deputyship_id, invited=False
            )
        row.checked_in_at = now
        row.confirmed_by = by
        row.confirmed_at = now
        row.save(update_fields=["checked_in_at", "confirmed_by", "confirmed_at"])
        record_event(
            row,
            "attendance.marked_present",
            by=by,
            data={"activity": activity.pk, "deputyship": deputyship_id},
        )
        return row
    if row is None or not row.checked_in_at:
        raise DomainError(_("This deputy has not checked in."), code="not_checked_in")
    data = {
        "activity": activity.pk,
        "deputyship": deputyship_id,
        "checked_in_at": row.checked_in_at,
    }
    record_event(row, "attendance.struck", by=by, data=data)
    if not row.invited:
        row.delete()
        return None
    row.checked_in_at = None
    row.confirmed_by = by
    row.confirmed_at = now
    row.save(update_fields=["checked_in_at", "confirmed_by", "confirmed_at"])
    return row


# --- leave ------------------------------------------------------------------------------------
def _invited_deputyship(user: Any, activity: Activity) -> Deputyship | None:
    return (
        Deputyship.objects.filter(
            person__user_id=getattr(user, "pk", None),
            attendances__activity=activity,
            attendances__invited=True,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def request_leave(activity: Activity, *, reason: str, by: Any) -> LeaveRequest:
    """An invited deputy asks for leave (请假) with a reason, before the activity starts; the
    organiser is told. One live request at a time (a refused one may be asked again)."""
    activity = _lock(activity)
    require_planned(activity)
    deputyship = _invited_deputyship(by, activity)
    if deputyship is None:
        raise Forbidden(_("Only invited deputies ask for leave from an activity."))
    if timezone.now() >= activity.starts_at:
        raise DomainError(
            _("Leave requests closed when the activity started (%(when)s).")
            % {"when": local(activity.starts_at)},
            code="leave_closed",
        )
    reason = clean_text("reason", reason, max_length=REASON_MAX, required=True)
    if Attendance.objects.filter(
        activity=activity, deputyship=deputyship, checked_in_at__isnull=False
    ).exists():
        raise DomainError(_("You have checked in to this activity."), code="checked_in")
    live = LeaveRequest.objects.filter(
        activity=activity,
        deputyship=deputyship,
        state__in=(LeaveState.REQUESTED, LeaveState.APPROVED),
    ).first()
    if live is not None:
        raise DomainError(
            _("You already asked for leave from this activity (%(state)s).")
            % {"state": live.get_state_display()},
            code="leave_exists",
        )
    try:
        with transaction.atomic():
            leave = LeaveRequest.objects.create(
                activity=activity, deputyship=deputyship, reason=reason
            )
    except IntegrityError:  # the same request sent twice at once
        raise DomainError(
            _("You already asked for leave from this activity."), code="leave_exists"
        ) from None
    record_event(leave, "leave.requested", by=by, data={"activity": activity.pk})
    notify(
        [activity.organiser],
        title=_("Leave requested: %(name)s, %(title)s")
        % {"name": deputyship.person.name, "title": activity.title},
        body=reason,
        url=activity_url(activity),
    )
    return leave


def _lock_leave(leave: LeaveRequest) -> tuple[LeaveRequest, Activity]:
    activity = _lock(leave.activity_id)
    leave = (
        LeaveRequest.objects.select_for_update()
        .select_related("deputyship__person__user")
        .get(pk=leave.pk)
    )
    return leave, activity


def _require_requested(leave: LeaveRequest) -> None:
    if leave.state != LeaveState.REQUESTED:
        raise DomainError(
            _("This leave request is already %(state)s.") % {"state": leave.get_state_display()},
            code="wrong_state",
        )


@transaction.atomic
def decide_leave(leave: LeaveRequest, *, approve: bool, note: str = "", by: Any) -> LeaveRequest:
    """The organiser approves or refuses a leave request (until the activity is closed); the
    deputy is told. Approved leave is recorded as `leave`, not as an absence, at the close."""
    leave, activity = _lock_leave(leave)
    require(can_manage_activity(by, activity))
    require_planned(activity)
    _require_requested(leave)
    note = clean_text("note", note, max_length=NOTE_MAX)
    leave.state = LeaveState.APPROVED if approve else LeaveState.REFUSED
    leave.decided_by = by
    leave.decided_at = timezone.now()
    leave.decision_note = note
    leave.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    record_event(
        leave,
        "leave.approved" if approve else "leave.refused",
        by=by,
        data={"activity": activity.pk, "note": note},
    )
    title = _("Leave approved: %(title)s") if approve else _("Leave refused: %(title)s")
    notify(
        [leave.deputyship.person.user],
        title=title % {"title": activity.title},
        body=note,
        url=activity_url(activity),
    )
    return leave


@transaction.atomic
def withdraw_leave(leave: LeaveRequest, *, by: Any) -> LeaveRequest:
    """The deputy withdraws a leave request not yet decided."""
    leave, activity = _lock_leave(leave)
    require(
        leave.deputyship.person.user_id == getattr(by, "pk", None),
        _("Only the deputy who asked withdraws a leave request."),
    )
    require_planned(activity)
    _require_requested(leave)
    leave.state = LeaveState.WITHDRAWN
    leave.save(update_fields=["state"])
    record_event(leave, "leave.withdrawn", by=by, data={"activity": activity.pk})
    return leave


# --- closing ----------------------------------------------------------------------------------
OUTCOME_KIND = {
    AttendanceOutcome.ON_LEAVE: DutyKind.LEAVE,
    AttendanceOutcome.ABSENT: DutyKind.ABSENCE,
}


@transaction.atomic
def record_held_reception(
    congress: Congress,
    *,
    title: str,
    location: str,
    starts_at: datetime,
    ends_at: datetime,
    deputyship_ids: Iterable[int],
    activity: Activity | None = None,
    by: Any,
) -> Activity:
    """A reception day (接待日) held at a liaison station (renda.opinions marks it held): the
    deputies on duty received citizens there, so each gets a duty record of kind reception
    (DOMAIN.md §3.5; their record, tallies and DEP-SCORE see it). Written through the activity
    the day carries — created now if it has none (no invitations: the day is under way or over)
    — with the deputies on duty invited and marked present by whoever marks the day held, then
    closed by `close_activity` (one duty record each; deputies who checked in with the code
    keep their check-in). The caller has checked that `by` keeps the station's reception days.
    An activity already closed or cancelled is left as it is."""
    now = timezone.now()
    if activity is None:
        starts_at = _clean_moment("starts_at", starts_at)
        activity = Activity.objects.create(
            congress=congress,
            organiser=by,
            kind=DutyKind.RECEPTION,
            title=clean_text("title", title, max_length=TITLE_MAX, required=True),
            location=clean_text("location", location, max_length=PLACE_MAX),
            starts_at=starts_at,
            ends_at=_clean_moment("ends_at", ends_at),
            checkin_opens_at=starts_at - CHECKIN_LEAD,
            checkin_closes_at=ends_at,
        )
        record_event(
            activity,
            "activity.created",
            by=by,
            data={"kind": activity.kind, "starts_at": starts_at, "ends_at": ends_at},
        )
    activity = _lock(activity)
    if activity.state != ActivityState.PLANNED:
        return activity
    ids = set(
        Deputyship.objects.filter(
            pk__in=list(deputyship_ids), congress=congress, status=DeputyshipStatus.ACTIVE
        ).values_list("pk", flat=True)
    )
    _invite(activity, ids)
    Attendance.objects.filter(
        activity=activity, deputyship_id__in=ids, checked_in_at__isnull=True
    ).update(checked_in_at=now, confirmed_by=by, confirmed_at=now)
    close_activity(activity, by=by)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def close_activity(activity: Activity, *, by: Any) -> dict[str, int]:
    """The organiser closes attendance, once: in one transaction every invitee's outcome
    (checked in → attended; approved leave → on leave; otherwise absent without leave) and a
    duty record for each (`kind` of the activity, `leave` or `absence`: DEP-SCORE deducts for
    the two; a session's outcomes feed DEP-TERMINATE). Not before the start; not while a leave
    request waits for a decision. A second close is a 409."""
    activity = _lock(activity)
    require(can_manage_activity(by, activity))
    if activity.state == ActivityState.CLOSED:
        raise DomainError(
            _("Attendance of this activity was already closed on %(when)s.")
            % {"when": local(activity.closed_at) if activity.closed_at else ""},
            code="already_closed",
        )
    require_planned(activity)
    now = timezone.now()
    if now < activity.starts_at:
        raise DomainError(
            _("An activity can be closed once it has started (%(when)s).")
            % {"when": local(activity.starts_at)},
            code="not_started",
        )
    pending = LeaveRequest.objects.filter(activity=activity, state=LeaveState.REQUESTED).count()
    if pending:
        raise DomainError(
            _("Decide the %(n)d pending leave request(s) first.") % {"n": pending},
            code="leave_pending",
        )
    rows = Attendance.objects.filter(activity=activity)
    on_leave = LeaveRequest.objects.filter(activity=activity, state=LeaveState.APPROVED).values(
        "deputyship_id"
    )
    rows.filter(checked_in_at__isnull=False).update(outcome=AttendanceOutcome.ATTENDED)
    rows.filter(checked_in_at__isnull=True, invited=True, deputyship_id__in=on_leave).update(
        outcome=AttendanceOutcome.ON_LEAVE
    )
    rows.filter(checked_in_at__isnull=True, invited=True, outcome=AttendanceOutcome.PENDING).update(
        outcome=AttendanceOutcome.ABSENT
    )
    rows.filter(Q(outcome=AttendanceOutcome.PENDING)).delete()  # uninvited, never checked in
    # Hand marks keep who made them and when; every other row is confirmed by the close.
    rows.filter(confirmed_at__isnull=True).update(confirmed_at=now, confirmed_by=by)
    activity.state = ActivityState.CLOSED
    activity.closed_at = now
    activity.save(update_fields=["state", "closed_at"])
    day = timezone.localtime(activity.starts_at).date()
    counts = {o: 0 for o in (AttendanceOutcome.ATTENDED, *OUTCOME_KIND)}
    absent_users = []
    # Set-based: one read of the attendance, one bulk insert of the duty records, one upsert of
    # their tallies — not a query per attendee. The activity row is locked and closes once, so
    # no other close races this one; records already made (source_ref) are skipped.
    attendance = list(
        rows.order_by("pk").values_list(
            "pk",
            "deputyship_id",
            "outcome",
            "deputyship__person__user_id",
            "deputyship__congress_id",
        )
    )
    made = set(
        DutyRecord.objects.filter(activity=activity, source=DutySource.ACTIVITY).values_list(
            "source_ref", flat=True
        )
    )
    creator = by if getattr(by, "pk", None) else None
    new_records = []
    counted: Counter[tallies.Key] = Counter()
    for pk, deputyship_id, outcome, user_id, congress_id in attendance:
        counts[outcome] += 1
        if outcome == AttendanceOutcome.ABSENT:
            absent_users.append(user_id)
        ref = f"attendance:{pk}"
        if ref in made:
            continue
        kind = OUTCOME_KIND.get(outcome, activity.kind)
        counted[(congress_id, deputyship_id, kind, day.year)] += 1
        new_records.append(
            DutyRecord(
                deputyship_id=deputyship_id,
                kind=kind,
                occurred_on=day,
                year=day.year,
                title=activity.title[:200],
                source=DutySource.ACTIVITY,
                source_ref=ref,
                activity=activity,
                created_by=creator,
            )
        )
    DutyRecord.objects.bulk_create(new_records, batch_size=500)
    tallies.add_many(counted)
    summary = {str(k): v for k, v in counts.items()}
    record_event(activity, "activity.closed", by=by, data=summary)
    if absent_users:
        from renda.accounts.models import User

        notify(
            User.objects.filter(pk__in=absent_users),
            title=_("Recorded as absent without leave: %(title)s (%(when)s)")
            % {"title": activity.title, "when": local(activity.starts_at)},
            url=activity_url(activity),
        )
    return summary
