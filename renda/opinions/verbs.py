"""The words for the audit verbs the opinions' actions record, as each record's history shows
them (registered in apps.py; a test requires every recorded verb to have words)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    # --- receiving, stations, categories
    "opinion.received": pgettext_lazy("history", "Opinion received"),
    # --- triage, referral, answers, ratings, deadlines
    # --- station statistics
    # --- station registry and reception days (helper S)
    "station.created": pgettext_lazy("history", "Station added"),
    "station.updated": pgettext_lazy("history", "Station changed"),
    "reception_day.planned": pgettext_lazy("history", "Reception day planned"),
    "reception_day.updated": pgettext_lazy("history", "Reception day changed"),
    "reception_day.held": pgettext_lazy("history", "Reception day held"),
    "reception_day.cancelled": pgettext_lazy("history", "Reception day cancelled"),
}
