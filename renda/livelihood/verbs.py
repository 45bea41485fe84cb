"""Words for the audit verbs the livelihood actions record (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    "livelihood.plan_created": pgettext_lazy("history", "Livelihood plan created"),
    "livelihood.plan_updated": pgettext_lazy("history", "Livelihood plan changed"),
    "livelihood.proposed": pgettext_lazy("history", "Livelihood project proposed"),
    "livelihood.merged": pgettext_lazy("history", "Duplicate proposals merged"),
    "livelihood.collection_closed": pgettext_lazy("history", "Proposal collection closed"),
    "livelihood.candidate_saved": pgettext_lazy("history", "Candidate project saved"),
    "livelihood.candidate_submitted": pgettext_lazy("history", "Candidate submitted for review"),
    "livelihood.candidate_approved": pgettext_lazy("history", "Candidate approved"),
    "livelihood.candidate_returned": pgettext_lazy("history", "Candidate sent back"),
    "livelihood.list_fixed": pgettext_lazy("history", "Candidate list fixed"),
    "livelihood.put_to_vote": pgettext_lazy("history", "Candidates put to the deputies' vote"),
    "livelihood.runoff": pgettext_lazy("history", "Run-off among the tied candidates"),
    "livelihood.result_adopted": pgettext_lazy("history", "Vote result adopted"),
    "livelihood.milestone_set": pgettext_lazy("history", "Milestone set"),
    "livelihood.milestone_done": pgettext_lazy("history", "Milestone reached"),
    "livelihood.reported": pgettext_lazy("history", "Progress report filed"),
    "livelihood.completed": pgettext_lazy("history", "Project completed"),
    "livelihood.supervisors_set": pgettext_lazy("history", "Supervision group set"),
    "livelihood.inspected": pgettext_lazy("history", "Inspection recorded"),
    "livelihood.evaluation_opened": pgettext_lazy("history", "Year-end evaluation put to vote"),
    "livelihood.evaluation_adopted": pgettext_lazy("history", "Evaluation result published"),
}
