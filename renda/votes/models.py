"""Meetings, their rolls, ballots and the secret ballot papers (issue 6; DOMAIN.md §3.3–3.4).

Secrecy by construction: `Voter` records who voted (the register) and `Paper` what was voted;
nothing joins them. A paper has no voter, no timestamp and a random key (its primary key), so
neither a column nor the key order tells who cast it or when. See docs/votes.md.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AnswerMode, BallotKind, BallotState, MeetingKind, Rule


class Meeting(models.Model):
    """A congress session or standing-committee meeting with its roll (SC-QUORUM etc.)."""

    congress = models.ForeignKey(
        "orgs.Congress", on_delete=models.PROTECT, related_name="vote_meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    session = models.ForeignKey(
        "orgs.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vote_meetings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class MeetingMember(models.Model):
    """One person on a meeting's roll: all members count toward thresholds, the present vote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_rolls"
    )
    present = models.BooleanField(_("present"), default=False)
    leave = models.BooleanField(_("on approved leave"), default=False)

    class Meta:
        verbose_name = _("meeting member")
        verbose_name_plural = _("meeting members")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_member_unique"),
            models.CheckConstraint(
                condition=~(models.Q(present=True) & models.Q(leave=True)),
                name="meeting_member_present_or_leave",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.user}"


class Ballot(models.Model):
    """One item put to the vote at a meeting: its choices, state, rule and (at close) seal."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    kind = models.CharField(_("kind"), max_length=20, choices=BallotKind.choices)
    title = models.CharField(_("title"), max_length=200)
    answers = models.CharField(_("answers"), max_length=20, choices=AnswerMode.choices)
    max_choices = models.PositiveSmallIntegerField(_("at most"), default=1)
    secret = models.BooleanField(_("secret ballot"), default=True)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=BallotState.choices, default=BallotState.DRAFT
    )
    runoff_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="runoffs"
    )
    # Fixed when the ballot opens: the thresholds count all members (SC-MAJORITY), not voters.
    eligible = models.PositiveIntegerField(null=True, blank=True)
    present_at_open = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # At close: the count, the digest over the papers sorted by key, and the tally.
    paper_count = models.PositiveIntegerField(null=True, blank=True)
    seal = models.CharField(max_length=64, blank=True)
    tally = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_choices__gte=1), name="ballot_max_1"),
        ]

    def __str__(self) -> str:
        return self.title


class BallotChoice(models.Model):
    """One candidate, person or item on a ballot (ref_type/ref_id point at what it stands for)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(_("label"), max_length=200)
    detail = models.TextField(_("detail"), max_length=2000, blank=True)
    ref_type = models.CharField(max_length=40, blank=True)
    ref_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="ballot_choice_position"),
        ]

    def __str__(self) -> str:
        return self.label


class Voter(models.Model):
    """The register: this person has voted on this ballot (one row each; never what they chose).

    The unique constraint is what makes 50 simultaneous attempts record one ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Named votes only (secret=False, 记名表决): the answer is public by the meeting's decision.
    named_content = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="voter_once_per_ballot"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} · {self.user_id}"


def new_paper_key() -> str:
    return secrets.token_hex(16)


class Paper(models.Model):
    """One cast ballot paper: no voter, no time, a random key; its own content hash and the hash
    of the receipt code given once to the voter (secrecy, see the module docstring)."""

    key = models.CharField(primary_key=True, max_length=32, default=new_paper_key, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="papers")
    content = models.JSONField()
    receipt_hash = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        # Never by arrival: the key is random.
        ordering = ["ballot", "key"]

    def __str__(self) -> str:
        return self.key
