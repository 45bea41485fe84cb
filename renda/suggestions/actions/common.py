"""What every suggestion action shares: locking the row, checking the state, and keeping the
derived copies of a suggestion's state and of its units' due dates in step."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from renda.calendar.models import Deadline
from renda.errors import DomainError

from .. import counts
from ..choices import UnitRole
from ..facts import refresh_facts_of
from ..models import Assignment, Suggestion

# The list count a locked suggestion is in, as read under the lock (see `copy_state`).
_COUNTED_AS = "_renda_counted_as"


def lock(suggestion: Suggestion | int) -> Suggestion:
    """Re-read the suggestion under a row lock: two clerks acting at once queue here, and the
    second sees the state the first left (then usually a 409)."""
    pk = suggestion if isinstance(suggestion, int) else suggestion.pk
    locked = Suggestion.objects.select_for_update().get(pk=pk)
    setattr(locked, _COUNTED_AS, counts.key_of(locked))
    return locked


def require_state(suggestion: Suggestion, *states: str) -> None:
    """A transition from the wrong state is a 409 naming the current state."""
    if suggestion.state not in states:
        raise DomainError(
            _("This cannot be done while the suggestion is %(state)s.")
            % {"state": suggestion.get_state_display()}
            + f" (state: {suggestion.state})",
            code="wrong_state",
        )


def copy_state(suggestion: Suggestion) -> None:
    """Copy the suggestion's state, kind, year and sequence where the lists read them (issue 3,
    "Benchmark"): onto its assignments (the unit's list) and into the office's list counts
    (`counts`, SuggestionCount). Every action that changes a suggestion's state, kind or number
    calls this right after saving it, in the same transaction: an UPDATE of its assignments and
    one upsert of the counts when its count changed, no row read. The suggestion must be the
    one `lock` returned (the count it leaves is the one read under the lock). A `save()` hook
    would not do: bulk updates bypass it."""
    if not hasattr(suggestion, _COUNTED_AS):
        raise RuntimeError("copy_state() needs the suggestion as returned by lock()")
    Assignment.objects.filter(suggestion_id=suggestion.pk).update(
        suggestion_state=suggestion.state,
        suggestion_year=suggestion.year,
        suggestion_sequence=suggestion.sequence,
    )
    now = counts.key_of(suggestion)
    counts.move(getattr(suggestion, _COUNTED_AS), now)
    setattr(suggestion, _COUNTED_AS, now)


def set_assignment_state(
    assignment: Assignment, state: str, *, fields: tuple[str, ...] = ()
) -> None:
    """Set an assignment's state and save it (with `fields`), moving it between its unit's queue
    counts (`counts.UnitQueueCount`) in the same transaction. Every change of an assignment's
    state goes through here; the instance must be as read under the suggestion's lock."""
    old = assignment.state
    assignment.state = state
    assignment.save(update_fields=["state", *fields])
    counts.move_assignment(assignment.unit_id, old, state)


def due_of(assignment: Assignment) -> date | None:
    """The due date a unit works to, for its `due` copy: the answer deadline's for a lead unit
    (SUG-DEADLINE, or SUG-REHANDLE once sent back), the opinion deadline's for a co-unit
    (SUG-CO-OPINION). The deadlines must be the rows just set."""
    deadline = (
        assignment.answer_deadline
        if assignment.role == UnitRole.LEAD
        else assignment.co_opinion_deadline
    )
    return deadline.due if deadline is not None else None


def copy_due_dates(deadline_ids: list[int]) -> int:
    """Give the assignments whose current deadline is one of `deadline_ids` its due date again
    (their `due` copy, read by the unit's queue): two UPDATEs, nothing read into Python.
    Returns the number of assignments written."""
    written = 0
    for role, field in ((UnitRole.LEAD, "answer_deadline"), (UnitRole.CO, "co_opinion_deadline")):
        written += Assignment.objects.filter(role=role, **{f"{field}_id__in": deadline_ids}).update(
            due=Subquery(Deadline.objects.filter(pk=OuterRef(f"{field}_id")).values("due")[:1])
        )
    return written


def follow_moved_deadlines(sender: object, *, deadline_ids: list[int], **kwargs: object) -> None:
    """The legal calendar recomputed deadlines and these moved (CALENDAR-UNKNOWN-YEAR: a year's
    holiday schedule entered; `calendar.actions.recompute_deadlines` sends `deadlines_moved`
    inside its transaction). Rewrite what copies their due dates, in that transaction: the
    assignments' `due` (the unit's queue) and the statistics' fact rows of the suggestions
    whose lead units' answer deadline moved. The suggestions concerned are locked first, in id
    order, as the actions lock them.

    The calendar is a foundation app that knows nothing of its deadlines' owners; this receiver
    (connected in apps.py) is how it reaches them."""
    moved = Assignment.objects.filter(
        answer_deadline_id__in=deadline_ids
    ) | Assignment.objects.filter(co_opinion_deadline_id__in=deadline_ids)
    ids = sorted(set(moved.values_list("suggestion_id", flat=True)))
    if not ids:
        return
    list(Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    copy_due_dates(deadline_ids)
    refresh_facts_of(
        Assignment.objects.filter(answer_deadline_id__in=deadline_ids).values_list(
            "suggestion_id", flat=True
        )
    )
