"""JSON API of the livelihood year (mounted at /api/v1/livelihood):

- GET  /plans — every plan: congress, year, window, state, M (no personal data). No sign-in.
- GET  /plans/{id}/candidates — the candidate list: staff of the plan see every state, deputies
  of the congress the approved ones (and the vote's results).
- GET  /projects?year=&congress= — the chosen projects of public plans, with progress, budget
  spent, latest report and evaluation shares. No sign-in.
- POST /proposals — a proposal from the public, in the plan's window. No sign-in; limited per
  address and per phone (429 + Retry-After).
- GET  /projects/{id}/reports — a chosen project's monthly reports (public).
- POST /projects/{id}/reports — the lead unit files a monthly report (JSON, no photos).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from renda.audit.addresses import client_address
from renda.deputies.permissions import valid_pk
from renda.errors import NotFound
from renda.opinions.actions.receiving import clean_phone, phone_key
from renda.opinions.api_receiving import too_many

from . import limits
from .actions import file_report, propose
from .choices import CandidateState
from .models import TEXT_MAX, Plan, ProgressReport, Project
from .permissions import can_see_proposals, deputyship_of, get_project_for_user
from .queries import board, candidates, public_plans, year_projects

router = Router()
Short = Annotated[str, Field(max_length=500)]


class PlanOut(Schema):
    id: int
    congress: int
    congress_name: str
    year: int
    title: str
    state: str
    collect_from: date
    collect_until: date
    max_choices: int


def _plan_out(p: Plan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "congress": p.congress_id,
        "congress_name": p.congress.name,
        "year": p.year,
        "title": p.title,
        "state": p.state,
        "collect_from": p.collect_from,
        "collect_until": p.collect_until,
        "max_choices": p.max_choices,
    }


@router.get("/plans", response=list[PlanOut], auth=None, summary="Livelihood plans")
def plans(request: HttpRequest) -> Any:
    rows = Plan.objects.select_related("congress").order_by("-year", "congress_id")
    return [_plan_out(p) for p in rows]


class CandidateOut(Schema):
    id: int
    position: int
    title: str
    content: str
    lead_unit: str
    budget: Decimal
    funding_source: str
    timeline: str
    expected_outcome: str
    state: str
    votes: int | None
    rank: int | None


@router.get(
    "/plans/{plan_id}/candidates",
    response=list[CandidateOut],
    summary="The candidate list (staff: every state; deputies: approved)",
)
def plan_candidates(request: HttpRequest, plan_id: int) -> Any:
    plan = Plan.objects.select_related("congress").filter(pk=valid_pk(plan_id)).first()
    if plan is None:
        raise NotFound(_("Not found."))
    staff = can_see_proposals(request.user, plan)
    if not staff and deputyship_of(request.user, plan.congress_id) is None:
        raise NotFound(_("Not found."))
    return [
        {
            "id": c.pk,
            "position": c.position,
            "title": c.title,
            "content": c.content,
            "lead_unit": c.lead_unit.name,
            "budget": c.budget,
            "funding_source": c.funding_source,
            "timeline": c.timeline,
            "expected_outcome": c.expected_outcome,
            "state": c.state,
            "votes": c.votes,
            "rank": c.rank,
        }
        for c in candidates(plan, approved_only=not staff)
    ]


class ReportOut(Schema):
    id: int
    month: str
    text: str
    percent: int
    spent: Decimal
    photos: int


def _report_out(r: ProgressReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "month": f"{r.month:%Y-%m}",
        "text": r.text,
        "percent": r.percent,
        "spent": r.spent,
        "photos": len(r.photos.all()),
    }


class EvaluationOut(Schema):
    satisfied: float | None
    basic: float | None
    dissatisfied: float | None
    total: int


class ProjectOut(Schema):
    id: int
    plan: int
    year: int
    congress: int
    title: str
    content: str
    lead_unit: str
    budget: Decimal
    spent: Decimal
    spent_percent: float | None
    progress: str
    completed_on: date | None
    votes: int | None
    rank: int | None
    latitude: float | None
    longitude: float | None
    latest_report: ReportOut | None
    evaluation: EvaluationOut | None


@router.get(
    "/projects",
    response=list[ProjectOut],
    auth=None,
    summary="The chosen livelihood projects with their progress (public)",
)
def projects(request: HttpRequest, year: int | None = None, congress: int | None = None) -> Any:
    if year is not None and not 2000 <= year <= 2100:
        year = -1
    plan_ids = set(year_projects(year, congress).values_list("plan_id", flat=True))
    out = []
    for plan in public_plans().filter(pk__in=plan_ids).order_by("year", "congress_id"):
        for r in board(plan).rows:
            p = r.project
            out.append(
                {
                    "id": p.pk,
                    "plan": plan.pk,
                    "year": plan.year,
                    "congress": plan.congress_id,
                    "title": p.title,
                    "content": p.content,
                    "lead_unit": p.lead_unit.name,
                    "budget": p.budget,
                    "spent": r.spent,
                    "spent_percent": r.spent_percent,
                    "progress": r.progress,
                    "completed_on": p.completed_on,
                    "votes": p.votes,
                    "rank": p.rank,
                    "latitude": float(p.latitude) if p.latitude is not None else None,
                    "longitude": float(p.longitude) if p.longitude is not None else None,
                    "latest_report": _report_out(r.latest) if r.latest else None,
                    "evaluation": r.evaluation,
                }
            )
    return out


class ProposalIn(Schema):
    plan: int
    title: Annotated[str, Field(max_length=TEXT_MAX)]
    text: Annotated[str, Field(max_length=TEXT_MAX * 2)]
    location: Short = ""
    name: Short = ""
    phone: Short = ""
    anonymous: bool = False


class ProposalOut(Schema):
    id: int
    plan: int


@router.post(
    "/proposals",
    response={201: ProposalOut},
    auth=None,
    summary="Propose a livelihood project (no sign-in; in the plan's collection window)",
)
def submit_proposal(request: HttpRequest, payload: ProposalIn) -> Any:
    address = client_address(request)
    phone = "" if payload.anonymous else phone_key(clean_phone(payload.phone))
    verdict = limits.check_submit(address, phone)
    if not verdict.allowed:
        return too_many(verdict, _("proposals"))
    plan = Plan.objects.filter(pk=valid_pk(payload.plan)).first() if payload.plan > 0 else None
    if plan is None:
        raise NotFound(_("No such plan."))
    proposal = propose(
        plan,
        title=payload.title,
        text=payload.text,
        location=payload.location,
        name=payload.name,
        phone=payload.phone,
        anonymous=payload.anonymous,
    )
    limits.count_submit(address, phone)
    return Status(201, {"id": proposal.pk, "plan": plan.pk})


def _public_project(pk: int) -> Project:
    project = (
        Project.objects.filter(
            pk=valid_pk(pk), state=CandidateState.CHOSEN, plan__in=public_plans()
        )
        .select_related("plan")
        .first()
    )
    if project is None:
        raise NotFound(_("Not found."))
    return project


@router.get(
    "/projects/{project_id}/reports",
    response=list[ReportOut],
    auth=None,
    summary="A chosen project's monthly progress reports (public)",
)
def reports(request: HttpRequest, project_id: int) -> Any:
    project = _public_project(project_id)
    return [_report_out(r) for r in project.reports.prefetch_related("photos")]


class ReportIn(Schema):
    month: Annotated[str, Field(max_length=10)]
    text: Annotated[str, Field(max_length=TEXT_MAX * 2)]
    percent: int
    spent: Decimal | float | Annotated[str, Field(max_length=30)]


@router.post(
    "/projects/{project_id}/reports",
    response={201: ReportOut},
    summary="The lead unit files a monthly progress report",
)
def add_report(request: HttpRequest, project_id: int, payload: ReportIn) -> Any:
    try:
        project = get_project_for_user(request.user, project_id)
    except Http404 as err:
        raise NotFound(_("Not found.")) from err
    report = file_report(
        project,
        month=payload.month,
        text=payload.text,
        percent=payload.percent,
        spent=payload.spent,
        by=request.user,
    )
    return Status(201, _report_out(report))
