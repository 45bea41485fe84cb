"""JSON API of the assignment proposals (mounted at /api/v1/routing; issue 7's fixed contract):
`POST /suggest` {"title", "body"?} → the five most likely lead units with score and reason, and
the model's training date, sample count and accuracy. The office and administrators only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StrictInt, StrictStr

from renda.suggestions.models import BODY_MAX, TITLE_MAX

from .permissions import get_routing_congress
from .queries import propose

router = Router()


class SuggestIn(Schema):
    title: Annotated[StrictStr, Field(min_length=1, max_length=TITLE_MAX)]
    body: Annotated[StrictStr, Field(max_length=BODY_MAX)] = ""
    congress: StrictInt | None = None


class UnitOut(Schema):
    id: int
    name: str
    score: float
    reason: str


class ModelOut(Schema):
    trained_at: datetime
    samples: int
    accuracy: float | None


class SuggestOut(Schema):
    units: list[UnitOut]
    model: ModelOut | None
    detail: str = ""


@router.post("/suggest", response=SuggestOut, summary="Propose lead units for a text")
def suggest(request: HttpRequest, payload: SuggestIn) -> Any:
    """The five most likely lead units (score 0–1; reason: the words that weighed most),
    learned from this congress's past assignments. With too little history: no units, `model`
    null and `detail` saying why. `congress` is needed only by people working for several."""
    congress = get_routing_congress(request.user, payload.congress)
    found = propose(congress.pk, payload.title, payload.body)
    return {
        "units": [
            {"id": u.id, "name": u.name, "score": u.score, "reason": "、".join(u.reason)}
            for u in found.units
        ],
        "model": found.model,
        "detail": found.why_none,
    }
