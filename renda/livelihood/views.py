"""Working pages of the livelihood year (/livelihood/): the office's plans, proposals, review and
list; the government side's candidate drafts; the lead unit's milestones and monthly reports;
the supervision group's inspections; deputies' proposals.

Thin: objects come through permissions.py (404 for missing and not-yours alike), every change
through actions.py; a refusal comes back on the page with the action's status (409 wrong state,
422 bad input, 403 not allowed), never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from renda.deputies.choices import DeputyshipStatus
from renda.deputies.models import Deputyship
from renda.deputies.permissions import valid_pk
from renda.errors import DomainError, InvalidInput
from renda.opinions.images import clean_image
from renda.orgs.models import Congress, HandlingUnit
from renda.votes import actions as votes_engine
from renda.votes.choices import MeetingKind
from renda.votes.models import Meeting
from renda.votes.queries import ballot_result

from . import actions, actions_vote
from .choices import CandidateState, PlanState
from .export import candidates_workbook, filename
from .forms import (
    CandidateForm,
    DateForm,
    DeputyProposalForm,
    FixListForm,
    InspectionForm,
    MergeForm,
    MilestoneForm,
    PlanForm,
    ReasonForm,
    ReportForm,
    SupervisorsForm,
    WindowForm,
)
from .models import Milestone, Plan, Project
from .permissions import (
    can_draft_candidates,
    can_inspect,
    can_manage_plan,
    can_open_staff_pages,
    can_report,
    can_see_proposals,
    deputyship_of,
    get_plan_for_user,
    get_project_for_user,
    is_lead_unit,
    is_office,
    plans_visible_to,
)
from .queries import board, candidates, live_proposals, proposal_counts


def _office_congresses(user: Any) -> Any:
    return [c for c in Congress.objects.order_by("id") if is_office(user, c.pk)]


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    if not can_open_staff_pages(request.user):
        raise Http404
    congresses = _office_congresses(request.user)
    form = None
    status = 200
    if congresses:
        ids = [c.pk for c in congresses]
        form = PlanForm(request.POST or None, congresses=Congress.objects.filter(pk__in=ids))
        if request.method == "POST":
            if form.is_valid():
                d = form.cleaned_data
                try:
                    plan = actions.create_plan(by=request.user, **d)
                except DomainError as err:
                    form.add_error(None, err.detail)
                    status = err.status
                else:
                    messages.success(request, _("Plan created."))
                    return redirect("livelihood:plan", pk=plan.pk)
            else:
                status = 422
    elif request.method == "POST":
        raise Http404
    plans = plans_visible_to(request.user).order_by("-year", "congress_id")
    return render(request, "livelihood/plans.html", {"plans": plans, "form": form}, status=status)


def plan_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    user = request.user
    office = can_manage_plan(user, plan)
    gov = can_draft_candidates(user, plan)
    staff = can_see_proposals(user, plan)
    deputy = deputyship_of(user, plan.congress_id)
    rows = list(candidates(plan, approved_only=not staff))
    ctx: dict[str, Any] = {
        "plan": plan,
        "office": office,
        "gov": gov,
        "staff": staff,
        "deputy": deputy,
        "can_propose": deputy is not None and actions.window_open(plan),
        "candidates": rows,
        "approved": sum(1 for r in rows if r.state == CandidateState.APPROVED),
        "proposals": list(live_proposals(plan)[:200]) if staff else [],
        "counts": proposal_counts(plan) if staff else {},
        "window_form": WindowForm(
            initial={"collect_from": plan.collect_from, "collect_until": plan.collect_until}
        ),
        "merge_form": MergeForm(),
        "fix_form": FixListForm(initial={"max_choices": plan.max_choices}),
        "page_errors": [],
        "states": PlanState,
        "sessions": list(
            Meeting.objects.filter(
                congress_id=plan.congress_id, kind=MeetingKind.CONGRESS_SESSION
            ).order_by("-date", "-pk")[:20]
        )
        if office
        else [],
        "result": ballot_result(plan.ballot) if plan.ballot_id else None,
        "evaluation": ballot_result(plan.evaluation_ballot) if plan.evaluation_ballot_id else None,
        "board": board(plan)
        if plan.state in (PlanState.CHOSEN, PlanState.EVALUATING, PlanState.EVALUATED)
        else None,
    }
    ctx.update(extra)
    return ctx


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "livelihood/plan.html", plan_context(request, plan))


def _refused(request: HttpRequest, plan: Plan, err: DomainError) -> HttpResponse:
    return render(
        request,
        "livelihood/plan.html",
        plan_context(request, plan, page_errors=[err.detail]),
        status=err.status,
    )


def _form_refused(request: HttpRequest, plan: Plan, form: Any) -> HttpResponse:
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return render(
        request, "livelihood/plan.html", plan_context(request, plan, page_errors=errors), status=422
    )


def _plan_post(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    call: Callable[[Plan, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _form_refused(request, plan, form)
    try:
        call(plan, form.cleaned_data if form is not None else {})
    except DomainError as err:
        return _refused(request, plan, err)
    messages.success(request, ok)
    return redirect("livelihood:plan", pk=plan.pk)


@login_required
@require_POST
def plan_window(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        WindowForm,
        lambda plan, d: actions.update_window(plan, by=request.user, **d),
        _("Collection window saved."),
    )


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        None,
        lambda plan, d: actions.close_collection(plan, by=request.user),
        _("Collection closed: the government side screens the proposals."),
    )


@login_required
@require_POST
def plan_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def call(plan: Plan, d: dict[str, Any]) -> Any:
        survivor = plan.proposals.filter(pk=d["survivor"]).first()
        if survivor is None:
            raise DomainError(_("No such proposal in this plan."), code="invalid")
        dups = list(plan.proposals.filter(pk__in=d["duplicates"]))
        if len(dups) != len(set(d["duplicates"])):
            raise DomainError(_("No such proposal in this plan."), code="invalid")
        return actions.merge_proposals(survivor, dups, by=request.user)

    return _plan_post(request, pk, MergeForm, call, _("Proposals merged."))


@login_required
@require_POST
def plan_fix(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        FixListForm,
        lambda plan, d: actions.fix_list(plan, max_choices=d["max_choices"], by=request.user),
        _("Candidate list fixed."),
    )


@login_required
def plan_candidates_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    staff = can_see_proposals(request.user, plan)
    if not staff and deputyship_of(request.user, plan.congress_id) is None:
        raise Http404
    rows = list(candidates(plan, approved_only=not staff))
    return FileResponse(
        candidates_workbook(plan, rows), as_attachment=True, filename=filename(plan, "candidates")
    )


@login_required
@require_http_methods(["GET", "POST"])
def deputy_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy of the plan's congress proposes a project (signed in), in the window."""
    plan = get_plan_for_user(request.user, pk)
    if deputyship_of(request.user, plan.congress_id) is None:
        raise Http404
    form = DeputyProposalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.propose(plan, by=request.user, **form.cleaned_data)
            except DomainError as err:
                form.add_error(None, err.detail)
                status = err.status
            else:
                messages.success(request, _("Your proposal was received."))
                return redirect("livelihood:plan", pk=plan.pk)
        else:
            status = 422
    return render(
        request, "livelihood/deputy_propose.html", {"plan": plan, "form": form}, status=status
    )


def _candidate_form(plan: Plan, data: Any = None, **kwargs: Any) -> CandidateForm:
    return CandidateForm(
        data,
        units=HandlingUnit.objects.filter(congress_id=plan.congress_id, active=True).order_by(
            "name"
        ),
        proposals=live_proposals(plan),
        **kwargs,
    )


def _candidate_page(request: HttpRequest, plan: Plan, project: Project | None) -> HttpResponse:
    if not can_draft_candidates(request.user, plan):
        raise Http404
    initial = None
    if project is not None:
        initial = {
            f: getattr(project, f)
            for f in (
                "title",
                "content",
                "budget",
                "funding_source",
                "timeline",
                "expected_outcome",
                "location",
                "latitude",
                "longitude",
            )
        }
        initial["lead_unit"] = project.lead_unit_id
        initial["proposals"] = list(project.proposals.values_list("pk", flat=True))
    form = _candidate_form(plan, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = actions.CandidateData(**form.cleaned_data)
            try:
                saved = actions.save_candidate(plan, data, project=project, by=request.user)
            except DomainError as err:
                form.add_error(None, err.detail)
                status = err.status
            else:
                messages.success(request, _("Candidate saved."))
                return redirect("livelihood:project", pk=saved.pk)
        else:
            status = 422
    return render(
        request,
        "livelihood/candidate_form.html",
        {"plan": plan, "project": project, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, get_plan_for_user(request.user, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    return _candidate_page(request, project.plan, project)


# --- one project


def project_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    user = request.user
    plan = project.plan
    chosen = project.state == CandidateState.CHOSEN
    office = can_manage_plan(user, plan)
    deputies = Deputyship.objects.filter(
        congress_id=plan.congress_id, status=DeputyshipStatus.ACTIVE
    ).select_related("person")
    ctx: dict[str, Any] = {
        "project": project,
        "plan": plan,
        "office": office,
        "gov": can_draft_candidates(user, plan),
        "unit": is_lead_unit(user, project),
        "reporter": chosen and can_report(user, project),
        "inspector": chosen and can_inspect(user, project),
        "staff": can_see_proposals(user, plan),
        "chosen": chosen,
        "proposals": list(project.proposals.all()),
        "milestones": list(project.milestones.all()),
        "reports": list(project.reports.prefetch_related("photos")),
        "supervisors": list(project.supervisors.select_related("deputy__person")),
        "inspections": list(project.inspections.select_related("by")),
        "reason_form": ReasonForm(),
        "milestone_form": MilestoneForm(),
        "date_form": DateForm(initial={"done_on": timezone.localdate()}),
        "report_form": ReportForm(),
        "supervisors_form": SupervisorsForm(
            deputies=deputies,
            initial={"deputies": [s.deputy_id for s in project.supervisors.all()]},
        )
        if office and chosen
        else None,
        "inspection_form": InspectionForm(initial={"held_on": timezone.localdate()}),
        "today": timezone.localdate(),
        "page_errors": [],
    }
    ctx.update(extra)
    return ctx


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    return render(request, "livelihood/project.html", project_context(request, project))


def _project_post(
    request: HttpRequest,
    pk: int,
    form: Any,
    call: Callable[[Project, dict[str, Any]], Any],
    ok: str,
) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    errors: list[str] = []
    status = 422
    if form is not None and not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
    else:
        try:
            call(project, form.cleaned_data if form is not None else {})
        except DomainError as err:
            errors, status = [err.detail], err.status
        else:
            messages.success(request, ok)
            return redirect("livelihood:project", pk=project.pk)
    project = get_project_for_user(request.user, pk)
    return render(
        request,
        "livelihood/project.html",
        project_context(request, project, page_errors=errors),
        status=status,
    )


@login_required
@require_POST
def project_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request,
        pk,
        None,
        lambda p, d: actions.submit_candidate(p, by=request.user),
        _("Sent to the congress office for review."),
    )


@login_required
@require_POST
def project_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request,
        pk,
        None,
        lambda p, d: actions.approve_candidate(p, by=request.user),
        _("Candidate approved."),
    )


@login_required
@require_POST
def project_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request,
        pk,
        ReasonForm(request.POST),
        lambda p, d: actions.return_candidate(p, reason=d["reason"], by=request.user),
        _("Candidate sent back to the government side."),
    )


@login_required
@require_POST
def project_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request,
        pk,
        MilestoneForm(request.POST),
        lambda p, d: actions.add_milestone(p, by=request.user, **d),
        _("Milestone added."),
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    def call(project: Project, d: dict[str, Any]) -> Any:
        row = Milestone.objects.filter(pk=valid_pk(milestone), project=project).first()
        if row is None:
            raise Http404
        return actions.reach_milestone(row, done_on=d["done_on"], by=request.user)

    return _project_post(request, pk, DateForm(request.POST), call, _("Milestone reached."))


@login_required
@require_POST
def project_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request,
        pk,
        DateForm(request.POST),
        lambda p, d: actions.complete_project(p, done_on=d["done_on"], by=request.user),
        _("Project marked done."),
    )


@login_required
@require_POST
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    def call(project: Project, d: dict[str, Any]) -> Any:
        images = [clean_image(f, f.name) for f in d.get("photos") or []]
        return actions.file_report(
            project,
            month=d["month"],
            text=d["text"],
            percent=d["percent"],
            spent=d["spent"],
            images=images,
            by=request.user,
        )

    return _project_post(
        request, pk, ReportForm(request.POST, request.FILES), call, _("Progress report filed.")
    )


@login_required
@require_POST
def project_supervisors(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    deputies = Deputyship.objects.filter(
        congress_id=project.plan.congress_id, status=DeputyshipStatus.ACTIVE
    )
    return _project_post(
        request,
        pk,
        SupervisorsForm(request.POST, deputies=deputies),
        lambda p, d: actions.set_supervisors(
            p, deputies=list(d["deputies"]), leader=d["leader"], by=request.user
        ),
        _("Supervision group saved."),
    )


@login_required
@require_POST
def project_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request,
        pk,
        InspectionForm(request.POST),
        lambda p, d: actions.record_inspection(p, by=request.user, **d),
        _("Inspection recorded."),
    )


# --- the vote (the engine's actions; the deputies vote on the engine's screens)


def _meeting_id(request: HttpRequest) -> int:
    try:
        return valid_pk(request.POST.get("meeting"))
    except Http404:
        raise InvalidInput(_("Choose a congress session."), code="invalid") from None


@login_required
@require_POST
def plan_put_to_vote(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        None,
        lambda plan, d: actions_vote.put_to_vote(plan, _meeting_id(request), by=request.user),
        _("The candidate list is on a ballot: open it when the session is ready."),
    )


@login_required
@require_POST
def plan_ballot(request: HttpRequest, pk: int, which: str, op: str) -> HttpResponse:
    """Open or close the plan's ballot (`which`: vote | evaluation) with the engine's actions."""
    if which not in ("vote", "evaluation") or op not in ("open", "close"):
        raise Http404

    def call(plan: Plan, d: dict[str, Any]) -> Any:
        if not can_manage_plan(request.user, plan):
            raise Http404
        ballot = plan.ballot if which == "vote" else plan.evaluation_ballot
        if ballot is None:
            raise DomainError(_("There is no ballot yet."), code="no_ballot")
        step = votes_engine.open_ballot if op == "open" else votes_engine.close_ballot
        return step(ballot, by=request.user)

    done = _("Ballot opened.") if op == "open" else _("Ballot closed.")
    return _plan_post(request, pk, None, call, done)


@login_required
@require_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        None,
        lambda plan, d: actions_vote.adopt_result(plan, by=request.user),
        _("Result adopted."),
    )


@login_required
@require_POST
def plan_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        None,
        lambda plan, d: actions_vote.open_evaluation(plan, _meeting_id(request), by=request.user),
        _("The year-end evaluation is on a ballot: open it when the session is ready."),
    )


@login_required
@require_POST
def plan_evaluation_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        None,
        lambda plan, d: actions_vote.adopt_evaluation(plan, by=request.user),
        _("Evaluation published on the progress board."),
    )
