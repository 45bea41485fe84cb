"""JSON API of the opinions app: the handling part (mounted at /api/v1/opinions in renda/api.py).

Fixed contract: `POST /api/v1/opinions/{id}/triage` `{"outcome": "answered"|"deputy"|
"suggestion"|"refer"|"merge"|"close"|"pass_up", ...}` and `POST /api/v1/opinions/{id}/answer`
`{"text"}`. Thin: the opinion comes through permissions.get_opinion_for_user (404 for missing
and not-yours alike), every change through actions.handling (a wrong state is a 409).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from .actions import handling as actions
from .models import TEXT_MAX, Opinion
from .permissions import MAX_PK, get_opinion_for_user

router = Router()

Id = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
Text = Annotated[str, Field(max_length=TEXT_MAX * 2)]


class TriageIn(Schema):
    outcome: Literal["answered", "deputy", "suggestion", "refer", "merge", "close", "pass_up"]
    text: Text = ""  # answered: the answer; close: the explanation; pass_up: why (optional)
    deputy: Id | None = None  # deputy, suggestion: the Deputyship
    title: Annotated[str, Field(max_length=400)] = ""  # suggestion: the draft's title
    unit: Id | None = None  # refer: the HandlingUnit
    into: Id | None = None  # merge: the earlier opinion


class AnswerIn(Schema):
    text: Text


class ReferralOut(Schema):
    id: int
    unit: int
    state: str
    due: date | None
    late: bool


class HandlingOut(Schema):
    id: int
    state: str
    outcome: str
    congress: int
    passed_from: int | None
    follow_up_deputy: int | None
    merged_into: int | None
    suggestion: int | None
    referral: ReferralOut | None


def _out(opinion: Opinion, referral: object = None) -> HandlingOut:
    ref = None
    if referral is not None:
        ref = ReferralOut(
            id=referral.pk,  # type: ignore[attr-defined]
            unit=referral.unit_id,  # type: ignore[attr-defined]
            state=referral.state,  # type: ignore[attr-defined]
            due=referral.due,  # type: ignore[attr-defined]
            late=referral.late,  # type: ignore[attr-defined]
        )
    return HandlingOut(
        id=opinion.pk,
        state=opinion.state,
        outcome=opinion.outcome,
        congress=opinion.congress_id,
        passed_from=opinion.passed_from_id,
        follow_up_deputy=opinion.follow_up_deputy_id,
        merged_into=opinion.merged_into_id,
        suggestion=opinion.suggestion_id,
        referral=ref,
    )


@router.post("/{int:opinion_id}/triage", response=HandlingOut, summary="Triage an opinion")
def triage(request: HttpRequest, opinion_id: int, payload: TriageIn) -> HandlingOut:
    opinion = get_opinion_for_user(request.user, opinion_id)
    result = actions.triage(
        opinion,
        payload.outcome,
        by=request.user,
        text=payload.text,
        deputy=payload.deputy,
        title=payload.title,
        unit=payload.unit,
        into=payload.into,
    )
    return _out(result.opinion, result.referral)


@router.post("/{int:opinion_id}/answer", response=HandlingOut, summary="The referred unit answers")
def answer(request: HttpRequest, opinion_id: int, payload: AnswerIn) -> HandlingOut:
    opinion = get_opinion_for_user(request.user, opinion_id)
    referral = actions.answer_referral(opinion, text=payload.text, by=request.user)
    opinion.refresh_from_db()
    return _out(opinion, referral)
