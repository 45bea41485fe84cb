"""The livelihood-projects year of one congress (民生实事项目人大代表票决制, DOMAIN.md §3.3):
a plan with its collection window, the proposals, the candidate projects the government side
drafts and the office approves, the deputies' vote (LP-VOTE, through renda.votes), and the
chosen projects' milestones, progress reports, supervision and year-end evaluation.

Models hold fields and constraints only; every state change is in actions.py."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress, HandlingUnit

from .choices import CandidateState, PlanState, ProposalSource

TITLE_MAX = 120
TEXT_MAX = 4000
NAME_MAX = 50
PHONE_MAX = 20
LOCATION_MAX = 200
MONEY = {"max_digits": 14, "decimal_places": 2}


class Plan(models.Model):
    """A congress's livelihood-projects plan for one year (民生实事项目年度计划), with its
    collection window and M (LP-VOTE: how many of the N candidates a deputy may choose)."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="livelihood_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    collect_from = models.DateField(_("collection opens"))
    collect_until = models.DateField(_("collection closes"))
    # LP-VOTE: a setting, never a constant; default from the congress's rule profile.
    max_choices = models.PositiveSmallIntegerField(_("projects to choose (M)"))
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.COLLECTING
    )
    list_fixed_at = models.DateTimeField(null=True, blank=True)
    # The livelihood ballot now in force (the first one, then each run-off) and the year-end
    # evaluation ballot: renda.votes keeps the papers; this app reads only their results.
    ballot = models.ForeignKey(
        "votes.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluation_ballot = models.ForeignKey(
        "votes.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood plan")
        verbose_name_plural = _("livelihood plans")
        ordering = ["-year", "congress_id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="livelihood_plan_year"),
            models.CheckConstraint(
                condition=Q(collect_until__gte=models.F("collect_from")),
                name="livelihood_plan_window",
            ),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="livelihood_plan_m"),
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """A proposed project from the public (no account; name and phone optional, never shown
    publicly) or from a deputy. A duplicate points to the proposal that survives the merge;
    its proposer stays on record."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="proposals")
    source = models.CharField(_("from"), max_length=10, choices=ProposalSource.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("what and why"), max_length=TEXT_MAX)
    location = models.CharField(_("where"), max_length=LOCATION_MAX, blank=True)
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX, blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputyship",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood proposal")
        verbose_name_plural = _("livelihood proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "merged_into"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="livelihood_proposal_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class Project(models.Model):
    """A candidate project (候选项目) drafted by the government side from proposals; once
    chosen by the deputies' vote (LP-VOTE), one of the year's livelihood projects."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="projects")
    proposals = models.ManyToManyField(Proposal, blank=True, related_name="projects")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    content = models.TextField(_("content"), max_length=TEXT_MAX)
    lead_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
        verbose_name=_("lead unit"),
    )
    budget = models.DecimalField(
        _("budget (yuan)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    funding_source = models.CharField(_("funding source"), max_length=200)
    timeline = models.CharField(_("timeline"), max_length=200)
    expected_outcome = models.TextField(_("expected outcome"), max_length=TEXT_MAX)
    location = models.CharField(_("where"), max_length=LOCATION_MAX, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CandidateState.choices, default=CandidateState.DRAFT
    )
    return_reason = models.TextField(_("reason sent back"), blank=True)
    position = models.PositiveSmallIntegerField(_("place on the list"), default=0)
    # The vote's result (LP-VOTE), copied from the ballot's tally when the office adopts it.
    votes = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The year-end satisfaction vote's counts, copied from the evaluation ballot.
    eval_satisfied = models.PositiveIntegerField(null=True, blank=True)
    eval_basic = models.PositiveIntegerField(null=True, blank=True)
    eval_dissatisfied = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["plan", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="livelihood_budget_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="livelihood_project_both_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A planned step of a chosen project, with its planned and actual dates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=TITLE_MAX)
    planned_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """The lead unit's monthly progress report: what was done, how far, money spent so far."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    month = models.DateField(_("month"))  # the first day of the month reported on
    text = models.TextField(_("progress"), max_length=TEXT_MAX)
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)]
    )
    spent = models.DecimalField(
        _("spent so far (yuan)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="livelihood_report_month"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="livelihood_percent"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="livelihood_spent_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"livelihood/{uuid.uuid4().hex}"


class ReportPhoto(models.Model):
    """A photo of a progress report: checked by content and re-encoded, no EXIF
    (renda.opinions.images). Public with its report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file.name


class SupervisionMember(models.Model):
    """A deputy of the project's supervision group (代表监督小组), assigned by the office."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supervisors")
    deputy = models.ForeignKey(
        "deputies.Deputyship", on_delete=models.PROTECT, related_name="livelihood_supervision"
    )
    leads = models.BooleanField(_("group leader"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "deputy"], name="livelihood_supervisor")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.deputy_id}"


class Inspection(models.Model):
    """An inspection by the supervision group (视察/督查), recorded by one of its deputies."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    held_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"), max_length=TEXT_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.held_on}"
