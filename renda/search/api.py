"""Search and similar suggestions in the JSON API (issue 7 point 4; fixed contract, extended):

- `GET /api/v1/search?q=&kind=` → ranked hits with highlighted snippets (escaped HTML with
  <mark>), plus paging (`page`, `per_page`), filters (`congress`, `year`, `state`) and `total`.
  Anyone may call it: the public finds published answers only.
- `POST /api/v1/suggestions/similar` `{"title", "body"?, "congress"?, "exclude"?}` →
  `{"items": [{"id", "title", "score", "shared", "url", ...}]}`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from renda.accounts.auth import BearerTokenAuth, SessionAuth
from renda.errors import InvalidInput

from . import queries
from .permissions import congress_for_similar
from .queries import MAX_PAGE, MAX_PER_PAGE, PER_PAGE

router = Router()


def _anonymous(request: HttpRequest) -> Any:
    """No credentials at all: the public (a wrong or expired token is still a 401)."""
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    return AnonymousUser()


def _states() -> set[str]:
    from renda.opinions.choices import OpinionState
    from renda.suggestions.choices import State

    return set(State.values) | set(OpinionState.values)


class SearchQuery(Schema):
    q: str = ""
    kind: str | None = None
    congress: int | None = Field(None, ge=1, le=2**31 - 1)
    year: int | None = Field(None, ge=1949, le=9999)
    state: str | None = Field(None, max_length=20)
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE)


class HitOut(Schema):
    kind: str
    id: int
    score: float
    title: str
    snippet: str
    url: str
    meta: dict[str, Any]


class SearchOut(Schema):
    query: str
    words: list[str]
    total: int
    total_capped: bool
    page: int
    per_page: int
    has_next: bool
    items: list[HitOut]


@router.get(
    "/search",
    response=SearchOut,
    auth=[BearerTokenAuth(), SessionAuth(), _anonymous],
    summary="Search suggestions, answers and opinions I may see",
)
def search(request: HttpRequest, params: Query[SearchQuery]) -> Any:
    if params.state and params.state not in _states():
        raise InvalidInput(_("state: unknown state."), code="bad_state")
    user = request.auth  # type: ignore[attr-defined]
    results = queries.search(
        user,
        params.q,
        kind=params.kind,
        congress=params.congress,
        year=params.year,
        state=params.state,
        page=params.page,
        per_page=params.per_page,
    )
    return {
        "query": results.query,
        "words": results.words,
        "total": results.total,
        "total_capped": results.total_capped,
        "page": results.page,
        "per_page": results.per_page,
        "has_next": results.has_next,
        "items": [h.__dict__ for h in results.hits],
    }


class SimilarIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field("", max_length=50_000)
    congress: int | None = Field(None, ge=1, le=2**31 - 1)
    exclude: int | None = Field(None, ge=1, le=2**63 - 1)


class SimilarItem(Schema):
    id: int
    title: str
    score: float
    shared: list[str]
    url: str
    number: str


class SimilarOut(Schema):
    items: list[SimilarItem]


@router.post(
    "/suggestions/similar",
    response=SimilarOut,
    summary="Existing suggestions that look like the same matter (并案)",
)
def similar(request: HttpRequest, payload: SimilarIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    congress = congress_for_similar(user, payload.congress)
    items = queries.similar_suggestions(
        user, title=payload.title, body=payload.body, congress=congress, exclude=payload.exclude
    )
    return {"items": [i.__dict__ for i in items]}
