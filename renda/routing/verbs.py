"""The words for the routing app's audit verbs (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    "routing.history_imported": pgettext_lazy("history", "Past suggestions imported"),
    "routing.model_trained": pgettext_lazy("history", "Assignment-proposal model trained"),
    "routing.choice_recorded": pgettext_lazy("history", "Office's choice beside the proposal"),
}
