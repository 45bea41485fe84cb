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
    "person.photo_set": pgettext_lazy("history", "Photo uploaded"),
    "person.photo_removed": pgettext_lazy("history", "Photo removed"),
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
    "activity.created": pgettext_lazy("history", "Activity organised"),
    "activity.updated": pgettext_lazy("history", "Activity changed"),
    "activity.invited": pgettext_lazy("history", "Deputies invited"),
    "activity.uninvited": pgettext_lazy("history", "Invitation withdrawn"),
    "activity.cancelled": pgettext_lazy("history", "Activity cancelled"),
    "activity.closed": pgettext_lazy("history", "Attendance closed and duties recorded"),
    "attendance.checked_in": pgettext_lazy("history", "Checked in with the activity code"),
    "attendance.marked_present": pgettext_lazy("history", "Marked present by the organiser"),
    "attendance.struck": pgettext_lazy("history", "Check-in struck by the organiser"),
    "leave.requested": pgettext_lazy("history", "Leave requested"),
    "leave.approved": pgettext_lazy("history", "Leave approved"),
    "leave.refused": pgettext_lazy("history", "Leave refused"),
    "leave.withdrawn": pgettext_lazy("history", "Leave request withdrawn"),
    "duty.recorded": pgettext_lazy("history", "Duty recorded by hand"),
    "duty.removed": pgettext_lazy("history", "Duty record removed"),
    # --- scoring
    "score_table.created": pgettext_lazy("history", "Default score table set up"),
    "score_table.changed": pgettext_lazy("history", "Score table changed"),
    "scores.computed": pgettext_lazy("history", "Deputies' scores computed"),
    # --- public profile, citizens' messages, coverage, work plan
    "citizen_message.received": pgettext_lazy("history", "Citizen's message received"),
    "citizen_message.read": pgettext_lazy("history", "Citizen's message read by the deputy"),
    "contact_link.added": pgettext_lazy("history", "Fixed contact with a deputy recorded"),
    "contact_link.removed": pgettext_lazy("history", "Fixed contact with a deputy removed"),
    "work_plan.created": pgettext_lazy("history", "Deputy-work plan written"),
    "work_plan.updated": pgettext_lazy("history", "Deputy-work plan draft changed"),
    "work_plan.published": pgettext_lazy("history", "Deputy-work plan published"),
}
