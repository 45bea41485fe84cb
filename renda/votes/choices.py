"""Kinds and states of meetings and ballots (issue 6; DOMAIN.md §3.3–3.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """A plenary session of the congress or a meeting of its standing committee."""

    CONGRESS_SESSION = "congress_session", _("Congress session")
    SC_MEETING = "sc_meeting", _("Standing-committee meeting")


class BallotKind(models.TextChoices):
    """What is put to the vote; with the meeting's kind it picks the rule (queries.rule_for)."""

    LIVELIHOOD = "livelihood", _("Livelihood projects")
    MOTION = "motion", _("Motion")
    APPOINTMENT = "appointment", _("Appointment")
    EVALUATION = "evaluation", _("Satisfaction evaluation")


class AnswerMode(models.TextChoices):
    """How each ballot paper answers the choices."""

    SELECT = "select", _("Choose at most M")
    YES_NO_ABSTAIN = "yes_no_abstain", _("Yes / no / abstain on each item")
    SATISFACTION = "satisfaction", _("Satisfied / basically satisfied / dissatisfied")


# The answers each mode accepts, in the order they are shown.
MODE_ANSWERS: dict[str, tuple[str, ...]] = {
    AnswerMode.SELECT: (),
    AnswerMode.YES_NO_ABSTAIN: ("yes", "no", "abstain"),
    AnswerMode.SATISFACTION: ("satisfied", "basic", "dissatisfied"),
}

ANSWER_LABELS = {
    "yes": _("Yes"),
    "no": _("No"),
    "abstain": _("Abstain"),
    "satisfied": _("Satisfied"),
    "basic": _("Basically satisfied"),
    "dissatisfied": _("Dissatisfied"),
}

# The answer mode a ballot kind uses.
KIND_MODE: dict[str, str] = {
    BallotKind.LIVELIHOOD: AnswerMode.SELECT,
    BallotKind.MOTION: AnswerMode.YES_NO_ABSTAIN,
    BallotKind.APPOINTMENT: AnswerMode.YES_NO_ABSTAIN,
    BallotKind.EVALUATION: AnswerMode.SATISFACTION,
}


class BallotState(models.TextChoices):
    DRAFT = "draft", _("Ready to open")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Rule(models.TextChoices):
    """The rule that decides a ballot (RULES.md ids)."""

    LP_VOTE = "LP-VOTE", "LP-VOTE"
    SC_MAJORITY = "SC-MAJORITY", "SC-MAJORITY"
    CONGRESS_MAJORITY = "CONGRESS-MAJORITY", "CONGRESS-MAJORITY"
    APPT_VOTE = "APPT-VOTE", "APPT-VOTE"
    SHARES = "SHARES", "SHARES"
