"""The words for the audit verbs the opinions' actions record, as each record's history shows
them (registered in apps.py; a test requires every recorded verb to have words)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    # --- receiving, stations, categories
    "opinion.received": pgettext_lazy("history", "Opinion received"),
    "opinion.rated": pgettext_lazy("history", "Answer rated by the citizen"),
    # --- triage, referral, answers, ratings, deadlines
    # --- station statistics
}
