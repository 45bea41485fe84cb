from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """A deputy's suggestion (建议、批评和意见) or a motion (议案)."""

    SUGGESTION = "suggestion", _("Suggestion")
    MOTION = "motion", _("Motion")


class State(models.TextChoices):
    """The handling lifecycle (DOMAIN.md §3.1). Only actions write it."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    EVALUATED = "evaluated", _("Evaluated")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")
    CONVERTED = "converted", _("Converted")
    REASSIGNING = "reassigning", _("Being reassigned")
    REHANDLING = "rehandling", _("Being handled again")
    # Merged into another suggestion of the same congress for joint handling (并案办理): it
    # follows that one's handling (docs/suggestions.md, "Joint handling").
    MERGED = "merged", _("Handled jointly")


# Co-signatures are asked for and answered while a suggestion is a draft or just submitted.
COSIGN_STATES = (State.DRAFT, State.SUBMITTED)


class SponsorRole(models.TextChoices):
    LEAD = "lead", _("Lead deputy")
    COSIGNER = "cosigner", _("Co-signer")


class UnitRole(models.TextChoices):
    """主办 / 协办."""

    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-unit")


class AssignmentState(models.TextChoices):
    ACTIVE = "active", _("Handling")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned")


class ReturnState(models.TextChoices):
    PENDING = "pending", _("Waiting for decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExcludedGround(models.TextChoices):
    """SUG-EXCLUDED: why a submission is not taken as a suggestion (which apply: the profile)."""

    PERSONAL_MATTER = "personal_matter", _("The deputy's own or relatives' personal matter")
    FORWARDED_LETTER = "forwarded_letter", _("A forwarded letter or complaint")
    ACADEMIC_OR_PROMOTION = "academic_or_promotion", _("Academic discussion or product promotion")
    NO_CONTENT = "no_content", _("No concrete content")
    PENDING_COURT_CASE = "pending_court_case", _("An opinion on a court case not yet concluded")
    ONGOING_TENDER = "ongoing_tender", _("An opinion on who should win an ongoing tender")
    LEGAL_CONSULTATION = "legal_consultation", _("Legal or policy consultation")
    PETITION = "petition", _("A report, accusation or appeal (检举、控告、申诉)")


class ContactStage(models.TextChoices):
    """办前联系、办中沟通、办后反馈."""

    BEFORE = "before", _("Before handling")
    DURING = "during", _("During handling")
    AFTER = "after", _("After answering")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", pgettext_lazy("contact method", "Meeting")
    OTHER = "other", pgettext_lazy("contact method", "Other")


class Category(models.TextChoices):
    """SUG-CATEGORY: the outcome an answer states."""

    A = "A", _("A · Solved or adopted")
    B = "B", _("B · Being solved or planned")
    C = "C", _("C · Cannot be solved for now")
    D = "D", _("D · Kept for reference")


class Rating(models.TextChoices):
    """SUG-FEEDBACK: the lead deputy's rating; no rating in time is `no_feedback`."""

    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    NO_FEEDBACK = "no_feedback", _("No feedback")
