"""The livelihood year's votes, through the ballot engine (renda.votes): this module calls the
engine's actions and reads its results; it never counts or sees a paper.

- put_to_vote: the fixed list goes to a secret ballot on a congress session (choose ≤ M of N).
- adopt_result: after close, LP-VOTE's result is copied onto the projects (votes, rank; chosen
  or not); a tie at the cut-off asks the engine for a run-off among the tied, and its result is
  adopted the same way until every place is settled.
- open_evaluation / adopt_evaluation: the year-end satisfaction vote (satisfied / basically /
  dissatisfied per project) and its published shares.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.votes import actions as engine
from renda.votes.choices import BallotKind, BallotState, MeetingKind
from renda.votes.models import Ballot, Meeting
from renda.votes.queries import ballot_result

from .choices import CandidateState, PlanState
from .models import Plan, Project
from .permissions import can_manage_plan

REF_TYPE = "livelihood.project"


def _state(plan: Plan, *states: str) -> None:
    if plan.state not in states:
        raise DomainError(
            _("Not possible now: it is %(state)s.") % {"state": plan.get_state_display()},
            code="invalid_state",
        )


def _session(plan: Plan, meeting: Any) -> Meeting:
    meeting = Meeting.objects.filter(pk=getattr(meeting, "pk", meeting)).first()
    if (
        meeting is None
        or meeting.congress_id != plan.congress_id
        or meeting.kind != MeetingKind.CONGRESS_SESSION
    ):
        raise InvalidInput(
            _("meeting: choose a session of this congress (the deputies vote at the session)."),
            code="invalid",
        )
    return meeting


def _label(project: Project) -> str:
    return f"{project.position}. {project.title}"[:200]


@transaction.atomic
def put_to_vote(plan: Plan, meeting: Any, *, by: Any) -> Plan:
    """LP-VOTE: the fixed list (N approved candidates) becomes a secret ballot on a congress
    session, each deputy choosing at most M. The engine checks N > M and the profile's ratio;
    the ballot opens (with CONGRESS-QUORUM checked from the roll) on the engine's side."""
    plan = Plan.objects.select_for_update().select_related("congress").get(pk=plan.pk)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.LIST_FIXED)
    session = _session(plan, meeting)
    projects = list(Project.objects.filter(plan=plan, state=CandidateState.APPROVED))
    projects.sort(key=lambda p: (p.position, p.pk))
    ballot = engine.create_ballot(
        meeting=session,
        kind=BallotKind.LIVELIHOOD,
        title=plan.title,
        choices=[
            engine.ChoiceSpec(
                label=_label(p),
                ref_type=REF_TYPE,
                ref_id=p.pk,
                detail=f"{p.lead_unit.name} · {p.budget} · {p.content}"[:2000],
            )
            for p in projects
        ],
        max_choices=plan.max_choices,
        secret=True,
        answers="select",
        by=by,
    )
    plan.ballot = ballot
    plan.state = PlanState.VOTING
    plan.save(update_fields=["ballot", "state"])
    record_event(
        plan,
        "livelihood.put_to_vote",
        by=by,
        data={"ballot": ballot.pk, "meeting": session.pk, "n": len(projects)},
    )
    return plan


def _closed(ballot: Ballot | None) -> Ballot:
    if ballot is None:
        raise DomainError(_("There is no ballot yet."), code="no_ballot")
    ballot = Ballot.objects.get(pk=ballot.pk)
    if ballot.state != BallotState.CLOSED:
        raise DomainError(_("Close the ballot first."), code="ballot_open")
    return ballot


@transaction.atomic
def adopt_result(plan: Plan, *, by: Any) -> Plan:
    """LP-VOTE: read the closed ballot's result. Passed candidates (top M and votes from more
    than half of all deputies) become the year's projects. A tie at the cut-off: the engine
    prepares a run-off among the tied (the plan stays in voting, the run-off is the plan's
    ballot now). When no tie is left, the remaining candidates are not chosen."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.VOTING)
    ballot = _closed(plan.ballot)
    result = ballot_result(ballot)
    projects = {p.pk: p for p in Project.objects.select_for_update().filter(plan=plan)}
    first = ballot.runoff_of_id is None
    chosen = []
    for row in result.tally:
        project = projects.get(row.choice.ref_id or 0)
        if project is None or row.choice.ref_type != REF_TYPE:
            continue
        if first:
            project.votes, project.rank = row.votes, row.rank
        if row.passed:
            project.state = CandidateState.CHOSEN
            chosen.append(project.pk)
    Project.objects.bulk_update(projects.values(), ["votes", "rank", "state"])
    if result.runoff_needed:
        runoff = engine.create_runoff(ballot, by=by)
        plan.ballot = runoff
        plan.save(update_fields=["ballot"])
        record_event(
            plan,
            "livelihood.runoff",
            by=by,
            data={
                "ballot": ballot.pk,
                "runoff": runoff.pk,
                "tied": [c.ref_id for c in result.runoff_needed],
                "chosen": chosen,
            },
        )
        return plan
    Project.objects.filter(plan=plan, state=CandidateState.APPROVED).update(
        state=CandidateState.NOT_CHOSEN
    )
    plan.state = PlanState.CHOSEN
    plan.save(update_fields=["state"])
    record_event(
        plan,
        "livelihood.result_adopted",
        by=by,
        data={
            "ballot": ballot.pk,
            "rule": result.rule,
            "chosen": sorted(
                Project.objects.filter(plan=plan, state=CandidateState.CHOSEN).values_list(
                    "pk", flat=True
                )
            ),
        },
    )
    return plan


@transaction.atomic
def open_evaluation(plan: Plan, meeting: Any, *, by: Any) -> Plan:
    """The year-end satisfaction vote: each deputy answers satisfied, basically satisfied or
    dissatisfied for every chosen project (an evaluation ballot of the engine, secret)."""
    plan = Plan.objects.select_for_update().select_related("congress").get(pk=plan.pk)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.CHOSEN)
    session = _session(plan, meeting)
    projects = list(
        Project.objects.filter(plan=plan, state=CandidateState.CHOSEN)
        .select_related("lead_unit")
        .order_by("rank", "position", "pk")
    )
    if not projects:
        raise DomainError(_("No chosen projects to evaluate."), code="nothing_chosen")
    ballot = engine.create_ballot(
        meeting=session,
        kind=BallotKind.EVALUATION,
        title=(_("%(title)s: year-end evaluation") % {"title": plan.title})[:200],
        choices=[
            engine.ChoiceSpec(
                label=f"{i}. {p.title}"[:200],
                ref_type=REF_TYPE,
                ref_id=p.pk,
                detail=p.lead_unit.name,
            )
            for i, p in enumerate(projects, start=1)
        ],
        secret=True,
        answers="satisfaction",
        by=by,
    )
    plan.evaluation_ballot = ballot
    plan.state = PlanState.EVALUATING
    plan.save(update_fields=["evaluation_ballot", "state"])
    record_event(
        plan,
        "livelihood.evaluation_opened",
        by=by,
        data={"ballot": ballot.pk, "meeting": session.pk, "projects": len(projects)},
    )
    return plan


@transaction.atomic
def adopt_evaluation(plan: Plan, *, by: Any) -> Plan:
    """Publish the evaluation: each project's counts of satisfied / basically satisfied /
    dissatisfied from the closed evaluation ballot (the board shows the shares)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(can_manage_plan(by, plan))
    _state(plan, PlanState.EVALUATING)
    ballot = _closed(plan.evaluation_ballot)
    result = ballot_result(ballot)
    projects = {p.pk: p for p in Project.objects.filter(plan=plan, state=CandidateState.CHOSEN)}
    for row in result.tally:
        project = projects.get(row.choice.ref_id or 0)
        if project is None:
            continue
        project.eval_satisfied = row.answers.get("satisfied", 0)
        project.eval_basic = row.answers.get("basic", 0)
        project.eval_dissatisfied = row.answers.get("dissatisfied", 0)
    Project.objects.bulk_update(
        projects.values(), ["eval_satisfied", "eval_basic", "eval_dissatisfied"]
    )
    plan.state = PlanState.EVALUATED
    plan.save(update_fields=["state"])
    record_event(
        plan,
        "livelihood.evaluation_adopted",
        by=by,
        data={"ballot": ballot.pk, "voted": result.voted},
    )
    return plan
