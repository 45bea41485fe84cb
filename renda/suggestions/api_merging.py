"""JSON API for joint handling (并案办理, issue 7 point 4; mounted at /api/v1/suggestions):
merge a suggestion into another, undo it, and list what is merged into one. Thin: parse, fetch
through a permission helper, call the action (renda.suggestions.actions.merging), respond."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from renda.errors import InvalidInput, require
from renda.orgs.permissions import MAX_PK

from .actions import merging as actions
from .models import Merge, Suggestion
from .permissions import get_suggestion_for_user, is_office

router = Router()

SuggestionId = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]


class MergeIn(Schema):
    into: SuggestionId


class MergedOut(Schema):
    id: int
    number: str
    state: str
    into: int | None
    into_number: str


class MergedItem(Schema):
    id: int
    number: str
    title: str
    merged_at: datetime


class JointOut(Schema):
    id: int
    merged_into: int | None
    merged: list[MergedItem]


def _out(s: Suggestion) -> MergedOut:
    row = Merge.objects.filter(suggestion_id=s.pk).select_related("into").first()
    return MergedOut(
        id=s.pk,
        number=s.number,
        state=s.state,
        into=row.into_id if row else None,
        into_number=row.into.number if row else "",
    )


@router.post(
    "/{int:suggestion_id}/merge",
    response=MergedOut,
    summary="Merge into another suggestion for joint handling (并案, office)",
)
def merge(request: HttpRequest, suggestion_id: int, payload: MergeIn) -> MergedOut:
    s = get_suggestion_for_user(request.user, suggestion_id)
    # Refused before `into` is looked up: a non-office user gets 403, not "no such suggestion".
    require(is_office(request.user, s), _("Only the deputy-affairs office merges suggestions."))
    try:
        into = get_suggestion_for_user(request.user, payload.into)
    except Http404:
        raise InvalidInput("into: " + _("No such suggestion you may see.")) from None
    actions.merge(s, into=into, by=request.user)
    s.refresh_from_db()
    return _out(s)


@router.post(
    "/{int:suggestion_id}/unmerge",
    response=MergedOut,
    summary="Undo a merge while the primary is unanswered (office)",
)
def unmerge(request: HttpRequest, suggestion_id: int) -> MergedOut:
    s = get_suggestion_for_user(request.user, suggestion_id)
    return _out(actions.unmerge(s, by=request.user))


@router.get(
    "/{int:suggestion_id}/joint",
    response=JointOut,
    summary="What this suggestion is merged into, and what is merged into it",
)
def joint(request: HttpRequest, suggestion_id: int) -> JointOut:
    s = get_suggestion_for_user(request.user, suggestion_id)
    row = Merge.objects.filter(suggestion_id=s.pk).first()
    merged = [
        MergedItem(
            id=m.suggestion_id,
            number=m.suggestion.number,
            title=m.suggestion.title,
            merged_at=m.merged_at,
        )
        for m in Merge.objects.filter(into=s)
        .select_related("suggestion")
        .order_by("merged_at", "id")
    ]
    return JointOut(id=s.pk, merged_into=row.into_id if row else None, merged=merged)
