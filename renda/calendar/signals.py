"""Signals of the calendar app."""

from django.dispatch import Signal

# Sent inside recompute_deadlines' transaction with `deadline_ids`: the deadlines whose due
# date changed, so records that keep a copy of a due date (the suggestions' assignments and
# their statistics' fact rows: suggestions.actions.common.follow_moved_deadlines) can rewrite it
# in the same transaction.
deadlines_moved = Signal()
