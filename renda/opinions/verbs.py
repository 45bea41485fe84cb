"""The words for the audit verbs the opinions' actions record, as each record's history shows
them (registered in apps.py; a test requires every recorded verb to have words)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    # --- receiving, stations, categories
    "opinion.received": pgettext_lazy("history", "Opinion received"),
    "opinion.rated": pgettext_lazy("history", "Answer rated by the citizen"),
    # --- triage, referral, answers, ratings, deadlines
    "opinion.triage_answered": pgettext_lazy("history", "Answered on the spot"),
    "opinion.triage_deputy": pgettext_lazy("history", "Given to a deputy to follow up"),
    "opinion.triage_suggestion": pgettext_lazy("history", "Turned into a deputy's suggestion"),
    "opinion.triage_refer": pgettext_lazy("history", "Referred to a handling unit"),
    "opinion.triage_merge": pgettext_lazy("history", "Merged with an earlier opinion"),
    "opinion.triage_close": pgettext_lazy("history", "Closed with an explanation"),
    "opinion.triage_pass_up": pgettext_lazy("history", "Passed to the higher congress"),
    "opinion.unit_answered": pgettext_lazy("history", "Answered by the handling unit"),
    "opinion.referral_warning": pgettext_lazy("history", "Unit warned of the answer deadline"),
    "opinion.referral_overdue": pgettext_lazy("history", "Unit's answer overdue"),
    "opinion.referral_escalated": pgettext_lazy("history", "Overdue answer escalated"),
    # --- station statistics
    # --- station registry and reception days (helper S)
    "station.created": pgettext_lazy("history", "Station added"),
    "station.updated": pgettext_lazy("history", "Station changed"),
    "reception_day.planned": pgettext_lazy("history", "Reception day planned"),
    "reception_day.updated": pgettext_lazy("history", "Reception day changed"),
    "reception_day.held": pgettext_lazy("history", "Reception day held"),
    "reception_day.cancelled": pgettext_lazy("history", "Reception day cancelled"),
}
