"""Assignment (交办) and handling (办理): assign to units, return requests, contacts with the
deputy, co-units' opinions, the unit head's sign-off.

Rules: SUG-DEADLINE, SUG-NOTIFY, SUG-RETURN, SUG-CO-OPINION. Every value of a period comes from
the congress's rule profile (renda.rules.profiles.profile_for); every due date from the legal
calendar (renda.calendar.actions.set_deadline).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.calendar.actions import set_deadline
from renda.calendar.models import Deadline
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify
from renda.orgs.models import HandlingUnit
from renda.rules.profiles import Period, profile_for

from .. import counts
from ..choices import AssignmentState, ContactMethod, ContactStage, ReturnState, State, UnitRole
from ..facts import refresh_facts
from ..models import TEXT_MAX, Assignment, Contact, CoOpinion, Merge, ReturnRequest, Suggestion
from ..permissions import acts_for_unit, can_assign, heads_unit, is_office
from ..queries import office_staff, unit_staff
from .common import copy_state, due_of, lock, require_state, set_assignment_state

# At most this many units on one suggestion at once: more is a typing mistake, not a practice.
MAX_UNITS = 50
# Deadline purposes (one Deadline per owner and purpose; see renda.calendar.actions).
ANSWER, RETURN_WINDOW, CO_OPINION = "answer", "return-window", "co-opinion"
# The same purpose as registration.register uses: one notify deadline per suggestion.
NOTIFY = "suggestion.notify"
# States in which units are handling the suggestion (contacts, sign-off, opinions).
HANDLING_STATES = (State.ASSIGNED, State.REASSIGNING, State.REHANDLING)
# Contacts after answering (办后反馈) are logged later in the life of a suggestion too.
CONTACT_STATES = (*HANDLING_STATES, State.ANSWERED, State.EVALUATED, State.CLOSED)


# --- small shared pieces --------------------------------------------------------------------
def _url(suggestion: Suggestion) -> str:
    get_url = getattr(suggestion, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _local_date(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _deadline(
    purpose: str, start: date, period: Period, owner: Any, watchers: Iterable[Any], by: Any
) -> Deadline:
    return set_deadline(
        purpose=purpose,
        start=start,
        kind=period.kind,
        amount=period.amount,
        owner=owner,
        watchers=list(watchers),
        by=by,
    )


def _clean_text(value: Any, field: str, *, required: bool) -> str:
    """Plain text, stored as given (escaped where shown); empty or over TEXT_MAX → 422."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{field}: " + _("Give text."))
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{field}: " + _("This is required and cannot be empty."))
    if len(text) > TEXT_MAX:
        raise InvalidInput(
            f"{field}: "
            + _("At most %(max)d characters (this has %(n)d).") % {"max": TEXT_MAX, "n": len(text)}
        )
    return text


def _unit_ids(values: Any, field: str) -> list[int]:
    """Unit ids (or units) as a list of ints, in the order given; duplicates refused."""
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput(f"{field}: " + _("Give a list of unit ids."))
    ids: list[int] = []
    for value in values:
        pk = value.pk if isinstance(value, HandlingUnit) else value
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**63:
            raise InvalidInput(f"{field}: " + _("%(value)r is not a unit id.") % {"value": pk})
        if pk in ids:
            raise InvalidInput(f"{field}: " + _("Unit %(id)d is named twice.") % {"id": pk})
        ids.append(pk)
    if len(ids) > MAX_UNITS:
        raise InvalidInput(f"{field}: " + _("At most %(max)d units.") % {"max": MAX_UNITS})
    return ids


def _units_of_congress(
    ids: Sequence[int], suggestion: Suggestion, field: str
) -> list[HandlingUnit]:
    """The active handling units of the suggestion's congress, in the order given; any other
    id (unknown, inactive, another congress's) → 422 naming it."""
    found = {
        u.pk: u
        for u in HandlingUnit.objects.filter(
            pk__in=list(ids), congress_id=suggestion.congress_id, active=True
        )
    }
    bad = [pk for pk in ids if pk not in found]
    if bad:
        raise InvalidInput(
            f"{field}: "
            + _("Not an active handling unit of this congress: %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in bad)}
        )
    return [found[pk] for pk in ids]


def _start_assignments(
    suggestion: Suggestion,
    units: Sequence[HandlingUnit],
    role: str,
    *,
    assigned_on: date,
    complex_: bool,
    by: Any,
    staff: dict[int, list[Any]],
) -> list[Assignment]:
    """One Assignment per unit with its deadlines: SUG-DEADLINE (answer, leads), SUG-RETURN
    (window, all), SUG-CO-OPINION (co-units), watched by the unit's clerks and heads."""
    profile = profile_for(suggestion.congress)
    made = []
    for unit in units:
        a = Assignment.objects.create(
            suggestion=suggestion,
            unit=unit,
            role=role,
            assigned_on=assigned_on,
            assigned_by=by,
            suggestion_state=suggestion.state,
            suggestion_year=suggestion.year,
            suggestion_sequence=suggestion.sequence,
        )
        people = staff.get(unit.pk, [])
        fields = ["return_deadline"]
        if role == UnitRole.LEAD:
            # SUG-DEADLINE: 3 months from assignment, 6 for wide or hard suggestions (profile).
            period = profile.complex_answer_period if complex_ else profile.answer_period
            a.answer_deadline = _deadline(ANSWER, assigned_on, period, a, people, by)
            fields.append("answer_deadline")
        else:
            # SUG-CO-OPINION: the co-unit's view goes to the lead unit within the profile period.
            a.co_opinion_deadline = _deadline(
                CO_OPINION, assigned_on, profile.co_opinion_period, a, people, by
            )
            fields.append("co_opinion_deadline")
        # SUG-RETURN: the window in which the unit may ask to return it.
        a.return_deadline = _deadline(
            RETURN_WINDOW, assigned_on, profile.return_window, a, people, by
        )
        a.due = due_of(a)  # the queue's copy of the due date, with the deadline
        a.save(update_fields=[*fields, "due"])
        counts.move_assignment(unit.pk, None, a.state)  # the unit queue's counts
        made.append(a)
    return made


def _describe(assignments: Iterable[Assignment]) -> list[dict[str, Any]]:
    out = []
    for a in assignments:
        row: dict[str, Any] = {"unit": a.unit_id, "name": a.unit.name, "role": a.role}
        for key, deadline in (
            ("answer_due", a.answer_deadline),
            ("co_opinion_due", a.co_opinion_deadline),
            ("return_due", a.return_deadline),
        ):
            if deadline is not None:
                row[key] = deadline.due
                row[f"{key}_provisional"] = deadline.provisional
        out.append(row)
    return out


def _tell_units(
    suggestion: Suggestion, assignments: Iterable[Assignment], staff: dict[int, list[Any]]
) -> None:
    for a in assignments:
        due = a.answer_deadline or a.co_opinion_deadline
        notify(
            staff.get(a.unit_id, []),
            title=_("Assigned to %(unit)s as %(role)s: %(number)s %(title)s")
            % {
                "unit": a.unit.name,
                "role": a.get_role_display(),
                "number": suggestion.number,
                "title": suggestion.title,
            },
            body=_("Due %(due)s. You may ask to return it until %(return_due)s.")
            % {
                "due": due.due.isoformat() if due else "",
                "return_due": a.return_deadline.due.isoformat() if a.return_deadline else "",
            },
            url=_url(suggestion),
        )


def _tell_lead_deputy(suggestion: Suggestion, assignments: Sequence[Assignment]) -> None:
    """SUG-NOTIFY: the lead deputy is told which units were assigned, at once."""
    leads = ", ".join(a.unit.name for a in assignments if a.role == UnitRole.LEAD)
    cos = ", ".join(a.unit.name for a in assignments if a.role == UnitRole.CO)
    body = _("Lead unit(s): %(leads)s.") % {"leads": leads or "-"}
    if cos:
        body += " " + _("Co-unit(s): %(cos)s.") % {"cos": cos}
    notify(
        [suggestion.lead_deputy],
        title=_("Your suggestion %(number)s was assigned") % {"number": suggestion.number},
        body=body,
        url=_url(suggestion),
    )
    suggestion.deputy_notified_at = timezone.now()
    # Joint handling (并案办理): the lead deputies of the suggestions merged into this one are
    # told the same units; that notice meets SUG-NOTIFY for their suggestions.
    merged = Merge.objects.filter(into_id=suggestion.pk).select_related("suggestion__lead_deputy")
    for m in merged:
        notify(
            [m.suggestion.lead_deputy],
            title=_("Your suggestion %(number)s (handled jointly with %(primary)s) was assigned")
            % {"number": m.suggestion.number, "primary": suggestion.number},
            body=body,
            url=_url(m.suggestion),
        )
    Suggestion.objects.filter(
        pk__in=[m.suggestion_id for m in merged], deputy_notified_at__isnull=True
    ).update(deputy_notified_at=suggestion.deputy_notified_at)


# --- assign ---------------------------------------------------------------------------------
@transaction.atomic
def assign(
    suggestion: Suggestion,
    *,
    lead_units: Any,
    co_units: Any = (),
    complex: bool = False,  # noqa: A002 - the API contract's word
    assigned_on: date | None = None,
    by: Any,
) -> Suggestion:
    """Assign a registered suggestion to lead unit(s) and co-unit(s) (交办).

    SUG-DEADLINE: each lead unit's answer is due `answer_period` (or `complex_answer_period`
    when `complex`) after `assigned_on`, by the legal calendar. SUG-RETURN: each unit's return
    window starts. SUG-CO-OPINION: each co-unit's opinion deadline starts. SUG-NOTIFY: the lead
    deputy is told the units now, and the notify deadline (from registration) is kept so the
    office can see it was in time. `assigned_on` defaults to today (Asia/Shanghai); an earlier
    date is data entry (back-dating), allowed back to the submission day and audited.
    """
    suggestion = lock(suggestion)
    require(can_assign(by, suggestion), _("Only the deputy-affairs office assigns suggestions."))
    require_state(suggestion, State.REGISTERED)
    if not isinstance(complex, bool):
        raise InvalidInput("complex: " + _("Give true or false."))
    lead_ids = _unit_ids(lead_units, "lead_units")
    co_ids = _unit_ids(co_units, "co_units")
    if not lead_ids:
        raise InvalidInput("lead_units: " + _("Name at least one lead unit."))
    both = [pk for pk in lead_ids if pk in co_ids]
    if both:
        raise InvalidInput(
            "co_units: "
            + _("A unit cannot be both lead and co-unit: %(ids)s.")
            % {"ids": ", ".join(map(str, both))}
        )
    leads = _units_of_congress(lead_ids, suggestion, "lead_units")
    cos = _units_of_congress(co_ids, suggestion, "co_units")

    today = timezone.localdate()
    if assigned_on is None:
        assigned_on = today
    if not isinstance(assigned_on, date):
        raise InvalidInput("assigned_on: " + _("Give a date (YYYY-MM-DD)."))
    submitted_on = _local_date(suggestion.submitted_at or suggestion.created_at)
    if assigned_on > today:
        raise InvalidInput(
            "assigned_on: "
            + _("The assignment date cannot be in the future (today is %(today)s).")
            % {"today": today.isoformat()}
        )
    if submitted_on and assigned_on < submitted_on:
        raise InvalidInput(
            "assigned_on: "
            + _("The assignment date cannot be before the suggestion was submitted (%(day)s).")
            % {"day": submitted_on.isoformat()}
        )

    staff = unit_staff([u.pk for u in (*leads, *cos)])
    made = _start_assignments(
        suggestion,
        leads,
        UnitRole.LEAD,
        assigned_on=assigned_on,
        complex_=complex,
        by=by,
        staff=staff,
    )
    made += _start_assignments(
        suggestion, cos, UnitRole.CO, assigned_on=assigned_on, complex_=complex, by=by, staff=staff
    )

    # SUG-NOTIFY: counted from registration (acceptance). Registration sets it; a suggestion
    # registered before that existed (or entered as data) gets it here.
    profile = profile_for(suggestion.congress)
    if suggestion.notify_deadline_id is None:
        registered_on = _local_date(suggestion.registered_at) or submitted_on or assigned_on
        suggestion.notify_deadline = _deadline(
            NOTIFY,
            registered_on,
            profile.notify_period,
            suggestion,
            office_staff(suggestion.congress_id),
            by,
        )
    _tell_lead_deputy(suggestion, made)
    suggestion.is_complex = complex
    suggestion.state = State.ASSIGNED
    suggestion.save(
        update_fields=["state", "is_complex", "notify_deadline", "deputy_notified_at", "updated_at"]
    )
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.assigned",
        by=by,
        data={
            "assigned_on": assigned_on,
            "back_dated": assigned_on != today,
            "entered_on": today,
            "complex": complex,
            "profile": profile.code,
            "units": _describe(made),
            "deputy_notified_at": suggestion.deputy_notified_at,
            "notify_due": suggestion.notify_deadline.due,
            "notified_in_time": today <= suggestion.notify_deadline.due,
        },
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    _tell_units(suggestion, made, staff)
    # Assignment proposals (renda/routing): the office's choice beside what was proposed, and
    # a retrain when enough new assignments have accumulated.
    from renda.routing.actions import record_choice
    from renda.routing.tasks import retrain_if_due

    record_choice(suggestion, lead_units=[u.pk for u in leads], by=by)
    congress_id = suggestion.congress_id
    transaction.on_commit(lambda: retrain_if_due.enqueue(congress_id))
    return suggestion


# --- return requests (SUG-RETURN) -----------------------------------------------------------
def _relock_assignment(assignment: Assignment | int) -> tuple[Suggestion, Assignment]:
    """Lock the suggestion first (one order for every action: no deadlocks), then re-read."""
    pk = assignment if isinstance(assignment, int) else assignment.pk
    suggestion_id = Assignment.objects.values_list("suggestion_id", flat=True).get(pk=pk)
    suggestion = lock(suggestion_id)
    fresh = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("unit", "answer_deadline", "return_deadline", "co_opinion_deadline")
        .get(pk=pk)
    )
    fresh.suggestion = suggestion
    return suggestion, fresh


def _require_active(assignment: Assignment) -> None:
    if assignment.state != AssignmentState.ACTIVE:
        raise DomainError(
            _("%(unit)s is no longer handling this suggestion (%(state)s).")
            % {"unit": assignment.unit.name, "state": assignment.get_state_display()}
            + f" (assignment state: {assignment.state})",
            code="wrong_state",
        )


@transaction.atomic
def request_return(assignment: Assignment, *, reason: Any, by: Any) -> ReturnRequest:
    """A unit asks the office to take back a suggestion that is not its business (SUG-RETURN).

    Only within the profile's return window (the last day counts); after it the request is
    refused with the date the window closed. A reason is required. The suggestion is
    `reassigning` while the request waits for the office; the unit may not pass it on itself.
    """
    suggestion, assignment = _relock_assignment(assignment)
    require(acts_for_unit(by, assignment), _("Only the unit's own clerks and head ask for this."))
    require_state(suggestion, State.ASSIGNED, State.REASSIGNING)
    _require_active(assignment)
    reason = _clean_text(reason, "reason", required=True)
    if assignment.return_requests.filter(state=ReturnState.PENDING).exists():
        raise DomainError(
            _("%(unit)s has already asked to return this suggestion; the office has not decided.")
            % {"unit": assignment.unit.name},
            code="already_requested",
        )
    today = timezone.localdate()
    window = assignment.return_deadline
    if window is not None and today > window.due:
        raise DomainError(
            _(
                "The window to ask for a return closed on %(date)s (SUG-RETURN): handle the "
                "suggestion, or ask the deputy-affairs office directly."
            )
            % {"date": window.due.isoformat()},
            code="return_window_closed",
        )
    request = ReturnRequest.objects.create(assignment=assignment, reason=reason, requested_by=by)
    previous = suggestion.state
    suggestion.state = State.REASSIGNING
    suggestion.save(update_fields=["state", "updated_at"])
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.return_requested",
        by=by,
        data={
            "request": request.pk,
            "unit": assignment.unit_id,
            "role": assignment.role,
            "reason": reason,
            "window_closes": window.due if window else None,
            "previous_state": previous,
        },
    )
    notify(
        office_staff(suggestion.congress_id),
        title=_("%(unit)s asks to return %(number)s")
        % {"unit": assignment.unit.name, "number": suggestion.number},
        body=reason,
        url=_url(suggestion),
    )
    return request


@transaction.atomic
def decide_return(
    request: ReturnRequest | int,
    *,
    approve: bool,
    new_lead_units: Any = None,
    note: Any = "",
    by: Any,
) -> ReturnRequest:
    """The deputy-affairs office decides a return request (SUG-RETURN).

    Approve: the unit's assignment is `returned`; new lead units, if given, are assigned with
    deadlines from today (SUG-DEADLINE, SUG-RETURN, SUG-NOTIFY as in `assign`). If no active
    lead unit would remain, new lead units are required. Refuse: the unit keeps it, with the
    note. Either way the unit is told, and the suggestion is `assigned` again once no request
    is waiting.
    """
    pk = request if isinstance(request, int) else request.pk
    assignment_id = ReturnRequest.objects.values_list("assignment_id", flat=True).get(pk=pk)
    suggestion, assignment = _relock_assignment(assignment_id)
    request = ReturnRequest.objects.select_for_update().get(pk=pk)
    require(is_office(by, suggestion), _("Only the deputy-affairs office decides this."))
    if request.state != ReturnState.PENDING:
        raise DomainError(
            _("This request was already decided: %(state)s.")
            % {"state": request.get_state_display()}
            + f" (state: {request.state})",
            code="already_decided",
        )
    require_state(suggestion, State.REASSIGNING, State.ASSIGNED)
    if not isinstance(approve, bool):
        raise InvalidInput("approve: " + _("Give true or false."))
    note = _clean_text(note, "note", required=False)
    new_ids = _unit_ids(new_lead_units, "new_lead_units")
    if new_ids and not approve:
        raise InvalidInput("new_lead_units: " + _("New lead units go with an approval only."))

    now = timezone.now()
    today = timezone.localdate(now)
    made: list[Assignment] = []
    staff: dict[int, list[Any]] = {}
    if approve:
        new_units = _units_of_congress(new_ids, suggestion, "new_lead_units")
        holding = set(
            suggestion.assignments.exclude(state=AssignmentState.RETURNED)
            .exclude(pk=assignment.pk)
            .values_list("unit_id", flat=True)
        )
        clash = [u.pk for u in new_units if u.pk in holding or u.pk == assignment.unit_id]
        if clash:
            raise InvalidInput(
                "new_lead_units: "
                + _("Already assigned to this suggestion, or the unit returning it: %(ids)s.")
                % {"ids": ", ".join(map(str, clash))}
            )
        leads_left = (
            suggestion.assignments.filter(role=UnitRole.LEAD)
            .exclude(state=AssignmentState.RETURNED)
            .exclude(pk=assignment.pk)
            .exists()
        )
        if not leads_left and not new_units:
            raise InvalidInput(
                "new_lead_units: "
                + _("No lead unit would remain: name the new lead unit(s) to approve this.")
            )
        set_assignment_state(assignment, AssignmentState.RETURNED)
        if new_units:
            staff = unit_staff([u.pk for u in new_units])
            made = _start_assignments(
                suggestion,
                new_units,
                UnitRole.LEAD,
                assigned_on=today,
                complex_=suggestion.is_complex,
                by=by,
                staff=staff,
            )
    request.state = ReturnState.APPROVED if approve else ReturnState.REFUSED
    request.decided_by, request.decided_at, request.decision_note = by, now, note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])

    still_waiting = ReturnRequest.objects.filter(
        assignment__suggestion=suggestion, state=ReturnState.PENDING
    ).exists()
    fields = ["updated_at"]
    if not still_waiting and suggestion.state == State.REASSIGNING:
        suggestion.state = State.ASSIGNED
        fields.append("state")
    if made:
        _tell_lead_deputy(suggestion, made)
        fields.append("deputy_notified_at")
    suggestion.save(update_fields=fields)
    copy_state(suggestion)
    record_event(
        suggestion,
        "suggestion.return_approved" if approve else "suggestion.return_refused",
        by=by,
        data={
            "request": request.pk,
            "unit": assignment.unit_id,
            "note": note,
            "new_lead_units": _describe(made),
        },
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    unit_people = unit_staff([assignment.unit_id]).get(assignment.unit_id, [])
    notify(
        unit_people,
        title=(
            _("Return approved: %(number)s is no longer yours")
            if approve
            else _("Return refused: %(number)s stays with your unit")
        )
        % {"number": suggestion.number},
        body=note,
        url="" if approve else _url(suggestion),
    )
    _tell_units(suggestion, made, staff)
    return request


# --- handling -------------------------------------------------------------------------------
@transaction.atomic
def log_contact(
    assignment: Assignment,
    *,
    stage: Any,
    method: Any,
    happened_on: Any,
    note: Any = "",
    by: Any,
) -> Contact:
    """Log a contact with the deputy (办前联系、办中沟通、办后反馈): stage, method, day, note.
    The day is not in the future and not before the unit received the suggestion."""
    suggestion, assignment = _relock_assignment(assignment)
    require(acts_for_unit(by, assignment), _("Only the unit's own clerks and head log contacts."))
    require_state(suggestion, *CONTACT_STATES)
    if assignment.state == AssignmentState.RETURNED:
        _require_active(assignment)
    if stage not in ContactStage.values:
        raise InvalidInput(
            "stage: " + _("One of: %(values)s.") % {"values": ", ".join(ContactStage.values)}
        )
    if method not in ContactMethod.values:
        raise InvalidInput(
            "method: " + _("One of: %(values)s.") % {"values": ", ".join(ContactMethod.values)}
        )
    if not isinstance(happened_on, date):
        raise InvalidInput("happened_on: " + _("Give a date (YYYY-MM-DD)."))
    today = timezone.localdate()
    if happened_on > today:
        raise InvalidInput("happened_on: " + _("A contact cannot be in the future."))
    if happened_on < assignment.assigned_on:
        raise InvalidInput(
            "happened_on: "
            + _("A contact cannot be before the unit received the suggestion (%(day)s).")
            % {"day": assignment.assigned_on.isoformat()}
        )
    note = _clean_text(note, "note", required=False)
    contact = Contact.objects.create(
        assignment=assignment,
        stage=stage,
        method=method,
        happened_on=happened_on,
        note=note,
        recorded_by=by,
    )
    record_event(
        suggestion,
        "suggestion.contact_logged",
        by=by,
        data={
            "contact": contact.pk,
            "unit": assignment.unit_id,
            "stage": stage,
            "method": method,
            "happened_on": happened_on,
        },
    )
    return contact


@transaction.atomic
def send_co_opinion(assignment: Assignment, *, text: Any, by: Any) -> CoOpinion:
    """A co-unit sends its view to the lead unit(s), once (SUG-CO-OPINION). After the profile's
    period it is still taken, marked late. The co-unit's part is then done (`answered`)."""
    suggestion, assignment = _relock_assignment(assignment)
    require(acts_for_unit(by, assignment), _("Only the co-unit's own clerks and head send this."))
    require_state(suggestion, *HANDLING_STATES)
    if assignment.role != UnitRole.CO:
        raise DomainError(
            _("Only a co-unit sends an opinion; the lead unit answers the deputy."),
            code="not_a_co_unit",
        )
    if CoOpinion.objects.filter(assignment=assignment).exists():
        raise DomainError(
            _("%(unit)s has already sent its opinion.") % {"unit": assignment.unit.name},
            code="already_sent",
        )
    _require_active(assignment)
    text = _clean_text(text, "text", required=True)
    today = timezone.localdate()
    deadline = assignment.co_opinion_deadline
    late = deadline is not None and today > deadline.due
    opinion = CoOpinion.objects.create(assignment=assignment, text=text, sent_by=by, late=late)
    set_assignment_state(assignment, AssignmentState.ANSWERED)
    record_event(
        suggestion,
        "suggestion.co_opinion_sent",
        by=by,
        data={
            "opinion": opinion.pk,
            "unit": assignment.unit_id,
            "late": late,
            "due": deadline.due if deadline else None,
        },
    )
    lead_units = list(
        suggestion.assignments.filter(role=UnitRole.LEAD, state=AssignmentState.ACTIVE).values_list(
            "unit_id", flat=True
        )
    )
    staff = unit_staff(lead_units)
    notify(
        [p for unit_id in lead_units for p in staff.get(unit_id, [])],
        title=_("Opinion of %(unit)s on %(number)s%(late)s")
        % {
            "unit": assignment.unit.name,
            "number": suggestion.number,
            "late": _(" (late)") if late else "",
        },
        body=text,
        url=_url(suggestion),
    )
    return opinion


@transaction.atomic
def sign_off(assignment: Assignment, *, by: Any) -> Assignment:
    """The unit head signs off the unit's handling ("一把手"负责制). A lead unit's answer is sent
    only after this (the answer action checks `signed_off_at`). Once per round: the answers
    phase clears it when a suggestion goes back for handling again (SUG-REHANDLE)."""
    suggestion, assignment = _relock_assignment(assignment)
    require(heads_unit(by, assignment), _("Only the head of the unit signs off."))
    require_state(suggestion, *HANDLING_STATES)
    _require_active(assignment)
    if assignment.signed_off_at is not None:
        raise DomainError(
            _("Already signed off on %(day)s.")
            % {"day": timezone.localdate(assignment.signed_off_at).isoformat()},
            code="already_signed_off",
        )
    assignment.signed_off_by = by
    assignment.signed_off_at = timezone.now()
    assignment.save(update_fields=["signed_off_by", "signed_off_at"])
    record_event(
        suggestion,
        "suggestion.signed_off",
        by=by,
        data={"unit": assignment.unit_id, "role": assignment.role},
    )
    return assignment
