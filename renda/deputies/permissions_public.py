"""Who may see what of the public part: the profile (everyone, DEP-PUBLIC), the deputy code, the
citizens' messages (the deputy and the congress's office only), the coverage dashboards and the
work plans (the office; published plans: everyone, DEP-PLAN).

Getters give 404 for missing and forbidden alike.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from renda.accounts.permissions import office_congress_ids
from renda.orgs.models import Congress

from .models import CitizenMessage, Deputyship, WorkPlan
from .permissions import is_office_of, is_own, valid_pk


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- citizens' messages ---------------------------------------------------------------------
def can_read_messages(user: Any, deputyship: Deputyship) -> bool:
    """A citizen's message (and the name and phone they left): the deputy it was left for and
    the office of that deputy's congress (for follow-up); nobody else."""
    return is_own(user, deputyship) or is_office_of(user, deputyship.congress_id)


def can_mark_read(user: Any, message: CitizenMessage) -> bool:
    """Only the deputy marks their messages read (the office's reading does not)."""
    return is_own(user, message.deputyship)


def messages_visible_to(user: Any) -> Any:
    """The messages this person may read: their own deputyships' and their offices'."""
    from django.db.models import Q

    if not is_signed_in(user):
        return CitizenMessage.objects.none()
    offices = office_congress_ids(user)
    if offices is None:
        return CitizenMessage.objects.all()
    return CitizenMessage.objects.filter(
        Q(deputyship__person__user=user) | Q(deputyship__congress_id__in=offices)
    )


def get_message_for_user(user: Any, pk: Any) -> CitizenMessage:
    pk = valid_pk(pk)
    message = (
        messages_visible_to(user)
        .select_related("deputyship", "deputyship__person", "deputyship__congress")
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise Http404
    return message


def get_deputyship_with_messages(user: Any, pk: Any) -> Deputyship:
    """A deputyship whose messages this person may read, or 404."""
    pk = valid_pk(pk)
    if not is_signed_in(user):
        raise Http404
    deputyship = (
        Deputyship.objects.select_related("person", "congress", "term").filter(pk=pk).first()
    )
    if deputyship is None or not can_read_messages(user, deputyship):
        raise Http404
    return deputyship


# --- the deputy code (代表码) ------------------------------------------------------------------
def can_get_code(user: Any, deputyship: Deputyship) -> bool:
    """The deputy's own code, and the office's for each of its deputies (to print them)."""
    return is_own(user, deputyship) or is_office_of(user, deputyship.congress_id)


def get_deputyship_code_for_user(user: Any, pk: Any) -> Deputyship:
    pk = valid_pk(pk)
    if not is_signed_in(user):
        raise Http404
    deputyship = (
        Deputyship.objects.select_related("person", "congress", "term").filter(pk=pk).first()
    )
    if deputyship is None or not can_get_code(user, deputyship):
        raise Http404
    return deputyship


# --- the office's pages (coverage, fixed contacts, plans, code sheets) ----------------------
def office_congresses(user: Any) -> list[Congress]:
    """The congresses whose deputy-affairs office this person works in (all for admins)."""
    offices = office_congress_ids(user)
    qs = Congress.objects.all() if offices is None else Congress.objects.filter(pk__in=offices)
    return list(qs.order_by("division_code"))


def can_use_office_pages(user: Any) -> bool:
    """The coverage dashboard, fixed contacts, plans and code sheets: an office (or admin)."""
    offices = office_congress_ids(user)
    return offices is None or bool(offices)


def get_office_congress(user: Any, pk: Any = None) -> Congress:
    """The congress asked for (or the office's first), if this person is its office; else 404."""
    congresses = office_congresses(user) if is_signed_in(user) else []
    if not congresses:
        raise Http404
    if pk in (None, ""):
        return congresses[0]
    pk = valid_pk(pk)
    for congress in congresses:
        if congress.pk == pk:
            return congress
    raise Http404


# --- work plans (DEP-PLAN) --------------------------------------------------------------------
def can_manage_plans(user: Any, congress: Any) -> bool:
    return is_office_of(user, congress)


def get_plan_for_office(user: Any, pk: Any) -> WorkPlan:
    pk = valid_pk(pk)
    plan = WorkPlan.objects.select_related("congress").filter(pk=pk).first()
    if plan is None or not can_manage_plans(user, plan.congress_id):
        raise Http404
    return plan


def get_plan_for_user(user: Any, pk: Any) -> WorkPlan:
    """A published plan for anyone (DEP-PLAN: published); a draft for its office only."""
    pk = valid_pk(pk)
    plan = WorkPlan.objects.select_related("congress").filter(pk=pk).first()
    if plan is None:
        raise Http404
    if plan.published_at is None and not can_manage_plans(user, plan.congress_id):
        raise Http404
    return plan
