"""The words for the audit verbs the suggestion actions record, as the suggestion's history on
its page shows them (registered in apps.py; a test checks every verb in actions/ has words)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

EVENT_LABELS = {
    "suggestion.drafted": pgettext_lazy("history", "Draft started"),
    "suggestion.draft_saved": pgettext_lazy("history", "Draft saved"),
    "suggestion.cosigners_invited": pgettext_lazy("history", "Co-signers invited"),
    "suggestion.cosign_confirmed": pgettext_lazy("history", "Co-signature confirmed"),
    "suggestion.cosign_declined": pgettext_lazy("history", "Co-signature declined"),
    "suggestion.attachment_added": pgettext_lazy("history", "File attached"),
    "suggestion.attachment_removed": pgettext_lazy("history", "File removed"),
    "suggestion.submitted": pgettext_lazy("history", "Submitted"),
    "suggestion.registered": pgettext_lazy("history", "Registered"),
    "suggestion.rejected": pgettext_lazy("history", "Not accepted"),
    "suggestion.converted": pgettext_lazy("history", "Converted between suggestion and motion"),
    "suggestion.assigned": pgettext_lazy("history", "Assigned to handling units"),
    "suggestion.return_requested": pgettext_lazy("history", "Return requested by a unit"),
    "suggestion.return_approved": pgettext_lazy("history", "Return approved"),
    "suggestion.return_refused": pgettext_lazy("history", "Return refused"),
    "suggestion.contact_logged": pgettext_lazy("history", "Contact with the deputy logged"),
    "suggestion.co_opinion_sent": pgettext_lazy("history", "Co-unit opinion sent"),
    "suggestion.signed_off": pgettext_lazy("history", "Signed off by the unit head"),
    "suggestion.answered": pgettext_lazy("history", "Answered"),
    "suggestion.rated": pgettext_lazy("history", "Rated by the deputy"),
    "suggestion.no_feedback": pgettext_lazy("history", "No rating in time (no feedback)"),
    "suggestion.evaluated": pgettext_lazy("history", "Evaluated"),
    "suggestion.closed": pgettext_lazy("history", "Closed"),
    "suggestion.commitment_met": pgettext_lazy("history", "Commitment met"),
    "suggestion.marked_key": pgettext_lazy("history", "Marked as a key suggestion"),
    "suggestion.progress_reported": pgettext_lazy("history", "Progress reported"),
    "suggestion.deadline_warning": pgettext_lazy("history", "Deadline warning sent"),
    "suggestion.overdue": pgettext_lazy("history", "Marked overdue"),
    "suggestion.overdue_escalated": pgettext_lazy("history", "Overdue answer escalated"),
    "suggestion.co_opinion_warning": pgettext_lazy(
        "history", "Co-unit opinion deadline warning sent"
    ),
    "suggestion.co_opinion_late": pgettext_lazy("history", "Co-unit opinion marked late"),
    "suggestion.cosigner_removed": pgettext_lazy("history", "Co-signer removed"),
    "suggestion.cosign_withdrawn": pgettext_lazy("history", "Co-signature withdrawn"),
    "suggestion.back_to_draft": pgettext_lazy("history", "Back to draft (too few co-signers)"),
    "suggestion.merged": pgettext_lazy("history", "Merged for joint handling"),
    "suggestion.merge_received": pgettext_lazy("history", "Another suggestion merged into it"),
    "suggestion.unmerged": pgettext_lazy("history", "Handled on its own again"),
    "suggestion.merge_undone": pgettext_lazy("history", "A merged suggestion taken out"),
    "suggestion.rated_jointly": pgettext_lazy(
        "history", "Rated by the deputy of a suggestion handled with it"
    ),
}
