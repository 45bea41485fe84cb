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
    # --- public profile, citizens' messages, coverage, work plan
    "citizen_message.received": pgettext_lazy("history", "Citizen's message received"),
    "citizen_message.read": pgettext_lazy("history", "Citizen's message read by the deputy"),
    "contact_link.added": pgettext_lazy("history", "Fixed contact with a deputy recorded"),
    "contact_link.removed": pgettext_lazy("history", "Fixed contact with a deputy removed"),
    "work_plan.created": pgettext_lazy("history", "Deputy-work plan written"),
    "work_plan.updated": pgettext_lazy("history", "Deputy-work plan draft changed"),
    "work_plan.published": pgettext_lazy("history", "Deputy-work plan published"),
}
