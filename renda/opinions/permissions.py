"""Who may see and handle which opinions (issue 5 points 3–4; DOMAIN.md §3.2).

- Station staff (Station.staff) see the opinions of their stations; the deputy-affairs office
  sees its congress's (passed-up ones included). Both triage them — station staff only while the
  opinion is still in their station's congress (not once passed up).
- A deputy sees the opinions addressed to them or that they follow up, and triages those.
- A handling unit's clerks and head see the opinions referred to their unit, and answer the
  active referral.
- Personal data (name, phone) is shown to those people only: station staff and the office
  always; a unit and a deputy only when the citizen did not ask to stay anonymous.

Object checks answer 404 for "missing" and "not yours" alike (`get_opinion_for_user`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, office_congress_ids, role_assignments
from renda.errors import NotFound

from .models import Opinion, Referral, Station

UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_HEAD})
MAX_PK = 2**63 - 1


def _cached(user: Any, key: str, compute: Any) -> Any:
    """Per-request-object cache of a user's scope (the user object lives for one request)."""
    attr = f"_renda_opinions_{key}"
    value = getattr(user, attr, None)
    if value is None:
        value = compute()
        setattr(user, attr, value)
    return value


def station_ids_of(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return _cached(
        user,
        "stations",
        lambda: set(Station.objects.filter(staff=user).values_list("pk", flat=True)),
    )


def office_ids_of(user: Any) -> set[int]:
    """The congresses whose deputy-affairs office the user is in (not all for an admin)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return office_congress_ids(user) or set()


def deputyship_ids_of(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    from renda.deputies.models import Deputyship

    return _cached(
        user,
        "deputyships",
        lambda: set(Deputyship.objects.filter(person__user=user).values_list("pk", flat=True)),
    )


def unit_ids_of(user: Any) -> set[int]:
    return {ra.unit_id for ra in role_assignments(user) if ra.role in UNIT_ROLES and ra.unit_id}


QUEUE_ROLES = frozenset(
    {Role.STATION_STAFF, Role.DEPUTY_AFFAIRS, Role.UNIT_CLERK, Role.UNIT_HEAD, Role.DEPUTY}
)


def may_open_queue(user: Any) -> bool:
    """Who may open the handling queue, by role only, so the header's entry follows the same
    rule; what the queue lists is their scope (`opinions_visible_to`), which may be empty."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_admin(user) or has_role(user, QUEUE_ROLES)


def _scope(user: Any) -> Q | None:
    """The opinions a user may see, as one filter; None for an administrator (all)."""
    if is_admin(user):
        return None
    q = Q(pk__in=[])
    stations = station_ids_of(user)
    if stations:
        q |= Q(station_id__in=stations)
    offices = office_ids_of(user)
    if offices:
        q |= Q(congress_id__in=offices) | Q(passed_from_id__in=offices)
    deps = deputyship_ids_of(user)
    if deps:
        q |= Q(deputy_id__in=deps) | Q(follow_up_deputy_id__in=deps)
    units = unit_ids_of(user)
    if units:
        q |= Q(pk__in=Referral.objects.filter(unit_id__in=units).values("opinion_id"))
    return q


def opinions_visible_to(user: Any) -> QuerySet[Opinion]:
    if not getattr(user, "is_authenticated", False):
        return Opinion.objects.none()
    q = _scope(user)
    return Opinion.objects.all() if q is None else Opinion.objects.filter(q)


def _valid_pk(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Not found.") from None
    if not 1 <= value <= MAX_PK:
        raise NotFound("Not found.")
    return value


def get_opinion_for_user(user: Any, pk: Any) -> Opinion:
    """The opinion if the user may see it; NotFound (404) otherwise, missing or not."""
    opinion = (
        opinions_visible_to(user)
        .select_related("station", "category", "congress", "deputy", "follow_up_deputy")
        .filter(pk=_valid_pk(pk))
        .first()
    )
    if opinion is None:
        raise NotFound("Not found.")
    return opinion


def is_station_staff_of(user: Any, opinion: Opinion) -> bool:
    return opinion.station_id is not None and opinion.station_id in station_ids_of(user)


def is_office_of(user: Any, opinion: Opinion) -> bool:
    return is_admin(user) or opinion.congress_id in office_ids_of(user)


def is_deputy_of(user: Any, opinion: Opinion) -> bool:
    deps = deputyship_ids_of(user)
    return bool(deps) and (opinion.deputy_id in deps or opinion.follow_up_deputy_id in deps)


def is_referred_unit_of(user: Any, opinion: Opinion) -> bool:
    units = unit_ids_of(user)
    return bool(units) and opinion.referrals.filter(unit_id__in=units).exists()


def can_triage(user: Any, opinion: Opinion) -> bool:
    """The office of the opinion's (current) congress; its station's staff while it is still in
    the station's congress (not passed up); the deputy it is addressed to or who follows it up."""
    if is_office_of(user, opinion):
        return True
    if is_station_staff_of(user, opinion) and opinion.passed_from_id is None:
        return True
    return is_deputy_of(user, opinion)


def active_referral_for(user: Any, opinion: Opinion) -> Referral | None:
    """The active referral of the opinion to one of the user's units (who may answer it)."""
    from .choices import ReferralState

    units = unit_ids_of(user)
    if not units:
        return None
    return (
        opinion.referrals.filter(unit_id__in=units, state=ReferralState.ACTIVE)
        .select_related("unit")
        .order_by("-referred_at", "-id")
        .first()
    )


def can_see_personal_data(user: Any, opinion: Opinion) -> bool:
    """Name and phone: station staff and the office always; the referred unit and the deputy
    it is addressed to (or who follows it up) unless the citizen asked to stay anonymous."""
    if is_office_of(user, opinion) or is_station_staff_of(user, opinion):
        return True
    if opinion.anonymous:
        return False
    return is_deputy_of(user, opinion) or is_referred_unit_of(user, opinion)
