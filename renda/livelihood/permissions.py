"""Who may do what in the livelihood year. Pure predicates on roles held in the plan's congress.

- The congress office (代表工作机构: `deputy_affairs`) of the plan's congress, and
  administrators: plans, merging proposals, reviewing candidates, fixing the list, the vote,
  milestones, supervision groups.
- The government side is the government supervision office (`gov_supervisor`, 政府督查室) of
  the congress: in practice the government's general office drafts the candidate list; in this
  platform that office's role is the one that speaks for the government as a whole (a unit
  clerk speaks for one bureau only). It drafts and submits candidates, and sees every report.
- The lead unit's clerk and head (`unit_clerk`, `unit_head` of the project's lead unit): monthly
  progress reports, milestones reached, completion.
- Deputies of the congress: propose (signed in), see the candidates; the supervision group's
  deputies record inspections.
- The public: propose in the window, read the board of chosen projects.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, role_assignments
from renda.deputies.permissions import valid_pk

from .models import Plan, Project

STAFF_ROLES = {Role.DEPUTY_AFFAIRS, Role.GOV_SUPERVISOR}


def is_office(user: Any, congress: Any) -> bool:
    return is_admin(user) or has_role(user, Role.DEPUTY_AFFAIRS, congress)


def is_gov_side(user: Any, congress: Any) -> bool:
    return is_admin(user) or has_role(user, Role.GOV_SUPERVISOR, congress)


def unit_ids(user: Any) -> set[int]:
    return {
        ra.unit_id
        for ra in role_assignments(user)
        if ra.role in (Role.UNIT_CLERK, Role.UNIT_HEAD) and ra.unit_id
    }


def is_lead_unit(user: Any, project: Project) -> bool:
    return project.lead_unit_id in unit_ids(user)


def deputyship_of(user: Any, congress: Any) -> Any:
    """The user's active deputyship in this congress, or None."""
    if not has_role(user, Role.DEPUTY, congress):
        return None
    from renda.deputies.choices import DeputyshipStatus
    from renda.deputies.models import Deputyship

    return (
        Deputyship.objects.filter(
            person__user=user, congress=congress, status=DeputyshipStatus.ACTIVE
        )
        .order_by("-term__number")
        .first()
    )


# --- role-only predicates for the navigation (they must agree with the page guards)


def can_open_staff_pages(user: Any) -> bool:
    """The plans' working pages: the office, the government side, lead-unit staff, deputies."""
    return is_admin(user) or bool(
        {ra.role for ra in role_assignments(user)}
        & {Role.DEPUTY_AFFAIRS, Role.GOV_SUPERVISOR, Role.UNIT_CLERK, Role.UNIT_HEAD, Role.DEPUTY}
    )


# --- per-object predicates


def can_manage_plan(user: Any, plan: Plan) -> bool:
    return is_office(user, plan.congress_id)


def can_draft_candidates(user: Any, plan: Plan) -> bool:
    return is_gov_side(user, plan.congress_id)


def can_see_proposals(user: Any, plan: Plan) -> bool:
    """Proposals with the proposer's contact: the office and the government side only."""
    return is_office(user, plan.congress_id) or is_gov_side(user, plan.congress_id)


def can_see_candidates(user: Any, plan: Plan) -> bool:
    """Draft and submitted candidates: staff of the plan; deputies see approved ones."""
    return can_see_proposals(user, plan) or has_role(user, Role.DEPUTY, plan.congress_id)


def can_report(user: Any, project: Project) -> bool:
    return is_lead_unit(user, project) or is_office(user, project.plan.congress_id)


def can_inspect(user: Any, project: Project) -> bool:
    """Inspections are recorded by a deputy of the project's supervision group (or the office)."""
    if is_office(user, project.plan.congress_id):
        return True
    return project.supervisors.filter(deputy__person__user=user).exists()


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """Plans whose working pages this user may open: the congresses of their roles."""
    plans = Plan.objects.select_related("congress")
    if is_admin(user):
        return plans
    congresses = {ra.congress_id for ra in role_assignments(user) if ra.congress_id}
    units = unit_ids(user)
    if units:
        from renda.orgs.models import HandlingUnit

        congresses |= set(
            HandlingUnit.objects.filter(pk__in=units).values_list("congress_id", flat=True)
        )
    return plans.filter(congress_id__in=congresses)


def get_plan_for_user(user: Any, pk: Any) -> Plan:
    plan = plans_visible_to(user).filter(pk=valid_pk(pk)).first()
    if plan is None or not can_open_staff_pages(user):
        raise Http404
    return plan


def get_project_for_user(user: Any, pk: Any) -> Project:
    """A project the user may open: staff of its congress, its lead unit, deputies (approved
    or later only)."""
    project = (
        Project.objects.select_related("plan__congress", "lead_unit")
        .filter(pk=valid_pk(pk))
        .first()
    )
    if project is None:
        raise Http404
    plan = project.plan
    if can_see_proposals(user, plan) or is_lead_unit(user, project):
        return project
    if has_role(user, Role.DEPUTY, plan.congress_id) and project.state in (
        "approved",
        "chosen",
        "not_chosen",
    ):
        return project
    raise Http404
