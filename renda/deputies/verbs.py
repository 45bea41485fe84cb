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
    "person.id_number_shown": pgettext_lazy("history", "ID-card number shown"),
    "roster.imported": pgettext_lazy("history", "Roster imported"),
    "delegation.created": pgettext_lazy("history", "Delegation added"),
    "delegation.renamed": pgettext_lazy("history", "Delegation renamed"),
    "deputy_group.created": pgettext_lazy("history", "Deputy group added"),
    "deputy_group.changed": pgettext_lazy("history", "Deputy group changed"),
    "deputy_group.member_added": pgettext_lazy("history", "Member added to a group"),
    "deputy_group.member_removed": pgettext_lazy("history", "Member removed from a group"),
    "deputy_group.leader_set": pgettext_lazy("history", "Group leader changed"),
    "expertise_tag.created": pgettext_lazy("history", "Expertise tag added"),
    "expertise_tag.renamed": pgettext_lazy("history", "Expertise tag renamed"),
    "expertise_tag.removed": pgettext_lazy("history", "Expertise tag removed"),
    # --- activities, check-in, leave, duty records
    # --- scoring
    # --- public profile, citizens' messages, coverage, work plan
}
