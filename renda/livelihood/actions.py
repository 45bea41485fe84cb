"""Every write of the livelihood year: one atomic, audited function per verb, actor `by`.

The vote itself is renda.votes' (the ballot engine): put_to_vote, adopt_result, open_evaluation
and adopt_evaluation (votes_bridge.py) call its actions; nothing here counts a ballot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.models import RoleAssignment
from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify
from renda.opinions.actions.receiving import clean_phone, clean_text
from renda.opinions.images import CleanImage, max_count
from renda.orgs.models import Congress, HandlingUnit
from renda.rules.profiles import profile_for

from .choices import CandidateState, PlanState, ProposalSource
from .models import (
    LOCATION_MAX,
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Inspection,
    Milestone,
    Plan,
    ProgressReport,
    Project,
    Proposal,
    ReportPhoto,
    SupervisionMember,
)
from .permissions import (
    can_draft_candidates,
    can_inspect,
    can_manage_plan,
    can_report,
    deputyship_of,
    is_office,
)

BUDGET_MAX = Decimal("999999999999.99")


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", code="invalid")


def _state(obj: Any, *states: str) -> None:
    if obj.state not in states:
        raise DomainError(
            _("Not possible now: it is %(state)s.") % {"state": obj.get_state_display()},
            code="invalid_state",
        )


def _lock(model: Any, obj: Any) -> Any:
    return model.objects.select_for_update().get(pk=obj.pk)


def clean_money(field: str, value: Any) -> Decimal:
    """An amount in yuan: a number ≥ 0 with at most two decimals."""
    if isinstance(value, bool) or value in (None, ""):
        raise _invalid(field, _("is required."))
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise _invalid(field, _("must be an amount in yuan.")) from None
    if not amount.is_finite() or amount < 0 or amount > BUDGET_MAX:
        raise _invalid(field, _("must be an amount in yuan."))
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise _invalid(field, _("at most two decimals (fen)."))
    return amount.quantize(Decimal("0.01"))


def _clean_date(field: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise _invalid(field, _("a date as YYYY-MM-DD.")) from None


# --- the plan and the collection window


@transaction.atomic
def create_plan(
    *,
    congress: Congress,
    year: int,
    title: str,
    collect_from: date,
    collect_until: date,
    max_choices: int | None = None,
    by: Any,
) -> Plan:
    """A congress's plan for one year, with its collection window; M defaults to the rule
    profile's `lp_max_choices` (LP-VOTE: a setting per congress, not a constant)."""
    require(is_office(by, congress.pk), _("Only the congress office creates a plan."))
    if not 2000 <= int(year) <= 2100:
        raise _invalid("year", _("between 2000 and 2100."))
    collect_from = _clean_date("collect_from", collect_from)
    collect_until = _clean_date("collect_until", collect_until)
    if collect_until < collect_from:
        raise _invalid("collect_until", _("the window closes before it opens."))
    m = profile_for(congress).lp_max_choices if max_choices is None else int(max_choices)
    if m < 1:
        raise _invalid("max_choices", _("at least 1."))
    if Plan.objects.filter(congress=congress, year=year).exists():
        raise DomainError(_("This congress has a plan for that year already."), code="exists")
    plan = Plan.objects.create(
        congress=congress,
        year=year,
        title=clean_text("title", title, max_length=TITLE_MAX, required=True),
        collect_from=collect_from,
        collect_until=collect_until,
        max_choices=m,
    )
    record_event(
        plan,
        "livelihood.plan_created",
        by=by,
        data={"year": year, "from": collect_from, "until": collect_until, "m": m},
    )
    return plan


@transaction.atomic
def update_window(plan: Plan, *, collect_from: date, collect_until: date, by: Any) -> Plan:
    """The office moves the collection window (while proposals are collected)."""
    plan = _lock(Plan, plan)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.COLLECTING)
    collect_from = _clean_date("collect_from", collect_from)
    collect_until = _clean_date("collect_until", collect_until)
    if collect_until < collect_from:
        raise _invalid("collect_until", _("the window closes before it opens."))
    plan.collect_from, plan.collect_until = collect_from, collect_until
    plan.save(update_fields=["collect_from", "collect_until"])
    record_event(
        plan, "livelihood.plan_updated", by=by, data={"from": collect_from, "until": collect_until}
    )
    return plan


def window_open(plan: Plan, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return plan.state == PlanState.COLLECTING and plan.collect_from <= today <= plan.collect_until


@transaction.atomic
def propose(
    plan: Plan,
    *,
    title: Any,
    text: Any,
    location: Any = "",
    name: Any = "",
    phone: Any = "",
    anonymous: bool = False,
    by: Any = None,
) -> Proposal:
    """A proposed project, in the plan's collection window only. From the public (`by` None:
    no account; name and phone optional) or from a signed-in deputy of the plan's congress.
    Audit: livelihood.proposed, without personal data."""
    plan = Plan.objects.select_related("congress").get(pk=plan.pk)
    if not window_open(plan):
        raise DomainError(
            _("Proposals are taken from %(start)s to %(end)s only.")
            % {"start": plan.collect_from, "end": plan.collect_until},
            code="window_closed",
        )
    deputy = None
    if by is not None and getattr(by, "is_authenticated", False):
        deputy = deputyship_of(by, plan.congress_id)
        require(deputy is not None, _("Only deputies of this congress propose when signed in."))
    anonymous = bool(anonymous) or deputy is not None
    proposal = Proposal.objects.create(
        plan=plan,
        source=ProposalSource.DEPUTY if deputy else ProposalSource.PUBLIC,
        title=clean_text("title", title, max_length=TITLE_MAX, required=True),
        text=clean_text("text", text, max_length=TEXT_MAX, required=True),
        location=clean_text("location", location, max_length=LOCATION_MAX),
        name="" if anonymous else clean_text("name", name, max_length=NAME_MAX),
        phone="" if anonymous else clean_phone(phone),
        deputy=deputy,
        submitted_by=by if deputy else None,
    )
    record_event(
        proposal,
        "livelihood.proposed",
        by=by if deputy else None,
        data={"plan": plan.pk, "source": proposal.source, "chars": len(proposal.text)},
    )
    return proposal


@transaction.atomic
def merge_proposals(survivor: Proposal, duplicates: Sequence[Proposal], *, by: Any) -> Proposal:
    """The office merges duplicates: each points to the survivor (and so do the ones merged into
    it before); every proposer stays on record."""
    survivor = Proposal.objects.select_for_update().select_related("plan").get(pk=survivor.pk)
    plan = survivor.plan
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.COLLECTING, PlanState.SCREENING)
    if survivor.merged_into_id:
        raise DomainError(_("The surviving proposal was itself merged."), code="merged")
    ids = {d.pk for d in duplicates} - {survivor.pk}
    if not ids:
        raise _invalid("duplicates", _("choose at least one other proposal."))
    rows = list(Proposal.objects.select_for_update().filter(pk__in=ids, plan=plan))
    if len(rows) != len(ids):
        raise _invalid("duplicates", _("each must be a proposal of the same plan."))
    Proposal.objects.filter(merged_into__in=ids).update(merged_into=survivor)
    Proposal.objects.filter(pk__in=ids).update(merged_into=survivor)
    record_event(survivor, "livelihood.merged", by=by, data={"merged": sorted(ids)})
    return survivor


@transaction.atomic
def close_collection(plan: Plan, *, by: Any) -> Plan:
    """The office closes the collection: the government side screens what came in."""
    plan = _lock(Plan, plan)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.COLLECTING)
    plan.state = PlanState.SCREENING
    plan.save(update_fields=["state"])
    record_event(plan, "livelihood.collection_closed", by=by)
    return plan


# --- screening: candidates drafted by the government side, reviewed by the office


@dataclass
class CandidateData:
    title: Any
    content: Any
    lead_unit: Any
    budget: Any
    funding_source: Any
    timeline: Any
    expected_outcome: Any
    location: Any = ""
    latitude: Any = None
    longitude: Any = None
    proposals: Sequence[Any] = ()


def _coordinate(field: str, value: Any, bound: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _invalid(field, _("a number of degrees.")) from None
    if not number.is_finite() or not -bound <= number <= bound:
        raise _invalid(field, _("between -%(b)d and %(b)d.") % {"b": bound})
    return number.quantize(Decimal("0.000001"))


def _candidate_fields(plan: Plan, data: CandidateData) -> tuple[dict[str, Any], list[Proposal]]:
    unit = data.lead_unit
    if not isinstance(unit, HandlingUnit):
        unit = HandlingUnit.objects.filter(
            pk=unit if isinstance(unit, int) and not isinstance(unit, bool) else -1,
        ).first()
    if unit is None or unit.congress_id != plan.congress_id or not unit.active:
        raise _invalid("lead_unit", _("choose an active unit of this congress."))
    lat = _coordinate("latitude", data.latitude, 90)
    lon = _coordinate("longitude", data.longitude, 180)
    if (lat is None) != (lon is None):
        raise _invalid("latitude", _("give both coordinates or neither."))
    ids = {p.pk if isinstance(p, Proposal) else p for p in data.proposals}
    proposals = list(Proposal.objects.filter(plan=plan, pk__in=ids)) if ids else []
    if len(proposals) != len(ids):
        raise _invalid("proposals", _("each must be a proposal of this plan."))
    fields = {
        "title": clean_text("title", data.title, max_length=TITLE_MAX, required=True),
        "content": clean_text("content", data.content, max_length=TEXT_MAX, required=True),
        "lead_unit": unit,
        "budget": clean_money("budget", data.budget),
        "funding_source": clean_text(
            "funding_source", data.funding_source, max_length=200, required=True
        ),
        "timeline": clean_text("timeline", data.timeline, max_length=200, required=True),
        "expected_outcome": clean_text(
            "expected_outcome", data.expected_outcome, max_length=TEXT_MAX, required=True
        ),
        "location": clean_text("location", data.location, max_length=LOCATION_MAX),
        "latitude": lat,
        "longitude": lon,
    }
    return fields, proposals


@transaction.atomic
def save_candidate(
    plan: Plan, data: CandidateData, *, project: Project | None = None, by: Any
) -> Project:
    """The government side drafts a candidate project from proposals, or corrects one that is a
    draft or was sent back."""
    plan = Plan.objects.select_related("congress").get(pk=plan.pk)
    require(can_draft_candidates(by, plan), _("Only the government side drafts candidates."))
    _state(plan, PlanState.COLLECTING, PlanState.SCREENING)
    fields, proposals = _candidate_fields(plan, data)
    if project is None:
        project = Project.objects.create(plan=plan, created_by=by, **fields)
    else:
        project = _lock(Project, project)
        require(project.plan_id == plan.pk)
        _state(project, CandidateState.DRAFT, CandidateState.RETURNED)
        for key, value in fields.items():
            setattr(project, key, value)
        project.save(update_fields=list(fields))
    project.proposals.set(proposals)
    record_event(
        project,
        "livelihood.candidate_saved",
        by=by,
        data={"plan": plan.pk, "budget": fields["budget"], "unit": fields["lead_unit"].pk},
    )
    return project


@transaction.atomic
def submit_candidate(project: Project, *, by: Any) -> Project:
    """The government side sends a candidate to the congress office for review."""
    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    require(can_draft_candidates(by, project.plan))
    _state(project.plan, PlanState.COLLECTING, PlanState.SCREENING)
    _state(project, CandidateState.DRAFT, CandidateState.RETURNED)
    project.state = CandidateState.SUBMITTED
    project.save(update_fields=["state"])
    record_event(project, "livelihood.candidate_submitted", by=by)
    return project


@transaction.atomic
def approve_candidate(project: Project, *, by: Any) -> Project:
    """The congress office approves a candidate for the list."""
    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    require(can_manage_plan(by, project.plan))
    _state(project.plan, PlanState.COLLECTING, PlanState.SCREENING)
    _state(project, CandidateState.SUBMITTED)
    project.state = CandidateState.APPROVED
    project.return_reason = ""
    project.save(update_fields=["state", "return_reason"])
    record_event(project, "livelihood.candidate_approved", by=by)
    return project


@transaction.atomic
def return_candidate(project: Project, *, reason: Any, by: Any) -> Project:
    """The congress office sends a candidate back to the government side, saying why."""
    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    require(can_manage_plan(by, project.plan))
    _state(project.plan, PlanState.COLLECTING, PlanState.SCREENING)
    _state(project, CandidateState.SUBMITTED, CandidateState.APPROVED)
    project.state = CandidateState.RETURNED
    project.return_reason = clean_text("reason", reason, max_length=1000, required=True)
    project.save(update_fields=["state", "return_reason"])
    record_event(project, "livelihood.candidate_returned", by=by)
    gov = RoleAssignment.objects.filter(
        role=Role.GOV_SUPERVISOR, congress_id=project.plan.congress_id
    ).select_related("user")
    notify(
        [ra.user for ra in gov],
        title=_("A candidate project was sent back: %(title)s") % {"title": project.title},
        body=project.return_reason,
        url=reverse("livelihood:project", args=[project.pk]),
    )
    return project


@transaction.atomic
def fix_list(plan: Plan, *, max_choices: int | None = None, by: Any) -> Plan:
    """The office fixes the candidate list: the N approved candidates, and M (LP-VOTE: the
    vote is 差额, so M < N; M defaults to the plan's value from the rule profile)."""
    plan = _lock(Plan, plan)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.SCREENING)
    # A submitted candidate would silently drop off the list: the office decides each first.
    pending = Project.objects.filter(plan=plan, state=CandidateState.SUBMITTED).count()
    if pending:
        raise DomainError(
            _("%(n)d submitted candidates still wait for review.") % {"n": pending},
            code="pending_review",
        )
    approved = list(Project.objects.filter(plan=plan, state=CandidateState.APPROVED))
    m = plan.max_choices if max_choices in (None, "") else int(max_choices)  # type: ignore[arg-type]
    n = len(approved)
    if m < 1:
        raise _invalid("max_choices", _("at least 1."))
    if n <= m:
        raise DomainError(
            _(
                "A multi-candidate vote needs more candidates than places: "
                "%(n)d approved, %(m)d to choose (LP-VOTE)."
            )
            % {"n": n, "m": m},
            code="too_few_candidates",
        )
    for position, project in enumerate(approved, start=1):
        project.position = position
    Project.objects.bulk_update(approved, ["position"])
    plan.max_choices = m
    plan.state = PlanState.LIST_FIXED
    plan.list_fixed_at = timezone.now()
    plan.save(update_fields=["max_choices", "state", "list_fixed_at"])
    record_event(plan, "livelihood.list_fixed", by=by, data={"n": n, "m": m})
    return plan


# --- monitoring the chosen projects


def _chosen(project: Project) -> None:
    if project.state != CandidateState.CHOSEN:
        raise DomainError(_("Only chosen projects are monitored."), code="not_chosen")


@transaction.atomic
def add_milestone(project: Project, *, title: Any, planned_on: Any, by: Any) -> Milestone:
    """A planned step of a chosen project (the office or the lead unit sets them)."""
    project = Project.objects.select_related("plan").get(pk=project.pk)
    require(can_report(by, project))
    _chosen(project)
    milestone = Milestone.objects.create(
        project=project,
        title=clean_text("title", title, max_length=TITLE_MAX, required=True),
        planned_on=_clean_date("planned_on", planned_on),
    )
    record_event(
        project,
        "livelihood.milestone_set",
        by=by,
        data={"milestone": milestone.pk, "planned_on": milestone.planned_on},
    )
    return milestone


@transaction.atomic
def reach_milestone(milestone: Milestone, *, done_on: Any, by: Any) -> Milestone:
    """The lead unit records the date a milestone was actually reached (not in the future)."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    project = Project.objects.select_related("plan").get(pk=milestone.project_id)
    require(can_report(by, project))
    _chosen(project)
    done = _clean_date("done_on", done_on)
    if done > timezone.localdate():
        raise _invalid("done_on", _("not in the future."))
    milestone.done_on = done
    milestone.save(update_fields=["done_on"])
    record_event(
        project,
        "livelihood.milestone_done",
        by=by,
        data={"milestone": milestone.pk, "done_on": done},
    )
    return milestone


def first_of_month(value: Any) -> date:
    day = _clean_date("month", f"{value}-01" if len(str(value)) == 7 else value)
    return day.replace(day=1)


@transaction.atomic
def file_report(
    project: Project,
    *,
    month: Any,
    text: Any,
    percent: Any,
    spent: Any,
    images: Sequence[CleanImage] = (),
    by: Any,
) -> ProgressReport:
    """The lead unit's monthly progress report: one per month, no month in the future; the
    money spent so far (cumulative, for budget execution) and photos re-encoded without EXIF."""
    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    require(can_report(by, project), _("Only the lead unit reports progress."))
    _chosen(project)
    month_day = first_of_month(month)
    if month_day > timezone.localdate():
        raise _invalid("month", _("not a month in the future."))
    if isinstance(percent, bool) or not str(percent).strip().isdigit() or int(percent) > 100:
        raise _invalid("percent", _("a whole number from 0 to 100."))
    if len(images) > max_count():
        raise _invalid("images", _("at most %(n)d photos.") % {"n": max_count()})
    if ProgressReport.objects.filter(project=project, month=month_day).exists():
        raise DomainError(
            _("There is a report for %(month)s already.") % {"month": f"{month_day:%Y-%m}"},
            code="exists",
        )
    report = ProgressReport.objects.create(
        project=project,
        month=month_day,
        text=clean_text("text", text, max_length=TEXT_MAX, required=True),
        percent=int(percent),
        spent=clean_money("spent", spent),
        by=by,
    )
    for image in images:
        row = ReportPhoto(
            report=report,
            content_type=image.content_type,
            size=len(image.data),
            width=image.width,
            height=image.height,
        )
        row.file.save(f"photo.{image.extension}", ContentFile(image.data), save=False)
        row.save()
    record_event(
        project,
        "livelihood.reported",
        by=by,
        data={
            "report": report.pk,
            "month": f"{month_day:%Y-%m}",
            "percent": report.percent,
            "spent": report.spent,
            "photos": len(images),
        },
    )
    return report


@transaction.atomic
def complete_project(project: Project, *, done_on: Any, by: Any) -> Project:
    """The lead unit (or the office) declares a chosen project done, on a date not in the
    future."""
    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    require(can_report(by, project))
    _chosen(project)
    if project.completed_on:
        raise DomainError(_("The project is done already."), code="done")
    done = _clean_date("done_on", done_on)
    if done > timezone.localdate():
        raise _invalid("done_on", _("not in the future."))
    project.completed_on = done
    project.save(update_fields=["completed_on"])
    record_event(project, "livelihood.completed", by=by, data={"done_on": done})
    return project


@transaction.atomic
def set_supervisors(
    project: Project, *, deputies: Sequence[Any], leader: Any = None, by: Any
) -> Project:
    """The office names the project's supervision group: deputies of the plan's congress."""
    from renda.deputies.models import Deputyship

    project = Project.objects.select_for_update().select_related("plan").get(pk=project.pk)
    require(can_manage_plan(by, project.plan))
    _chosen(project)
    ids = {getattr(d, "pk", d) for d in deputies}
    rows = list(Deputyship.objects.filter(pk__in=ids, congress_id=project.plan.congress_id))
    if len(rows) != len(ids) or not ids:
        raise _invalid("deputies", _("choose deputies of this congress."))
    leader_id = getattr(leader, "pk", leader)
    if leader_id is not None and leader_id not in ids:
        raise _invalid("leader", _("the leader must be one of the group."))
    SupervisionMember.objects.filter(project=project).delete()
    SupervisionMember.objects.bulk_create(
        SupervisionMember(project=project, deputy=d, leads=d.pk == leader_id) for d in rows
    )
    record_event(project, "livelihood.supervisors_set", by=by, data={"deputies": sorted(ids)})
    users = [d.person.user for d in rows if getattr(d.person, "user_id", None)]
    notify(
        users,
        title=_("You supervise a livelihood project: %(title)s") % {"title": project.title},
        url=reverse("livelihood:project", args=[project.pk]),
    )
    return project


@transaction.atomic
def record_inspection(project: Project, *, held_on: Any, findings: Any, by: Any) -> Inspection:
    """A deputy of the supervision group records an inspection and what it found."""
    project = Project.objects.select_related("plan").get(pk=project.pk)
    require(can_inspect(by, project), _("Only the project's supervision group records this."))
    _chosen(project)
    held = _clean_date("held_on", held_on)
    if held > timezone.localdate():
        raise _invalid("held_on", _("not in the future."))
    inspection = Inspection.objects.create(
        project=project,
        held_on=held,
        findings=clean_text("findings", findings, max_length=TEXT_MAX, required=True),
        by=by,
    )
    record_event(
        project, "livelihood.inspected", by=by, data={"inspection": inspection.pk, "on": held}
    )
    return inspection


def next_position(plan: Plan) -> int:
    return (Project.objects.filter(plan=plan).aggregate(m=Max("position"))["m"] or 0) + 1
