"""States and kinds of the livelihood-projects year (民生实事项目, DOMAIN.md §3.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanState(models.TextChoices):
    """collecting → screening → list_fixed → voting → chosen → evaluating → evaluated."""

    COLLECTING = "collecting", _("Collecting proposals")
    SCREENING = "screening", _("Screening candidates")
    LIST_FIXED = "list_fixed", _("Candidate list fixed")
    VOTING = "voting", _("Voting")
    CHOSEN = "chosen", _("Projects chosen")
    EVALUATING = "evaluating", _("Year-end evaluation")
    EVALUATED = "evaluated", _("Evaluated")


class ProposalSource(models.TextChoices):
    PUBLIC = "public", _("The public")
    DEPUTY = "deputy", _("A deputy")


class CandidateState(models.TextChoices):
    """draft (government side) → submitted → approved | returned (→ submitted again);
    approved → chosen | not_chosen after the vote."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Sent back")
    APPROVED = "approved", _("Approved for the list")
    CHOSEN = "chosen", _("Chosen")
    NOT_CHOSEN = "not_chosen", _("Not chosen")


class Progress(models.TextChoices):
    """What the public board says of a chosen project."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    DONE = "done", _("Done")
