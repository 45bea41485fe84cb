"""Who may see and change what of a deputy. Predicates are pure; getters give 404 for missing and
forbidden alike.

- The deputy-affairs office of a congress (and administrators) manage its deputies and see
  their private data (ID-card number, birth, address, phone).
- A deputy sees their own private data.
- Every signed-in person sees the published fields (DEP-PUBLIC) of any deputy; so does the
  public, on the deputy's profile page (`public_fields_of`).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, office_congress_ids
from renda.orgs.permissions import MAX_PK

from .models import PUBLISHABLE_FIELDS, Deputyship, Person


def valid_pk(pk: Any) -> int:
    """An id from a URL or a payload as a database-safe int; anything else is a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_PK:
        raise Http404
    return pk


def is_office_of(user: Any, congress: Any) -> bool:
    """The deputy-affairs office of this congress, or an administrator."""
    return is_admin(user) or has_role(
        user, Role.DEPUTY_AFFAIRS, congress=getattr(congress, "pk", congress)
    )


def can_manage_deputies(user: Any, congress: Any) -> bool:
    """Registering, importing, suspending and ending deputies: the congress's office."""
    return is_office_of(user, congress)


def is_own(user: Any, deputyship: Deputyship) -> bool:
    person = deputyship.person
    return getattr(user, "pk", None) is not None and person.user_id == user.pk


def can_see_private(user: Any, deputyship: Deputyship) -> bool:
    """Personal data (ID-card number, birth, address, phone): the office, the deputy, admins."""
    return is_own(user, deputyship) or is_office_of(user, deputyship.congress_id)


def can_see_private_person(user: Any, person: Person) -> bool:
    if getattr(user, "pk", None) == person.user_id or is_admin(user):
        return True
    offices = office_congress_ids(user)
    return bool(offices) and person.deputyships.filter(congress_id__in=offices).exists()


def public_fields_of(deputyship: Deputyship) -> set[str]:
    """DEP-PUBLIC: the fields the deputy and the office agreed to publish (never private data)."""
    return {f for f in (deputyship.public_fields or []) if f in PUBLISHABLE_FIELDS}


def get_deputyship_for_user(user: Any, pk: Any) -> Deputyship:
    """Any signed-in person may look a deputy up (what they see depends on can_see_private)."""
    pk = valid_pk(pk)
    if not getattr(user, "is_authenticated", False):
        raise Http404
    deputyship = (
        Deputyship.objects.select_related(
            "person", "person__user", "congress", "term", "delegation"
        )
        .filter(pk=pk)
        .first()
    )
    if deputyship is None:
        raise Http404
    return deputyship


def get_managed_deputyship(user: Any, pk: Any) -> Deputyship:
    """A deputyship the user's office manages, or 404."""
    pk = valid_pk(pk)
    qs = Deputyship.objects.select_related("person", "person__user", "congress", "term")
    offices = office_congress_ids(user)
    if offices is not None:
        qs = qs.filter(congress_id__in=offices)
    deputyship = qs.filter(pk=pk).first()
    if deputyship is None:
        raise Http404
    return deputyship


# --- scoring (DEP-SCORE) -----------------------------------------------------------------------
def can_manage_scores(user: Any, congress: Any) -> bool:
    """The rule table, recomputing and the ranked list: the congress's office and admins."""
    return is_office_of(user, congress)


def can_see_score(user: Any, deputyship: Deputyship) -> bool:
    """A deputy's points by kind (the portrait, the score API): the deputy themself, their
    congress's office, admins. The total and grade alone are published (DEP-PUBLIC)."""
    return is_own(user, deputyship) or is_office_of(user, deputyship.congress_id)


def get_scored_deputyship(user: Any, pk: Any) -> Deputyship:
    """A deputyship whose score the user may see, or 404 (missing and forbidden alike)."""
    pk = valid_pk(pk)
    if not getattr(user, "is_authenticated", False):
        raise Http404
    deputyship = (
        Deputyship.objects.select_related("person", "congress", "term", "delegation")
        .filter(pk=pk)
        .first()
    )
    if deputyship is None or not can_see_score(user, deputyship):
        raise Http404
    return deputyship


def can_manage_any_scores(user: Any) -> bool:
    """The scores pages at all: the deputy-affairs office of some congress, or an admin."""
    offices = office_congress_ids(user)
    return offices is None or bool(offices)


# --- registry part: the office's screens ------------------------------------------------------
def can_use_registry(user: Any) -> bool:
    """The registry's screens (list, import, groups, delegations, tags): any congress's
    deputy-affairs office, and administrators. Each screen then shows only the office's own
    congresses (office_congress_ids)."""
    return is_admin(user) or has_role(user, Role.DEPUTY_AFFAIRS)


def related_congress_ids(congress: Any) -> set[int]:
    """The congress, the congresses above it and those below it: whose deputies may sit in one
    of its groups (a township group may mix city and county deputies living there)."""
    from renda.orgs.models import Congress

    parents = dict(Congress.objects.values_list("pk", "parent_id"))
    pk = getattr(congress, "pk", congress)
    related = {pk}
    up = parents.get(pk)
    while up and up not in related:
        related.add(up)
        up = parents.get(up)
    below = {pk}
    while below:
        below = {c for c, p in parents.items() if p in below and c not in related}
        related |= below
    return related


def get_deputyship_for_viewer(user: Any, pk: Any) -> Deputyship:
    """A deputy's page: the office of their congress, administrators and the deputy see every
    deputyship; anyone else signed in sees active ones (published fields only); else 404."""
    deputyship = get_deputyship_for_user(user, pk)
    if deputyship.status != "active" and not can_see_private(user, deputyship):
        raise Http404
    return deputyship
