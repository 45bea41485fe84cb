"""Joint handling (并案办理, issue 7 point 4): the office merges suggestions of the same congress
that raise the same matter into a primary one, which the units handle once; every merged
suggestion's lead deputy is told, receives the primary's answers and rates them for their own
suggestion (docs/suggestions.md, "Joint handling"). Reversible (unmerge) until a unit answers.

Allowed: the merged suggestion is submitted (it is registered first, in the same transaction)
or registered and not yet assigned — it has no units of its own; the primary is registered or
assigned and no unit has answered it yet; both are suggestions (not motions) of the same
congress; the primary is not itself merged, and nothing is merged into the merged one (so there
are no chains and no cycles).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify

from ..choices import Kind, State, UnitRole
from ..facts import refresh_facts
from ..models import Answer, Merge, Suggestion
from ..permissions import is_office
from .common import copy_state, lock, require_state
from .registration import register
from .submission import suggestion_url

MERGEABLE = (State.SUBMITTED, State.REGISTERED)
PRIMARY_STATES = (State.REGISTERED, State.ASSIGNED)


def _label(s: Suggestion) -> str:
    return f"{s.number} {s.title}".strip()


def _lock_pair(a: Suggestion | int, b: Suggestion | int) -> tuple[Suggestion, Suggestion]:
    """Lock both rows in id order (two clerks merging A into B and B into A at once queue
    instead of deadlocking; the second then sees the first's state and gets a 409)."""
    pa = a if isinstance(a, int) else a.pk
    pb = b if isinstance(b, int) else b.pk
    first, second = (pa, pb) if pa < pb else (pb, pa)
    locked = {first: lock(first)}
    locked[second] = lock(second)
    return locked[pa], locked[pb]


def _require_unanswered(primary: Suggestion) -> None:
    """Joint handling is decided before the units answer: one answer must serve every sponsor."""
    if Answer.objects.filter(assignment__suggestion=primary).exists():
        raise DomainError(
            _("A unit has already answered %(label)s: suggestions are merged before the answer.")
            % {"label": _label(primary)},
            code="already_answered",
        )


def lead_units_text(primary: Suggestion) -> str:
    names = primary.assignments.filter(role=UnitRole.LEAD).exclude(state="returned")
    return "、".join(a.unit.name for a in names.select_related("unit"))


@transaction.atomic
def merge(suggestion: Suggestion, *, into: Suggestion | int, by: Any) -> Merge:
    """The office merges `suggestion` into `into` for joint handling (并案办理): it takes the
    state `merged`, has no units of its own, and its lead deputy is told (and, once the primary
    is assigned, told its units: SUG-NOTIFY is met for the merged suggestion by this notice)."""
    into_pk = into if isinstance(into, int) else into.pk
    if into_pk == suggestion.pk:
        raise InvalidInput("into: " + _("A suggestion cannot be merged into itself."))
    suggestion, primary = _lock_pair(suggestion, into_pk)
    require(is_office(by, suggestion), _("Only the deputy-affairs office merges suggestions."))
    if primary.congress_id != suggestion.congress_id:
        raise InvalidInput("into: " + _("Only suggestions of the same congress can be merged."))
    if suggestion.kind != Kind.SUGGESTION or primary.kind != Kind.SUGGESTION:
        raise InvalidInput("into: " + _("Motions are not merged; only suggestions."))
    require_state(suggestion, *MERGEABLE)
    if primary.state == State.MERGED:
        raise DomainError(
            _("%(label)s is itself handled jointly with another suggestion: merge into that one.")
            % {"label": _label(primary)},
            code="primary_merged",
        )
    if primary.state not in PRIMARY_STATES:
        raise DomainError(
            _("%(label)s is %(state)s: suggestions are merged only into one not yet answered.")
            % {"label": _label(primary), "state": primary.get_state_display()},
            code="wrong_state",
        )
    _require_unanswered(primary)
    if Merge.objects.filter(into=suggestion).exists():
        raise DomainError(
            _("Other suggestions are merged into this one: unmerge them first."),
            code="has_merged",
        )
    if suggestion.state == State.SUBMITTED:
        suggestion = register(suggestion, by=by)
    from_state = suggestion.state
    suggestion.state = State.MERGED
    units = lead_units_text(primary)
    fields = ["state", "updated_at"]
    if units and suggestion.deputy_notified_at is None:
        suggestion.deputy_notified_at = timezone.now()
        fields.append("deputy_notified_at")
    suggestion.save(update_fields=fields)
    copy_state(suggestion)
    row = Merge.objects.create(suggestion=suggestion, into=primary, merged_by=by)
    data = {"into": primary.pk, "into_number": primary.number, "from_state": from_state}
    record_event(suggestion, "suggestion.merged", by=by, data=data)
    record_event(
        primary,
        "suggestion.merge_received",
        by=by,
        data={"merged": suggestion.pk, "merged_number": suggestion.number},
    )
    refresh_facts(suggestion.pk)  # the statistics' fact rows, in this transaction
    body = _("One answer will serve both; you will receive it too.")
    if units:
        body += "\n" + _("Handling units: %(units)s") % {"units": units}
    notify(
        [suggestion.lead_deputy],
        title=_("Your suggestion %(label)s is handled jointly with %(primary)s")
        % {"label": _label(suggestion), "primary": _label(primary)},
        body=body,
        url=suggestion_url(suggestion),
    )
    return row


@transaction.atomic
def unmerge(suggestion: Suggestion, *, by: Any) -> Suggestion:
    """The office undoes a merge while the primary is still unanswered: the suggestion is
    registered again, to be assigned on its own."""
    row = Merge.objects.filter(suggestion_id=suggestion.pk).first()
    if row is None:
        suggestion = lock(suggestion)
        require(is_office(by, suggestion), _("Only the deputy-affairs office unmerges."))
        require_state(suggestion, State.MERGED)
        raise DomainError(_("This suggestion is not merged."), code="not_merged")
    suggestion, primary = _lock_pair(suggestion, row.into_id)
    require(is_office(by, suggestion), _("Only the deputy-affairs office unmerges."))
    require_state(suggestion, State.MERGED)
    _require_unanswered(primary)
    Merge.objects.filter(pk=row.pk).delete()
    suggestion.state = State.REGISTERED
    suggestion.save(update_fields=["state", "updated_at"])
    copy_state(suggestion)
    record_event(suggestion, "suggestion.unmerged", by=by, data={"from": primary.pk})
    record_event(primary, "suggestion.merge_undone", by=by, data={"merged": suggestion.pk})
    refresh_facts(suggestion.pk)
    notify(
        [suggestion.lead_deputy],
        title=_("Your suggestion %(label)s is again handled on its own")
        % {"label": _label(suggestion)},
        url=suggestion_url(suggestion),
    )
    return suggestion


def merged_deputies(primary: Suggestion) -> list[tuple[Any, Suggestion]]:
    """The lead deputies of the suggestions merged into `primary`, each with their suggestion:
    whom the primary's answers also reach."""
    rows = Merge.objects.filter(into=primary).select_related("suggestion__lead_deputy")
    return [(m.suggestion.lead_deputy, m.suggestion) for m in rows]
