"""JSON API for submitting and registering suggestions and motions (mounted at /api/v1/suggestions).

Thin: parse, fetch through the permission helper (404 for missing and forbidden alike), call the
action (403 when visible but not allowed, 409 from the wrong state, 422 for bad fields).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, field_validator

from renda.accounts.choices import Role
from renda.accounts.permissions import role_assignments
from renda.errors import Forbidden, InvalidInput
from renda.orgs.permissions import MAX_PK

from .actions import registration, submission
from .api_attachments import AttachmentOut, attachment_out
from .choices import Kind, State, UnitRole
from .models import Answer, Assignment, Commitment, Evaluation, Sponsor, Suggestion
from .permissions import get_suggestion_for_user
from .queries import attachments_of, listed_suggestions

router = Router()

Pk = Annotated[int, Field(ge=1, le=MAX_PK)]


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# --- Schemas ------------------------------------------------------------------------------------
class SuggestionIn(Schema):
    kind: Kind
    title: str
    body: str = ""
    topic: Pk | None = None
    cosigners: list[Pk] = Field(default_factory=list, max_length=submission.MAX_COSIGNERS)
    congress: Pk | None = Field(
        default=None, description="the congress; needed only if you are a deputy of several"
    )
    submit: bool = Field(default=False, description="submit at once (otherwise a draft)")


class DraftIn(Schema):
    """Autosave: send only what changed; `topic: null` clears the topic."""

    title: str | None = None
    body: str | None = None
    topic: Pk | None = None


class CosignersIn(Schema):
    cosigners: list[Pk] = Field(max_length=submission.MAX_COSIGNERS)


class RejectIn(Schema):
    ground: str = Field(max_length=40)
    explanation: str


class Brief(Schema):
    id: int
    number: str
    kind: str
    state: str


class Row(Schema):
    id: int
    number: str
    kind: str
    title: str
    state: str
    state_label: str
    year: int
    lead_deputy: str
    submitted_at: datetime | None


class PageOut(Schema):
    items: list[Row]
    count: int
    page: int
    page_size: int


class ListFilter(Schema):
    state: State | None = None
    kind: Kind | None = None
    unit: Pk | None = Field(default=None, description="a handling unit id (assigned to it)")
    year: int | None = Field(default=None, ge=1900, le=9999)
    q: str | None = Field(default=None, max_length=200, description="words of the title or number")
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=20, ge=1, le=100)

    @field_validator("q")
    @classmethod
    def _q_without_nul(cls, value: str | None) -> str | None:
        return _no_nul(value)


class SponsorOut(Schema):
    deputy: int
    name: str
    role: str
    confirmed: bool
    declined: bool


class AssignmentOut(Schema):
    id: int
    unit: int
    unit_name: str
    role: str
    due: date | None
    state: str
    provisional: bool


class AnswerOut(Schema):
    id: int
    unit: int
    round: int
    category: str
    text: str
    sent_at: datetime
    late: bool


class EvaluationOut(Schema):
    answer: int
    unit: int
    rating: str
    comment: str
    rated_at: datetime


class CommitmentOut(Schema):
    id: int
    answer: int
    text: str
    due: date
    met: bool


class Detail(Schema):
    id: int
    number: str
    kind: str
    title: str
    body: str
    state: str
    state_label: str
    congress: int
    topic: str | None
    year: int
    session: int | None
    lead_deputy: int
    submitted_at: datetime | None
    registered_at: datetime | None
    rejection_ground: str
    rejection_explanation: str
    sponsors: list[SponsorOut]
    assignments: list[AssignmentOut]
    answers: list[AnswerOut]
    evaluations: list[EvaluationOut]
    commitments: list[CommitmentOut]
    attachments: list[AttachmentOut]


def _brief(s: Suggestion) -> Brief:
    return Brief(id=s.pk, number=s.number, kind=s.kind, state=s.state)


def _assignment_out(a: Assignment) -> AssignmentOut:
    """`due`: a lead unit's answer deadline, a co-unit's opinion deadline (as GET …/assignments)."""
    deadline = a.answer_deadline if a.role == UnitRole.LEAD else a.co_opinion_deadline
    return AssignmentOut(
        id=a.pk,
        unit=a.unit_id,
        unit_name=a.unit.name,
        role=a.role,
        due=deadline.due if deadline else None,
        state=a.state,
        provisional=bool(deadline and deadline.provisional),
    )


def _congress_for_new(user: Any, wanted: int | None) -> int:
    """The congress a deputy writes in: the one named, or their only one."""
    mine = sorted(
        {
            ra.congress_id
            for ra in role_assignments(user)
            if ra.role == Role.DEPUTY and ra.congress_id
        }
    )
    if not mine:
        raise Forbidden(_("Only deputies write suggestions and motions."))
    if wanted is not None:
        if wanted not in mine:
            raise InvalidInput("congress: " + _("you are not a deputy of this congress."))
        return wanted
    if len(mine) > 1:
        raise InvalidInput("congress: " + _("you are a deputy of several congresses: name one."))
    return mine[0]


# --- Endpoints ----------------------------------------------------------------------------------
@router.post("", response={201: Brief}, summary="Write a suggestion or motion (draft or submit)")
def create(request: HttpRequest, payload: SuggestionIn) -> Status:
    from renda.orgs.models import Congress

    congress = Congress.objects.get(pk=_congress_for_new(request.user, payload.congress))
    # One transaction: a refused submission (e.g. MOTION-COSIGN) leaves no draft behind.
    with transaction.atomic():
        s = submission.create_draft(
            congress,
            by=request.user,
            kind=payload.kind,
            title=payload.title,
            body=payload.body,
            topic=payload.topic,
            cosigners=payload.cosigners,
        )
        if payload.submit:
            s = submission.submit(s, by=request.user)
    return Status(201, _brief(s))


@router.get("", response=PageOut, summary="Suggestions I may see (paginated)")
def list_suggestions(request: HttpRequest, filters: Query[ListFilter]) -> PageOut:
    narrow = Q()
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        narrow &= Q(title__icontains=q) | Q(number__icontains=q)
    listing = listed_suggestions(
        request.user,
        state=filters.state,
        year=filters.year,
        kind=filters.kind,
        unit=filters.unit,
        narrow=narrow,
        related=("lead_deputy",),
    )
    start = (filters.page - 1) * filters.page_size
    items = [
        Row(
            id=s.pk,
            number=s.number,
            kind=s.kind,
            title=s.title,
            state=s.state,
            state_label=str(s.get_state_display()),
            year=s.year,
            lead_deputy=s.lead_deputy.display_name,
            submitted_at=s.submitted_at,
        )
        for s in listing[start : start + filters.page_size]
    ]
    return PageOut(
        items=items, count=listing.count(), page=filters.page, page_size=filters.page_size
    )


@router.get("/{int:suggestion_id}", response=Detail, summary="One suggestion, whole")
def detail(request: HttpRequest, suggestion_id: int) -> Detail:
    s = get_suggestion_for_user(request.user, suggestion_id)
    sponsors = Sponsor.objects.filter(suggestion=s).select_related("deputy").order_by("id")
    assignments = list(
        Assignment.objects.filter(suggestion=s)
        .select_related("unit", "answer_deadline", "co_opinion_deadline")
        .order_by("id")
    )
    answers = list(
        Answer.objects.filter(assignment__suggestion=s)
        .select_related("assignment")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("due", "id"))
        )
        .order_by("sent_at", "id")
    )
    evaluations = Evaluation.objects.filter(answer__assignment__suggestion=s).select_related(
        "answer__assignment"
    )
    return Detail(
        id=s.pk,
        number=s.number,
        kind=s.kind,
        title=s.title,
        body=s.body,
        state=s.state,
        state_label=str(s.get_state_display()),
        congress=s.congress_id,
        topic=s.topic.name if s.topic_id else None,
        year=s.year,
        session=s.session_id,
        lead_deputy=s.lead_deputy_id,
        submitted_at=s.submitted_at,
        registered_at=s.registered_at,
        rejection_ground=s.rejection_ground,
        rejection_explanation=s.rejection_explanation,
        sponsors=[
            SponsorOut(
                deputy=sp.deputy_id,
                name=sp.deputy.display_name,
                role=sp.role,
                confirmed=sp.confirmed_at is not None,
                declined=sp.declined_at is not None,
            )
            for sp in sponsors
        ],
        assignments=[_assignment_out(a) for a in assignments],
        answers=[
            AnswerOut(
                id=an.pk,
                unit=an.assignment.unit_id,
                round=an.round,
                category=an.category,
                text=an.text,
                sent_at=an.sent_at,
                late=an.late,
            )
            for an in answers
        ],
        evaluations=[
            EvaluationOut(
                answer=ev.answer_id,
                unit=ev.answer.assignment.unit_id,
                rating=ev.rating,
                comment=ev.comment,
                rated_at=ev.rated_at,
            )
            for ev in evaluations.order_by("rated_at", "id")
        ],
        commitments=[
            CommitmentOut(id=c.pk, answer=an.pk, text=c.text, due=c.due, met=c.met_at is not None)
            for an in answers
            for c in an.commitments.all()
        ],
        attachments=[attachment_out(a) for a in attachments_of(s)],
    )


@router.patch("/{int:suggestion_id}", response=Brief, summary="Autosave a draft (idempotent)")
def save_draft(request: HttpRequest, suggestion_id: int, payload: DraftIn) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    sent = {f: getattr(payload, f) for f in payload.model_fields_set}
    return _brief(submission.update_draft(s, by=request.user, **sent))


@router.post("/{int:suggestion_id}/cosigners", response=Brief, summary="Invite co-signers")
def invite(request: HttpRequest, suggestion_id: int, payload: CosignersIn) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(submission.invite_cosigners(s, payload.cosigners, by=request.user))


@router.post("/{int:suggestion_id}/cosign", response=Brief, summary="Confirm my co-signature")
def cosign(request: HttpRequest, suggestion_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    submission.confirm_cosign(s, by=request.user)
    return _brief(s)


@router.post("/{int:suggestion_id}/decline", response=Brief, summary="Decline to co-sign")
def decline(request: HttpRequest, suggestion_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    submission.decline_cosign(s, by=request.user)
    return _brief(s)


@router.delete(
    "/{int:suggestion_id}/cosigners/{int:deputy_id}",
    response=Brief,
    summary="Remove a co-signer or withdraw an invitation (lead deputy, before registration)",
)
def remove_cosigner(request: HttpRequest, suggestion_id: int, deputy_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(submission.remove_cosigner(s, deputy_id, by=request.user))


@router.post(
    "/{int:suggestion_id}/cosign/withdraw",
    response=Brief,
    summary="Withdraw my co-signature (before registration)",
)
def withdraw_cosign(request: HttpRequest, suggestion_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(submission.withdraw_cosign(s, by=request.user))


@router.post("/{int:suggestion_id}/submit", response=Brief, summary="Submit a draft")
def submit(request: HttpRequest, suggestion_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(submission.submit(s, by=request.user))


@router.post("/{int:suggestion_id}/register", response=Brief, summary="Register (立案)")
def register(request: HttpRequest, suggestion_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(registration.register(s, by=request.user))


@router.post("/{int:suggestion_id}/reject", response=Brief, summary="Reject (SUG-EXCLUDED)")
def reject(request: HttpRequest, suggestion_id: int, payload: RejectIn) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(
        registration.reject(
            s, ground=payload.ground, explanation=payload.explanation, by=request.user
        )
    )


@router.post("/{int:suggestion_id}/convert", response=Brief, summary="Convert motion ↔ suggestion")
def convert(request: HttpRequest, suggestion_id: int) -> Brief:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _brief(registration.convert(s, by=request.user))
