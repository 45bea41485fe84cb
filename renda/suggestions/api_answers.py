"""JSON API for answers, ratings, commitments and key suggestions (mounted at
/api/v1/suggestions and /api/v1/commitments). Thin: parse, fetch through a permission helper,
call the action (renda.suggestions.actions.answers / .key), respond.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field, StrictBool

from renda.accounts.models import User
from renda.errors import DomainError, InvalidInput
from renda.orgs.permissions import MAX_PK

from .actions import answers as actions
from .actions import key as key_actions
from .models import BODY_MAX, TEXT_MAX, Answer, Commitment, Evaluation, KeySuggestion
from .permissions import get_commitment_for_user, get_suggestion_for_user

router = Router()
commitments_router = Router()

Id = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
# The action gives the precise message; the schema only stops absurd payloads early.
LongText = Annotated[str, Field(max_length=BODY_MAX * 2)]
Text = Annotated[str, Field(max_length=TEXT_MAX * 2)]


# --- input ----------------------------------------------------------------------------------
class CommitmentIn(Schema):
    text: Text
    due: date


class AnswerIn(Schema):
    unit: Id
    category: Literal["A", "B", "C", "D"]
    text: LongText
    commitments: Annotated[list[CommitmentIn], Field(max_length=100)] = []
    plan: Text = ""
    planned_date: date | None = None
    reason: Text = ""
    public: StrictBool = True
    not_public_reason: Text = ""


class EvaluationIn(Schema):
    unit: Id
    rating: Literal["satisfied", "basically_satisfied", "dissatisfied"]
    comment: Text = ""


class MetIn(Schema):
    evidence: Text


class KeyIn(Schema):
    supervisor: Id | None = None
    committee: Text = ""
    year: Annotated[int, Field(ge=1949, le=2999, strict=True)] | None = None


class ProgressIn(Schema):
    unit: Id
    text: Text


# --- output ---------------------------------------------------------------------------------
class CommitmentOut(Schema):
    id: int
    answer: int
    text: str
    due: date
    met_at: datetime | None
    evidence: str


class AnswerOut(Schema):
    id: int
    suggestion: int
    unit: int
    round: int
    category: str
    text: str
    plan: str
    planned_date: date | None
    reason: str
    late: bool
    public: bool
    not_public_reason: str
    sent_at: datetime
    feedback_due: date | None
    commitments: list[CommitmentOut]
    state: str  # the suggestion's state after this answer


class EvaluationOut(Schema):
    id: int
    answer: int
    unit: int
    round: int
    rating: str
    comment: str
    rated_at: datetime
    state: str
    rehandle_due: date | None
    # Joint handling: the primary whose answer a merged suggestion's deputy rated.
    jointly_with: int | None = None


class KeyOut(Schema):
    id: int
    suggestion: int
    year: int
    supervisor: int | None
    committee: str


class ProgressOut(Schema):
    id: int
    key: int
    unit: int
    text: str
    reported_at: datetime


def _commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.pk, answer=c.answer_id, text=c.text, due=c.due, met_at=c.met_at, evidence=c.evidence
    )


def _answer_out(a: Answer, state: str) -> AnswerOut:
    return AnswerOut(
        id=a.pk,
        suggestion=a.assignment.suggestion_id,
        unit=a.assignment.unit_id,
        round=a.round,
        category=a.category,
        text=a.text,
        plan=a.plan,
        planned_date=a.planned_date,
        reason=a.reason,
        late=a.late,
        public=a.public,
        not_public_reason=a.not_public_reason,
        sent_at=a.sent_at,
        feedback_due=a.feedback_deadline.due if a.feedback_deadline else None,
        commitments=[_commitment_out(c) for c in a.commitments.order_by("due", "id")],
        state=state,
    )


# --- endpoints ------------------------------------------------------------------------------
@router.post(
    "/{int:suggestion_id}/answers", response={201: AnswerOut}, summary="A lead unit answers"
)
def post_answer(request: HttpRequest, suggestion_id: int, payload: AnswerIn) -> Status[AnswerOut]:
    suggestion = get_suggestion_for_user(request.user, suggestion_id)
    row = actions.answer(
        suggestion,
        unit=payload.unit,
        category=payload.category,
        text=payload.text,
        commitments=[actions.CommitmentIn(c.text, c.due) for c in payload.commitments],
        plan=payload.plan,
        planned_date=payload.planned_date,
        reason=payload.reason,
        public=payload.public,
        not_public_reason=payload.not_public_reason,
        by=request.user,
    )
    suggestion.refresh_from_db(fields=["state"])
    return Status(201, _answer_out(row, suggestion.state))


@router.post(
    "/{int:suggestion_id}/evaluations",
    response={201: EvaluationOut},
    summary="The lead deputy rates",
)
def post_evaluation(
    request: HttpRequest,
    suggestion_id: int,
    payload: EvaluationIn,
) -> Status[EvaluationOut]:
    suggestion = get_suggestion_for_user(request.user, suggestion_id)
    ev: Evaluation = actions.evaluate(
        suggestion,
        unit=payload.unit,
        rating=payload.rating,
        comment=payload.comment,
        by=request.user,
    )
    suggestion.refresh_from_db(fields=["state"])
    assignment = ev.answer.assignment
    assignment.refresh_from_db(fields=["answer_deadline", "state"])
    rehandle_due = (
        assignment.answer_deadline.due
        if assignment.state == "active" and assignment.answer_deadline
        else None
    )
    return Status(
        201,
        EvaluationOut(
            id=ev.pk,
            answer=ev.answer_id,
            unit=assignment.unit_id,
            round=ev.answer.round,
            rating=ev.rating,
            comment=ev.comment,
            rated_at=ev.rated_at,
            state=suggestion.state,
            rehandle_due=rehandle_due,
            jointly_with=getattr(ev, "suggestion_id", None) and assignment.suggestion_id,
        ),
    )


@commitments_router.post(
    "/{int:commitment_id}/met", response=CommitmentOut, summary="A commitment is met"
)
def post_commitment_met(request: HttpRequest, commitment_id: int, payload: MetIn) -> CommitmentOut:
    commitment = get_commitment_for_user(request.user, commitment_id)
    return _commitment_out(
        actions.mark_commitment_met(commitment, evidence=payload.evidence, by=request.user)
    )


@router.post("/{int:suggestion_id}/key", response={201: KeyOut}, summary="Mark a key suggestion")
def post_key(request: HttpRequest, suggestion_id: int, payload: KeyIn) -> Status[KeyOut]:
    suggestion = get_suggestion_for_user(request.user, suggestion_id)
    supervisor = None
    if payload.supervisor is not None:
        supervisor = User.objects.filter(pk=payload.supervisor).first()
        if supervisor is None:
            raise InvalidInput(_("supervisor: no such person."))
    key = key_actions.mark_key(
        suggestion,
        supervisor=supervisor,
        committee=payload.committee,
        year=payload.year,
        by=request.user,
    )
    return Status(
        201,
        KeyOut(
            id=key.pk,
            suggestion=suggestion.pk,
            year=key.year,
            supervisor=key.supervisor_id,
            committee=key.committee,
        ),
    )


@router.post(
    "/{int:suggestion_id}/progress-reports",
    response={201: ProgressOut},
    summary="Progress on a key one",
)
def post_progress(
    request: HttpRequest, suggestion_id: int, payload: ProgressIn
) -> Status[ProgressOut]:
    suggestion = get_suggestion_for_user(request.user, suggestion_id)
    key = KeySuggestion.objects.filter(suggestion=suggestion).first()
    if key is None:
        raise DomainError(
            _("This is not a key suggestion.") + f" (state: {suggestion.state})", code="not_key"
        )
    report = key_actions.add_progress_report(
        key, unit=payload.unit, text=payload.text, by=request.user
    )
    return Status(
        201,
        ProgressOut(
            id=report.pk,
            key=key.pk,
            unit=report.unit_id,
            text=report.text,
            reported_at=report.reported_at,
        ),
    )
