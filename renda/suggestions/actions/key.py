"""Key suggestions (重点督办, SUG-KEY): chosen each year by the director's council, recorded by
the deputy-affairs office with a supervising leader or committee; the units report progress."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.accounts.permissions import has_role
from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify

from ..choices import AssignmentState, State
from ..models import TEXT_MAX, Assignment, KeySuggestion, ProgressReport, Suggestion
from ..permissions import acts_for_any_unit_of, acts_for_unit, can_mark_key
from ..queries import unit_staff
from .answers import clean_text, label_of, suggestion_url
from .common import lock, require_state

# Past registration and not yet closed: the year's key suggestions are chosen among these.
KEY_STATES = (
    State.REGISTERED,
    State.ASSIGNED,
    State.REASSIGNING,
    State.ANSWERED,
    State.REHANDLING,
    State.EVALUATED,
)
COMMITTEE_MAX = KeySuggestion._meta.get_field("committee").max_length or 100


@transaction.atomic
def mark_key(
    suggestion: Suggestion,
    *,
    supervisor: Any = None,
    committee: str = "",
    year: int | None = None,
    by: Any,
) -> KeySuggestion:
    """SUG-KEY: mark a key suggestion of `year`, supervised by a leader (a user holding the
    leader role in this congress) and/or a named committee — at least one of the two."""
    suggestion = lock(suggestion)
    require(
        can_mark_key(by, suggestion), _("Only the deputy-affairs office marks key suggestions.")
    )
    require_state(suggestion, *KEY_STATES)
    if KeySuggestion.objects.filter(suggestion=suggestion).exists():
        raise DomainError(
            _("This suggestion is already a key suggestion.") + f" (state: {suggestion.state})",
            code="already_key",
        )
    committee = clean_text(committee, "committee", required=False, limit=COMMITTEE_MAX)
    if supervisor is None and not committee:
        raise InvalidInput(_("supervisor: name a supervising leader or a committee."))
    if supervisor is not None and not (
        getattr(supervisor, "is_active", False)
        and has_role(supervisor, Role.LEADER, congress=suggestion.congress_id)
    ):
        raise InvalidInput(_("supervisor: must be a leader of this congress."))
    this_year = timezone.localdate().year
    year = suggestion.year if year is None else year
    if (
        not isinstance(year, int)
        or isinstance(year, bool)
        or not suggestion.year <= year <= this_year + 1
    ):
        raise InvalidInput(
            _("year: between %(first)d and %(last)d.")
            % {"first": suggestion.year, "last": this_year + 1}
        )
    key = KeySuggestion.objects.create(
        suggestion=suggestion,
        year=year,
        supervisor=supervisor,
        committee=committee,
        designated_by=by,
    )
    record_event(
        suggestion,
        "suggestion.marked_key",
        by=by,
        data={
            "key": key.pk,
            "year": year,
            "supervisor": getattr(supervisor, "pk", None),
            "committee": committee,
        },
    )
    units = (
        Assignment.objects.filter(suggestion=suggestion)
        .exclude(state=AssignmentState.RETURNED)
        .values_list("unit_id", flat=True)
    )
    people = [p for staff in unit_staff(list(units)).values() for p in staff]
    notify(
        [supervisor, *people],
        title=_("Key suggestion %(label)s (%(year)d): supervised handling")
        % {"label": label_of(suggestion), "year": year},
        url=suggestion_url(suggestion),
    )
    return key


@transaction.atomic
def add_progress_report(key: KeySuggestion, *, unit: Any, text: str, by: Any) -> ProgressReport:
    """SUG-KEY: a unit handling a key suggestion reports its progress to the supervisor."""
    suggestion = lock(key.suggestion_id)
    require(
        acts_for_any_unit_of(by, suggestion),
        _("Only a unit handling this suggestion reports its progress."),
    )
    unit_id = getattr(unit, "pk", unit)
    assignment = None
    if isinstance(unit_id, int) and not isinstance(unit_id, bool):
        assignment = (
            Assignment.objects.select_related("unit")
            .filter(suggestion=suggestion, unit_id=unit_id)
            .exclude(state=AssignmentState.RETURNED)
            .first()
        )
    if assignment is None:
        raise InvalidInput(_("unit: this unit is not handling this suggestion."))
    require(acts_for_unit(by, assignment), _("You do not act for this unit."))
    key = KeySuggestion.objects.select_related("supervisor").get(pk=key.pk)
    text = clean_text(text, "text", required=True, limit=TEXT_MAX)
    report = ProgressReport.objects.create(key=key, unit=assignment.unit, text=text, reported_by=by)
    record_event(
        suggestion,
        "suggestion.progress_reported",
        by=by,
        data={"key": key.pk, "report": report.pk, "unit": assignment.unit_id},
    )
    notify(
        [key.supervisor],
        title=_("%(unit)s reports progress on key suggestion %(label)s")
        % {"unit": assignment.unit.name, "label": label_of(suggestion)},
        body=text[:500],
        url=suggestion_url(suggestion),
    )
    return report
