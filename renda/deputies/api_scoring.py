"""JSON API of the deputies app: the scoring part (DEP-SCORE), mounted at /api/v1/deputies.

- `GET /deputies/{id}/score?year=` (fixed contract): `{"total", "grade", "by_kind", "rule_table"}`
  and more; the deputy themself, their congress's office and administrators; 404 for others.
- `/deputies/scoring/...`: the office's rule table, ranked list, recomputation and history.

Thin: parameters as text checked by the actions (422 naming the field), objects through the
permission helpers (404 for missing and forbidden alike), writes through the actions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from renda.errors import InvalidInput
from renda.orgs.permissions import MAX_PK

from .actions.scoring import change_rule_table, clean_year, ensure_rule_table, request_recompute
from .models import Delegation, DeputyGroup, ScoreRuleTable
from .permissions import get_scored_deputyship, valid_pk
from .queries_scoring import (
    congress_for_scores,
    last_scoring,
    rank_rows,
    ranked_scores,
    score_view,
    scoring_history,
)
from .scoring_rules import GRADE_ORDER

router = Router()

Id = Annotated[int, Field(ge=1, le=MAX_PK, strict=True)]
Year = Annotated[int, Field(ge=1900, le=2999, strict=True)]
PAGE_MAX = 500


def _year(raw: str | None) -> int:
    return timezone.localdate().year if raw in (None, "") else clean_year(raw)


def _int(raw: str | None, field: str, low: int, high: int, default: int) -> int:
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not low <= int(text) <= high:
        raise InvalidInput(
            _("%(field)s: must be a whole number between %(low)d and %(high)d.")
            % {"field": field, "low": low, "high": high}
        )
    return int(text)


# --- one deputy's score (fixed contract) -----------------------------------------------------
class KindOut(Schema):
    count: int
    points: float
    capped: bool


class NextGradeOut(Schema):
    grade: str
    points_missing: float


class ScoreOut(Schema):
    total: float
    grade: str
    by_kind: dict[str, KindOut]
    rule_table: int
    deputy: int
    year: int
    grade_label: str
    computed_at: datetime | None = Field(description="null: computed now, not yet stored")
    live: bool
    missing: list[str] = Field(description="kinds the table rewards with no record this year")
    next_grade: NextGradeOut | None


@router.get("/{id}/score", response=ScoreOut, summary="A deputy's performance points (DEP-SCORE)")
def deputy_score(request: HttpRequest, id: str, year: str | None = None) -> Any:
    """`id` is the deputyship's id. The stored score of the year; for the current year before
    the office's first computation, computed now (`live: true`). A past year never computed:
    404."""
    deputyship = get_scored_deputyship(request.user, id)
    view = score_view(deputyship, _year(year), today=timezone.localdate())
    if view is None:
        raise Http404
    return {
        "total": float(view.total),
        "grade": view.grade,
        "by_kind": view.by_kind(),
        "rule_table": view.table.pk,
        "deputy": deputyship.pk,
        "year": view.year,
        "grade_label": view.grade_label,
        "computed_at": view.computed_at,
        "live": view.live,
        "missing": [m.kind for m in view.missing],
        "next_grade": {"grade": view.next_grade[0], "points_missing": float(view.next_grade[1])}
        if view.next_grade
        else None,
    }


# --- the office: rule table ------------------------------------------------------------------
class RuleTableOut(Schema):
    id: int
    congress: int
    name: str
    rules: dict[str, Any]
    current: bool
    created_at: datetime
    created_by: int | None


def _table_out(table: ScoreRuleTable) -> dict[str, Any]:
    return {
        "id": table.pk,
        "congress": table.congress_id,
        "name": table.name,
        "rules": table.rules,
        "current": table.current,
        "created_at": table.created_at,
        "created_by": table.created_by_id,
    }


@router.get("/scoring/rules", response=RuleTableOut, summary="The congress's current score table")
def current_rules(request: HttpRequest, congress: str | None = None) -> Any:
    """The current rule table (the default one is created on first use). Office and admins."""
    c = congress_for_scores(request.user, None if congress is None else valid_pk(congress))
    return _table_out(ensure_rule_table(c, by=request.user))


class RulesIn(Schema):
    congress: Id
    name: str = Field(max_length=200)
    rules: dict[str, Any]
    recompute_years: list[Year] = Field(default_factory=list, max_length=30)


class RecomputedOut(Schema):
    year: int
    queued: bool
    scoring: int | None


class RulesChangedOut(Schema):
    rule_table: RuleTableOut
    recomputed: list[RecomputedOut]


def _outcome(o: Any) -> dict[str, Any]:
    return {"year": o.year, "queued": o.queued, "scoring": getattr(o.scoring, "pk", None)}


@router.post("/scoring/rules", response={201: RulesChangedOut}, summary="Set a new score table")
def set_rules(request: HttpRequest, payload: RulesIn) -> Any:
    """A new current table (the old one is kept); this year's scores are recomputed, and those
    of `recompute_years`. 422 names the field at fault ("points.leave: …")."""
    c = congress_for_scores(request.user, payload.congress)
    table, outcomes = change_rule_table(
        c,
        name=payload.name,
        rules=payload.rules,
        by=request.user,
        recompute_years=payload.recompute_years,
    )
    return Status(
        201, {"rule_table": _table_out(table), "recomputed": [_outcome(o) for o in outcomes]}
    )


# --- the office: scores, recomputation, history -------------------------------------------------
class RankedOut(Schema):
    deputy: int
    name: str
    delegation: str | None
    status: str
    rank: int
    total: float
    grade: str


class ScoresOut(Schema):
    congress: int
    year: int
    rule_table: int | None
    computed_at: datetime | None
    count: int
    results: list[RankedOut]


@router.get("/scoring/scores", response=ScoresOut, summary="A congress-year's scores, ranked")
def scores(
    request: HttpRequest,
    congress: str | None = None,
    year: str | None = None,
    delegation: str | None = None,
    group: str | None = None,
    grade: str | None = None,
    limit: str | None = None,
    offset: str | None = None,
) -> Any:
    """Highest first; filters by delegation, group and grade; `limit` (default 100, at most
    500) and `offset`. Office and admins."""
    c = congress_for_scores(request.user, None if congress is None else valid_pk(congress))
    y = _year(year)
    if grade not in (None, "") and grade not in GRADE_ORDER:
        raise InvalidInput(_("grade: one of %(grades)s.") % {"grades": ", ".join(GRADE_ORDER)})
    dele = None
    if delegation not in (None, ""):
        dele = Delegation.objects.filter(pk=valid_pk(delegation), congress=c).first()
        if dele is None:
            raise InvalidInput(_("delegation: not a delegation of this congress."))
    grp = None
    if group not in (None, ""):
        grp = DeputyGroup.objects.filter(pk=valid_pk(group), congress=c).first()
        if grp is None:
            raise InvalidInput(_("group: not a group of this congress."))
    lim = _int(limit, "limit", 1, PAGE_MAX, 100)
    off = _int(offset, "offset", 0, 10**9, 0)
    qs = ranked_scores(c, y, delegation=dele, group=grp, grade=grade or None)
    last = last_scoring(c, y)
    return {
        "congress": c.pk,
        "year": y,
        "rule_table": getattr(last, "rule_table_id", None),
        "computed_at": getattr(last, "computed_at", None),
        "count": qs.count(),
        "results": [
            {
                "deputy": s.deputyship_id,
                "name": s.deputyship.person.name,
                "delegation": getattr(s.deputyship.delegation, "name", None),
                "status": s.deputyship.status,
                "rank": s.rank,
                "total": float(s.total),
                "grade": s.grade,
            }
            for s in rank_rows(list(qs.defer("by_kind")[off : off + lim]), qs)
        ],
    }


class RecomputeIn(Schema):
    congress: Id
    year: Year


@router.post(
    "/scoring/recompute",
    response={200: RecomputedOut, 202: RecomputedOut},
    summary="Recompute a congress-year's scores",
)
def recompute(request: HttpRequest, payload: RecomputeIn) -> Any:
    """200 when computed at once; 202 when queued for the background worker (big congress)."""
    c = congress_for_scores(request.user, payload.congress)
    outcome = request_recompute(c, payload.year, by=request.user)
    return Status(202 if outcome.queued else 200, _outcome(outcome))


class ScoringOut(Schema):
    id: int
    year: int
    rule_table: int
    rule_table_name: str
    computed_at: datetime
    computed_by: int | None
    deputies: int


@router.get("/scoring/history", response=list[ScoringOut], summary="Computations of the scores")
def history(request: HttpRequest, congress: str | None = None) -> Any:
    """Every computation, newest first (at most 200), with the table each used."""
    c = congress_for_scores(request.user, None if congress is None else valid_pk(congress))
    return [
        {
            "id": s.pk,
            "year": s.year,
            "rule_table": s.rule_table_id,
            "rule_table_name": s.rule_table.name,
            "computed_at": s.computed_at,
            "computed_by": s.computed_by_id,
            "deputies": s.deputies,
        }
        for s in scoring_history(c)[:200]
    ]
