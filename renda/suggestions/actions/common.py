"""What every suggestion action shares: locking the row, checking the state."""

from __future__ import annotations

from django.utils.translation import gettext as _

from renda.errors import DomainError

from ..models import Assignment, Suggestion


def lock(suggestion: Suggestion | int) -> Suggestion:
    """Re-read the suggestion under a row lock: two clerks acting at once queue here, and the
    second sees the state the first left (then usually a 409)."""
    pk = suggestion if isinstance(suggestion, int) else suggestion.pk
    return Suggestion.objects.select_for_update().get(pk=pk)


def require_state(suggestion: Suggestion, *states: str) -> None:
    """A transition from the wrong state is a 409 naming the current state."""
    if suggestion.state not in states:
        raise DomainError(
            _("This cannot be done while the suggestion is %(state)s.")
            % {"state": suggestion.get_state_display()}
            + f" (state: {suggestion.state})",
            code="wrong_state",
        )


def copy_to_assignments(suggestion: Suggestion) -> None:
    """Give the suggestion's assignments its current state, year and sequence (their copies for
    the unit's list, issue 3 "Benchmark"). Every action that changes a suggestion's state (or
    number) calls this right after saving it, in the same transaction; one UPDATE, no row read.
    A `save()` hook would not do: bulk updates bypass it."""
    Assignment.objects.filter(suggestion_id=suggestion.pk).update(
        suggestion_state=suggestion.state,
        suggestion_year=suggestion.year,
        suggestion_sequence=suggestion.sequence,
    )
