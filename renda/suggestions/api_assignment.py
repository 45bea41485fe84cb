"""JSON API for assignment and handling (mounted at /api/v1/suggestions and
/api/v1/return-requests): assign, return requests and their decision, contacts, co-unit
opinions, the unit head's sign-off. Thin: parse, fetch through a permission helper, call the
action (renda.suggestions.actions.assignment), respond.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, StrictBool

from renda.errors import InvalidInput
from renda.orgs.permissions import MAX_PK

from .actions import assignment as actions
from .choices import AssignmentState, ContactMethod, ContactStage, ReturnState
from .models import TEXT_MAX, Assignment, Contact, CoOpinion, ReturnRequest, Suggestion
from .permissions import get_return_request_for_user, get_suggestion_for_user, is_office
from .queries import suggestions_visible_to, unit_ids_of

router = Router()
return_requests_router = Router()

UnitId = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
UnitIds = Annotated[list[UnitId], Field(max_length=actions.MAX_UNITS)]
# Text bodies: the action gives the precise message; the schema only stops absurd payloads.
Text = Annotated[str, Field(max_length=TEXT_MAX * 2)]


# --- output ---------------------------------------------------------------------------------
class AssignmentOut(Schema):
    id: int
    unit: int
    unit_name: str
    role: str
    state: str
    assigned_on: date
    due: date | None  # the answer (lead) or the opinion (co-unit) deadline
    provisional: bool
    return_due: date | None
    signed_off_at: datetime | None
    co_opinion_sent: bool


class AssignmentsOut(Schema):
    id: int
    number: str
    state: str
    complex: bool
    deputy_notified_at: datetime | None
    notify_due: date | None
    assignments: list[AssignmentOut]


class ReturnRequestOut(Schema):
    id: int
    suggestion: int
    unit: int
    unit_name: str
    state: str
    reason: str
    requested_at: datetime
    window_closes: date | None
    decided_at: datetime | None
    decision_note: str
    suggestion_state: str


class ContactOut(Schema):
    id: int
    unit: int
    stage: str
    method: str
    happened_on: date
    note: str


class CoOpinionOut(Schema):
    id: int
    unit: int
    late: bool
    due: date | None
    sent_at: datetime


def _assignment_out(a: Assignment) -> AssignmentOut:
    due = a.answer_deadline or a.co_opinion_deadline
    return AssignmentOut(
        id=a.pk,
        unit=a.unit_id,
        unit_name=a.unit.name,
        role=a.role,
        state=a.state,
        assigned_on=a.assigned_on,
        due=due.due if due else None,
        provisional=bool(due and due.provisional),
        return_due=a.return_deadline.due if a.return_deadline else None,
        signed_off_at=a.signed_off_at,
        co_opinion_sent=hasattr(a, "co_opinion"),
    )


def _assignments_out(pk: int) -> AssignmentsOut:
    s = Suggestion.objects.select_related("notify_deadline").get(pk=pk)
    rows = (
        s.assignments.select_related(
            "unit", "answer_deadline", "co_opinion_deadline", "return_deadline", "co_opinion"
        )
        .exclude(state=AssignmentState.RETURNED)
        .order_by("role", "pk")
    )
    return AssignmentsOut(
        id=s.pk,
        number=s.number,
        state=s.state,
        complex=s.is_complex,
        deputy_notified_at=s.deputy_notified_at,
        notify_due=s.notify_deadline.due if s.notify_deadline else None,
        assignments=[_assignment_out(a) for a in rows],
    )


def _request_out(r: ReturnRequest) -> ReturnRequestOut:
    a = r.assignment
    return ReturnRequestOut(
        id=r.pk,
        suggestion=a.suggestion_id,
        unit=a.unit_id,
        unit_name=a.unit.name,
        state=r.state,
        reason=r.reason,
        requested_at=r.requested_at,
        window_closes=a.return_deadline.due if a.return_deadline else None,
        decided_at=r.decided_at,
        decision_note=r.decision_note,
        suggestion_state=a.suggestion.state,
    )


def _holding(suggestion: Suggestion, unit: int) -> Assignment:
    """The suggestion's assignment to `unit` that is not returned, or 422 naming `unit`."""
    a = suggestion.assignments.exclude(state=AssignmentState.RETURNED).filter(unit_id=unit).first()
    if a is None:
        raise InvalidInput("unit: " + _("This unit does not hold this suggestion."))
    return a


# --- /suggestions/{id}/... ------------------------------------------------------------------
class AssignIn(Schema):
    lead_units: UnitIds
    co_units: UnitIds = []
    complex: StrictBool = False
    assigned_on: date | None = None


@router.post("/{int:suggestion_id}/assign", response=AssignmentsOut, summary="Assign to units")
def assign(request: HttpRequest, suggestion_id: int, payload: AssignIn) -> AssignmentsOut:
    """SUG-DEADLINE, SUG-RETURN, SUG-CO-OPINION, SUG-NOTIFY. The deputy-affairs office only."""
    s = get_suggestion_for_user(request.user, suggestion_id)
    actions.assign(
        s,
        lead_units=payload.lead_units,
        co_units=payload.co_units,
        complex=payload.complex,
        assigned_on=payload.assigned_on,
        by=request.user,
    )
    return _assignments_out(s.pk)


@router.get(
    "/{int:suggestion_id}/assignments", response=AssignmentsOut, summary="Units and their due dates"
)
def assignments(request: HttpRequest, suggestion_id: int) -> AssignmentsOut:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _assignments_out(s.pk)


class ReturnIn(Schema):
    unit: UnitId
    reason: Text


@router.post(
    "/{int:suggestion_id}/return-requests",
    response={201: ReturnRequestOut},
    summary="Ask to return it (SUG-RETURN)",
)
def request_return(
    request: HttpRequest, suggestion_id: int, payload: ReturnIn
) -> Status[ReturnRequestOut]:
    s = get_suggestion_for_user(request.user, suggestion_id)
    r = actions.request_return(_holding(s, payload.unit), reason=payload.reason, by=request.user)
    r = ReturnRequest.objects.select_related(
        "assignment__unit", "assignment__return_deadline", "assignment__suggestion"
    ).get(pk=r.pk)
    return Status(201, _request_out(r))


class ContactIn(Schema):
    unit: UnitId
    stage: ContactStage
    method: ContactMethod
    happened_on: date
    note: Text = ""


@router.post(
    "/{int:suggestion_id}/contacts",
    response={201: ContactOut},
    summary="Log a contact with the deputy",
)
def log_contact(request: HttpRequest, suggestion_id: int, payload: ContactIn) -> Status[ContactOut]:
    s = get_suggestion_for_user(request.user, suggestion_id)
    c: Contact = actions.log_contact(
        _holding(s, payload.unit),
        stage=str(payload.stage.value),
        method=str(payload.method.value),
        happened_on=payload.happened_on,
        note=payload.note,
        by=request.user,
    )
    return Status(
        201,
        ContactOut(
            id=c.pk,
            unit=payload.unit,
            stage=c.stage,
            method=c.method,
            happened_on=c.happened_on,
            note=c.note,
        ),
    )


class CoOpinionIn(Schema):
    unit: UnitId
    text: Text


@router.post(
    "/{int:suggestion_id}/co-opinions",
    response={201: CoOpinionOut},
    summary="A co-unit's opinion to the lead unit (SUG-CO-OPINION)",
)
def send_co_opinion(
    request: HttpRequest, suggestion_id: int, payload: CoOpinionIn
) -> Status[CoOpinionOut]:
    s = get_suggestion_for_user(request.user, suggestion_id)
    a = _holding(s, payload.unit)
    o: CoOpinion = actions.send_co_opinion(a, text=payload.text, by=request.user)
    deadline = a.co_opinion_deadline
    return Status(
        201,
        CoOpinionOut(
            id=o.pk,
            unit=payload.unit,
            late=o.late,
            due=deadline.due if deadline else None,
            sent_at=o.sent_at,
        ),
    )


class SignOffIn(Schema):
    unit: UnitId


@router.post(
    "/{int:suggestion_id}/sign-off", response=AssignmentOut, summary="The unit head signs off"
)
def sign_off(request: HttpRequest, suggestion_id: int, payload: SignOffIn) -> AssignmentOut:
    s = get_suggestion_for_user(request.user, suggestion_id)
    a = actions.sign_off(_holding(s, payload.unit), by=request.user)
    a = Assignment.objects.select_related(
        "unit", "answer_deadline", "co_opinion_deadline", "return_deadline"
    ).get(pk=a.pk)
    return _assignment_out(a)


# --- /return-requests -----------------------------------------------------------------------
class ReturnFilter(Schema):
    state: ReturnState | None = None


@return_requests_router.get(
    "", response=list[ReturnRequestOut], summary="Return requests I may see (oldest first)"
)
def list_return_requests(
    request: HttpRequest, filters: Query[ReturnFilter]
) -> list[ReturnRequestOut]:
    """The office's inbox (all of its congresses'); a unit sees its own requests."""
    qs = ReturnRequest.objects.filter(
        assignment__suggestion__in=suggestions_visible_to(request.user)
    ).select_related("assignment__unit", "assignment__return_deadline", "assignment__suggestion")
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    units = unit_ids_of(request.user)
    return [
        _request_out(r)
        for r in qs.order_by("requested_at", "pk")[:500]
        if r.assignment.unit_id in units or is_office(request.user, r.assignment.suggestion)
    ]


class DecideIn(Schema):
    approve: StrictBool
    new_lead_units: UnitIds | None = None
    note: Text = ""


@return_requests_router.post(
    "/{int:request_id}/decide", response=ReturnRequestOut, summary="Approve or refuse (SUG-RETURN)"
)
def decide(request: HttpRequest, request_id: int, payload: DecideIn) -> ReturnRequestOut:
    r = get_return_request_for_user(request.user, request_id)
    actions.decide_return(
        r.pk,
        approve=payload.approve,
        new_lead_units=payload.new_lead_units,
        note=payload.note,
        by=request.user,
    )
    r = ReturnRequest.objects.select_related(
        "assignment__unit", "assignment__return_deadline", "assignment__suggestion"
    ).get(pk=r.pk)
    return _request_out(r)
