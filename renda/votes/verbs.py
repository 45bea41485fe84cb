"""The words for the audit verbs the votes' actions record (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    "meeting.created": pgettext_lazy("history", "Meeting created"),
    "meeting.attendance": pgettext_lazy("history", "Attendance recorded"),
    "ballot.created": pgettext_lazy("history", "Ballot prepared"),
    "ballot.opened": pgettext_lazy("history", "Ballot opened"),
    "ballot.closed": pgettext_lazy("history", "Ballot closed and sealed"),
    "ballot.voted": pgettext_lazy("history", "A member voted (the choice is not recorded)"),
    "ballot.runoff": pgettext_lazy("history", "Run-off ballot prepared"),
}
