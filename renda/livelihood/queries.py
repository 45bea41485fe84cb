"""Reads of the livelihood year: the plans, the candidate list, the public progress board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from renda.orgs.models import Congress

from .choices import CandidateState, PlanState, Progress
from .models import Milestone, Plan, ProgressReport, Project, Proposal

PUBLIC_PLAN_STATES = (PlanState.CHOSEN, PlanState.EVALUATING, PlanState.EVALUATED)


def public_plans() -> QuerySet[Plan]:
    """Plans whose chosen projects the public board shows."""
    return Plan.objects.filter(state__in=PUBLIC_PLAN_STATES).select_related("congress")


def open_plans(today: date | None = None) -> QuerySet[Plan]:
    """Plans taking proposals today (the public form lists them)."""
    today = today or timezone.localdate()
    return Plan.objects.filter(
        state=PlanState.COLLECTING, collect_from__lte=today, collect_until__gte=today
    ).select_related("congress")


def live_proposals(plan: Plan) -> QuerySet[Proposal]:
    """The plan's proposals that survived merging, with how many were merged into each."""
    return (
        Proposal.objects.filter(plan=plan, merged_into=None)
        .annotate(merged=Count("duplicates"))
        .select_related("deputy__person")
        .order_by("-created_at", "-id")
    )


def candidates(plan: Plan, *, approved_only: bool = False) -> QuerySet[Project]:
    qs = Project.objects.filter(plan=plan).select_related("lead_unit")
    if approved_only:
        qs = qs.filter(
            state__in=[CandidateState.APPROVED, CandidateState.CHOSEN, CandidateState.NOT_CHOSEN]
        )
    return qs.order_by("position", "id")


def progress_of(project: Project, milestones: list[Milestone], today: date) -> str:
    """Done when completed; late when a milestone's planned date has passed without it being
    reached; else on time."""
    if project.completed_on:
        return Progress.DONE
    if any(m.done_on is None and m.planned_on < today for m in milestones):
        return Progress.LATE
    return Progress.ON_TIME


def _share(part: int | None, whole: int) -> float | None:
    return round(100 * (part or 0) / whole, 1) if whole else None


@dataclass
class BoardRow:
    project: Project
    progress: str
    progress_label: str
    spent: Decimal
    spent_percent: float | None
    latest: ProgressReport | None
    milestones: list[Milestone]
    evaluation: dict[str, float | None] | None
    x: float | None = None
    y: float | None = None


@dataclass
class Board:
    plan: Plan
    rows: list[BoardRow]
    counts: dict[str, int] = field(default_factory=dict)
    budget: Decimal = Decimal("0")
    spent: Decimal = Decimal("0")
    mapped: list[BoardRow] = field(default_factory=list)


def _evaluation(project: Project) -> dict[str, float | None] | None:
    counts = (project.eval_satisfied, project.eval_basic, project.eval_dissatisfied)
    if any(c is None for c in counts):
        return None
    total = sum(c or 0 for c in counts)
    return {
        "satisfied": _share(project.eval_satisfied, total),
        "basic": _share(project.eval_basic, total),
        "dissatisfied": _share(project.eval_dissatisfied, total),
        "total": total,
    }


def _place_on_map(rows: list[BoardRow]) -> list[BoardRow]:
    """Points on a local SVG (no tiles, no network): the projects' coordinates scaled into a
    100×70 box with a margin, north up."""
    located = [r for r in rows if r.project.latitude is not None]
    if not located:
        return []
    lats = [float(r.project.latitude) for r in located]  # type: ignore[arg-type]
    lons = [float(r.project.longitude) for r in located]  # type: ignore[arg-type]
    span_lat = max(max(lats) - min(lats), 0.01)
    span_lon = max(max(lons) - min(lons), 0.01)
    for r, lat, lon in zip(located, lats, lons, strict=True):
        r.x = round(8 + 84 * (lon - min(lons)) / span_lon, 2)
        r.y = round(62 - 54 * (lat - min(lats)) / span_lat, 2)
    return located


def board(plan: Plan, today: date | None = None) -> Board:
    """The public progress board of a plan's chosen projects (four queries)."""
    today = today or timezone.localdate()
    projects = list(
        Project.objects.filter(plan=plan, state=CandidateState.CHOSEN)
        .select_related("lead_unit")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "id")),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.order_by("-month", "-id").prefetch_related(
                    "photos"
                ),
            ),
        )
        .order_by("rank", "position", "id")
    )
    rows = []
    counts = {p.value: 0 for p in Progress}
    labels = dict(Progress.choices)
    for project in projects:
        milestones = list(project.milestones.all())
        reports = list(project.reports.all())
        latest = reports[0] if reports else None
        spent = latest.spent if latest else Decimal("0")
        progress = progress_of(project, milestones, today)
        counts[progress] += 1
        rows.append(
            BoardRow(
                project=project,
                progress=progress,
                progress_label=str(labels[progress]),
                spent=spent,
                spent_percent=_share(spent, project.budget) if project.budget else None,  # type: ignore[arg-type]
                latest=latest,
                milestones=milestones,
                evaluation=_evaluation(project),
            )
        )
    result = Board(plan=plan, rows=rows, counts=counts)
    result.budget = sum((r.project.budget for r in rows), Decimal("0"))
    result.spent = sum((r.spent for r in rows), Decimal("0"))
    result.mapped = _place_on_map(rows)
    return result


def plans_for_board(congress: Congress | None = None) -> QuerySet[Plan]:
    qs = public_plans()
    if congress is not None:
        qs = qs.filter(congress=congress)
    return qs.order_by("-year", "congress_id")


def proposal_counts(plan: Plan) -> dict[str, int]:
    return Proposal.objects.filter(plan=plan).aggregate(
        total=Count("id"),
        live=Count("id", filter=Q(merged_into=None)),
        public=Count("id", filter=Q(source="public")),
        deputies=Count("id", filter=Q(source="deputy")),
    )


def year_projects(year: int | None = None, congress: Any = None) -> QuerySet[Project]:
    """Chosen projects of public plans (the API's list)."""
    qs = Project.objects.filter(
        state=CandidateState.CHOSEN, plan__state__in=PUBLIC_PLAN_STATES
    ).select_related("plan", "lead_unit")
    if year is not None:
        qs = qs.filter(plan__year=year)
    if congress is not None:
        qs = qs.filter(plan__congress_id=congress)
    return qs.order_by("plan__year", "plan__congress_id", "rank", "id")
