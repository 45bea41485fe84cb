"""Reads of the registry: which deputyships a person may see, the office's filtered list, the
lists behind the filters. Visibility is decided here, never in a template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from renda.accounts.permissions import office_congress_ids
from renda.orgs.models import Congress, Term

from .choices import DeputyshipStatus
from .models import Delegation, DeputyGroup, Deputyship, ExpertiseTag, GroupMembership


def deputyships_visible_to(user: Any) -> QuerySet[Deputyship]:
    """Administrators: every deputyship; an office: all of its congresses' and the active ones
    elsewhere; anyone else signed in: the active ones (their published fields; DEP-PUBLIC)."""
    qs = Deputyship.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    offices = office_congress_ids(user)
    if offices is None:
        return qs
    own = Q(person__user_id=user.pk)
    return qs.filter(Q(status=DeputyshipStatus.ACTIVE) | Q(congress_id__in=offices) | own)


def managed_deputyships(user: Any) -> QuerySet[Deputyship]:
    """The deputyships the user's office manages (administrators: all)."""
    offices = office_congress_ids(user)
    qs = Deputyship.objects.all()
    return qs if offices is None else qs.filter(congress_id__in=offices)


def managed_congresses(user: Any) -> QuerySet[Congress]:
    offices = office_congress_ids(user)
    qs = Congress.objects.order_by("level", "name", "pk")
    return qs if offices is None else qs.filter(pk__in=offices)


@dataclass
class DeputyFilter:
    congress: int | None = None
    term: int | None = None
    delegation: int | None = None
    group: int | None = None
    status: str | None = None
    tag: int | None = None
    q: str = ""


def filter_deputyships(qs: QuerySet[Deputyship], f: DeputyFilter) -> QuerySet[Deputyship]:
    """The list's filters: congress, term, delegation, group, status, expertise tag, and words
    of the name or the workplace."""
    if f.congress:
        qs = qs.filter(congress_id=f.congress)
    if f.term:
        qs = qs.filter(term_id=f.term)
    if f.delegation:
        qs = qs.filter(delegation_id=f.delegation)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.group:
        qs = qs.filter(
            Exists(GroupMembership.objects.filter(group_id=f.group, deputyship=OuterRef("pk")))
        )
    if f.tag:
        qs = qs.filter(
            Exists(
                ExpertiseTag.people.through.objects.filter(
                    expertisetag_id=f.tag, person_id=OuterRef("person_id")
                )
            )
        )
    q = f.q.strip()
    if q:
        qs = qs.filter(Q(person__name__icontains=q) | Q(person__workplace__icontains=q))
    return qs


def listed_deputyships(qs: QuerySet[Deputyship]) -> QuerySet[Deputyship]:
    return qs.select_related("person", "person__user", "congress", "term", "delegation").order_by(
        "congress__level", "congress_id", "-term__number", "person__name", "pk"
    )


def terms_of(congress_ids: Any) -> QuerySet[Term]:
    qs = Term.objects.select_related("congress").order_by("congress__name", "-number")
    return qs if congress_ids is None else qs.filter(congress_id__in=congress_ids)


def delegations_of(congress_ids: Any) -> QuerySet[Delegation]:
    qs = Delegation.objects.select_related("term", "congress").order_by(
        "congress__name", "-term__number", "name"
    )
    return qs if congress_ids is None else qs.filter(congress_id__in=congress_ids)


def groups_of(congress_ids: Any) -> QuerySet[DeputyGroup]:
    qs = DeputyGroup.objects.select_related("congress").order_by("congress__name", "kind", "name")
    return qs if congress_ids is None else qs.filter(congress_id__in=congress_ids)


def groups_for(user: Any) -> QuerySet[DeputyGroup]:
    """The groups the user's office manages (administrators: all)."""
    return groups_of(office_congress_ids(user))
