"""Who may run meetings and ballots, and who sees what (issue 6).

- "Office": the deputy-affairs office (代表工作机构) of the meeting's congress, or an
  administrator. It creates meetings, keeps the roll, prepares, opens and closes ballots.
- A member on a meeting's roll sees the meeting and its ballots, and votes when present.
- Before close nobody sees a tally: the office and the members see only how many have voted.
  After close the result is shown to the office and the meeting's members.
- A receipt code shows the one paper it belongs to, to whoever holds it (signed in).

Object checks answer 404 for "missing" and "not yours" alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role, is_admin, office_congress_ids
from renda.errors import NotFound

from .choices import BallotState
from .models import Ballot, Meeting

OFFICE_ROLES = frozenset({Role.DEPUTY_AFFAIRS, Role.ADMIN})
VOTER_ROLES = frozenset({Role.DEPUTY, Role.SC_MEMBER})


def may_run_meetings(user: Any) -> bool:
    """Role only (the nav entry and the office pages' guard): an office or an administrator."""
    return is_admin(user) or has_role(user, Role.DEPUTY_AFFAIRS)


def may_vote_somewhere(user: Any) -> bool:
    """Role only (the "my votes" nav entry): deputies and standing-committee members."""
    return has_role(user, VOTER_ROLES)


def is_office(user: Any, congress: Any) -> bool:
    """The office of this congress (or an administrator)."""
    ids = office_congress_ids(user)
    return ids is None or getattr(congress, "pk", congress) in ids


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    if not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    ids = office_congress_ids(user)
    if ids is None:
        return Meeting.objects.all()
    return Meeting.objects.filter(Q(congress_id__in=ids) | Q(members__user=user)).distinct()


def meetings_run_by(user: Any) -> QuerySet[Meeting]:
    ids = office_congress_ids(user)
    if ids is None:
        return Meeting.objects.all()
    return Meeting.objects.filter(congress_id__in=ids)


def get_meeting_for_user(user: Any, pk: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).select_related("congress").first()
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def get_meeting_for_office(user: Any, pk: int) -> Meeting:
    meeting = meetings_run_by(user).filter(pk=pk).select_related("congress").first()
    if meeting is None:
        raise NotFound("No such meeting.")
    return meeting


def ballots_visible_to(user: Any) -> QuerySet[Ballot]:
    if not getattr(user, "is_authenticated", False):
        return Ballot.objects.none()
    ids = office_congress_ids(user)
    if ids is None:
        return Ballot.objects.all()
    return Ballot.objects.filter(
        Q(meeting__congress_id__in=ids) | Q(meeting__members__user=user)
    ).distinct()


def get_ballot_for_user(user: Any, pk: int) -> Ballot:
    ballot = ballots_visible_to(user).filter(pk=pk).select_related("meeting__congress").first()
    if ballot is None:
        raise NotFound("No such ballot.")
    return ballot


def get_ballot_for_office(user: Any, pk: int) -> Ballot:
    ids = office_congress_ids(user)
    qs = (
        Ballot.objects.all() if ids is None else Ballot.objects.filter(meeting__congress_id__in=ids)
    )
    ballot = qs.filter(pk=pk).select_related("meeting__congress").first()
    if ballot is None:
        raise NotFound("No such ballot.")
    return ballot


def can_see_tally(user: Any, ballot: Ballot) -> bool:
    """Only after close (and only for whoever may see the ballot at all)."""
    return ballot.state == BallotState.CLOSED
