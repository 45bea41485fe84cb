"""The words for the audit verbs the deputies' actions record, as each record's history shows
them (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    # --- registry, roster import, groups
    "deputyship.created": pgettext_lazy("history", "Deputy registered"),
    "deputyship.updated": pgettext_lazy("history", "Deputy's record changed"),
    "deputyship.suspended": pgettext_lazy("history", "Deputy's duties suspended"),
    "deputyship.resumed": pgettext_lazy("history", "Deputy's duties resumed"),
    "deputyship.ended": pgettext_lazy("history", "Deputyship ended"),
    "deputyship.publication_changed": pgettext_lazy("history", "Published fields changed"),
    "person.updated": pgettext_lazy("history", "Personal details changed"),
    # --- activities, check-in, leave, duty records
    # --- scoring
    "score_table.created": pgettext_lazy("history", "Default score table set up"),
    "score_table.changed": pgettext_lazy("history", "Score table changed"),
    "scores.computed": pgettext_lazy("history", "Deputies' scores computed"),
    # --- public profile, citizens' messages, coverage, work plan
}
