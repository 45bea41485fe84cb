"""Deputies' suggestions and motions and their handling (DOMAIN.md §3.1). No workflow here:
every state change is an action in actions/."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.calendar.models import Deadline
from renda.orgs.models import Congress, HandlingUnit, Session

from .choices import (
    AssignmentState,
    Category,
    ContactMethod,
    ContactStage,
    Kind,
    Rating,
    ReturnState,
    SponsorRole,
    State,
    UnitRole,
)

TITLE_MAX = 200
BODY_MAX = 50_000
TEXT_MAX = 20_000
ATTACHMENT_NAME_MAX = 200

User = settings.AUTH_USER_MODEL


class Topic(models.Model):
    """A topic a congress files suggestions under (configurable per congress)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="topics")
    name = models.CharField(_("name"), max_length=50)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="topic_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class NumberCounter(models.Model):
    """The last number given in one numbering scope (a session, or a year between sessions);
    locked while a number is taken so numbers never repeat under concurrent submission."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)  # "session:<id>" or "year:<yyyy>", per kind
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["congress", "scope"], name="counter_unique_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.last}"


class Suggestion(models.Model):
    """A deputy's suggestion or motion, from draft to closed."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="suggestions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SUGGESTION)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="suggestions"
    )
    lead_deputy = models.ForeignKey(User, on_delete=models.PROTECT, related_name="lead_suggestions")
    # Numbering (given on submit): per session during a session, per year between sessions.
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="suggestions"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("number"), max_length=40, blank=True, db_index=True)

    is_complex = models.BooleanField(_("wide in scope or hard to handle"), default=False)
    public = models.BooleanField(_("answers published"), default=True)
    not_public_reason = models.CharField(_("why not published"), max_length=500, blank=True)

    rejection_ground = models.CharField(_("ground"), max_length=30, blank=True)
    rejection_explanation = models.TextField(_("explanation"), max_length=TEXT_MAX, blank=True)
    converted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="converted_to"
    )

    # SUG-NOTIFY: when the lead deputy must have been told the assigned units.
    notify_deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deputy_notified_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-year", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "kind", "number"],
                condition=~models.Q(number=""),
                name="suggestion_unique_number",
            )
        ]
        indexes = [
            # The office's lists (state, year) come out in the default order, -sequence, -id,
            # straight from the index (issue 3, "Benchmark").
            models.Index(
                fields=["congress", "state", "year", "sequence", "id"], name="suggestion_list_idx"
            ),
            models.Index(fields=["lead_deputy", "state"]),
            # A year's first suggestion, read straight from the index (similar suggestions look
            # within this year and last: renda.search.queries._window_start).
            models.Index(fields=["congress", "year", "id"], name="suggestion_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('draft')} {self.title}"


class Sponsor(models.Model):
    """A deputy behind a suggestion: the lead, or a co-signer who counts once confirmed."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="sponsors")
    deputy = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sponsorships")
    role = models.CharField(max_length=10, choices=SponsorRole.choices)
    invited_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="sponsor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_role_display()}"


class Assignment(models.Model):
    """One unit's part in handling a suggestion (交办): lead (主办) or co-unit (协办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=4, choices=UnitRole.choices)
    state = models.CharField(
        max_length=10, choices=AssignmentState.choices, default=AssignmentState.ACTIVE
    )
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # SUG-DEADLINE (answer), SUG-RETURN (window), SUG-CO-OPINION (co-units' view).
    answer_deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    co_opinion_deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The deadline job's claims (point 9), each a compare-and-swap UPDATE: `overdue_since` the
    # day a lead unit's answer (or a co-unit's opinion, SUG-CO-OPINION) was found late;
    # `escalated_at` the day a still-overdue answer went up the second step; `warned_days` the
    # smallest "due in N days" warning sent for the current deadline (reset with the deadline).
    overdue_since = models.DateField(null=True, blank=True)
    escalated_at = models.DateField(null=True, blank=True)
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Copies of the suggestion's state, year and sequence, so that a unit's list filtered by
    # state and year is one range of an index, read in the list's order (-year, -sequence, -id)
    # (issue 3, "Benchmark": 38 000 assignments of a busy unit at 1 M). Kept in step
    # by the actions, in the same transaction as the change (actions.common.copy_state);
    # never edited on their own.
    suggestion_state = models.CharField(max_length=12, choices=State.choices)
    suggestion_year = models.PositiveSmallIntegerField()
    suggestion_sequence = models.PositiveIntegerField(null=True, blank=True)
    # A copy of the current due date the unit works to: its answer deadline's (SUG-DEADLINE, or
    # SUG-REHANDLE once sent back) for a lead unit, its opinion deadline's (SUG-CO-OPINION) for a
    # co-unit, so that the unit's queue of open assignments is read in due order from an index
    # instead of joining and sorting the deadlines of all of them (issue 3, "Benchmark": ≈ 2 000
    # open at the busy unit at 1 M). Written with the deadline by the actions (assign, a new
    # lead after a return, re-handling) and by `actions.common.copy_due_dates` when the legal
    # calendar moves deadlines; never edited on its own.
    due = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=~models.Q(state="returned"),
                name="assignment_unique_active_unit",
            )
        ]
        # The unit queue's done part is read newest first from the index (queries.UnitQueue).
        indexes = [
            models.Index(fields=["unit", "state", "id"], name="assignment_unit_queue_idx"),
            # The unit queue's open part, soonest due first, read in index order.
            models.Index(fields=["unit", "state", "due", "id"], name="assignment_unit_due_idx"),
            # The API list filtered by unit (+ state, year): a range of this index, in the list's
            # order, covering (queries.listed_suggestions).
            models.Index(
                fields=[
                    "unit",
                    "suggestion_state",
                    "suggestion_year",
                    "suggestion_sequence",
                    "suggestion",
                    "state",
                ],
                name="assignment_unit_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()}"


class Merge(models.Model):
    """A suggestion merged into another of the same congress for joint handling (并案办理, issue 7
    point 4): it has no units of its own and its lead deputy receives the primary's answers. One
    row per merged suggestion (the unique key stops it being merged twice); unmerging deletes the
    row (the audit trail keeps both)."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="merge")
    into = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="merged")
    merged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joint handling")
        verbose_name_plural = _("joint handlings")

    def __str__(self) -> str:
        return f"{self.suggestion_id} → {self.into_id}"


class ReturnRequest(models.Model):
    """A unit's request to return a suggestion that is not its business (SUG-RETURN)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="return_requests"
    )
    reason = models.TextField(_("reason"), max_length=TEXT_MAX)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=10, choices=ReturnState.choices, default=ReturnState.PENDING
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=TEXT_MAX)

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_state_display()}"


class Contact(models.Model):
    """A contact between the unit and the deputy (办前联系、办中沟通、办后反馈)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    stage = models.CharField(max_length=10, choices=ContactStage.choices)
    method = models.CharField(max_length=10, choices=ContactMethod.choices)
    happened_on = models.DateField()
    note = models.TextField(max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.get_method_display()}"


class CoOpinion(models.Model):
    """A co-unit's view sent to the lead unit (SUG-CO-OPINION)."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="co_opinion"
    )
    text = models.TextField(max_length=TEXT_MAX)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("co-unit opinion")
        verbose_name_plural = _("co-unit opinions")

    def __str__(self) -> str:
        return str(self.assignment)


class Answer(models.Model):
    """A lead unit's answer (答复), with its outcome category (SUG-CATEGORY)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(default=1)  # 2 after a 不满意 (SUG-REHANDLE)
    category = models.CharField(max_length=1, choices=Category.choices)
    text = models.TextField(_("answer"), max_length=BODY_MAX)
    plan = models.TextField(_("plan and progress"), max_length=TEXT_MAX, blank=True)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=TEXT_MAX, blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    late = models.BooleanField(default=False)
    public = models.BooleanField(default=True)
    not_public_reason = models.CharField(max_length=500, blank=True)
    # SUG-FEEDBACK: the window for the lead deputy's rating.
    feedback_deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="answer_unique_round")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.category}"


class Commitment(models.Model):
    """What a B or C answer promises, with a date; followed up until met (回头看)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(max_length=TEXT_MAX)
    due = models.DateField()
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(max_length=TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Evaluation(models.Model):
    """The lead deputy's rating of one answer (SUG-FEEDBACK)."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    comment = models.TextField(max_length=TEXT_MAX, blank=True)
    rated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return self.get_rating_display()


class JointRating(models.Model):
    """A merged suggestion's lead deputy's rating of the primary's answer (joint handling, 并案办理:
    SUG-FEEDBACK for each sponsor). One per answer and merged suggestion; like an Evaluation, a
    rating not given in the window is recorded as no feedback (rated_by empty)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="joint_ratings")
    suggestion = models.ForeignKey(  # the merged suggestion whose deputy rates
        Suggestion, on_delete=models.CASCADE, related_name="joint_ratings"
    )
    rating = models.CharField(max_length=20, choices=Rating.choices)
    comment = models.TextField(max_length=TEXT_MAX, blank=True)
    rated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("joint rating")
        verbose_name_plural = _("joint ratings")
        constraints = [
            models.UniqueConstraint(fields=["answer", "suggestion"], name="joint_rating_once")
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


class KeySuggestion(models.Model):
    """A key suggestion chosen for the year (SUG-KEY), with its supervising leader or committee."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="key")
    year = models.PositiveSmallIntegerField()
    supervisor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee = models.CharField(_("supervising committee"), max_length=100, blank=True)
    designated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    designated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("key suggestion")
        verbose_name_plural = _("key suggestions")

    def __str__(self) -> str:
        return str(self.suggestion)


class ProgressReport(models.Model):
    """A unit's progress report on a key suggestion."""

    key = models.ForeignKey(KeySuggestion, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=TEXT_MAX)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.reported_at:%Y-%m-%d}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """A non-guessable storage name: a random uuid, no user-typed part (not even the extension),
    so nothing about the file can be reached or guessed from outside; the name shown on download
    is `Attachment.name`."""
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a suggestion by its lead deputy (issue 3 point 1); never served
    publicly, only through the permission-checked download (docs/suggestions.md, Attachments)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=ATTACHMENT_NAME_MAX)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# --- statistics facts (docs/statistics.md, "How the figures are kept") ----------------------
# Derived rows, never edited by hand: `renda.suggestions.facts.refresh_facts` rewrites a
# suggestion's rows from the tables above in the transaction of every action that changes a
# counted thing; `manage.py rebuild_stats_facts` rewrites them all; `manage.py verify_stats`
# compares the figures they give with the aggregate over the tables above. The group keys are
# copies (plain integers, no foreign keys: nothing to check or cascade on every write).
class SuggestionFact(models.Model):
    """One counted suggestion (kind suggestion, past the draft) with its lead units' measures
    summed (lead assignments not returned). "Overdue" is not here: it depends on today."""

    suggestion = models.OneToOneField(
        Suggestion, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    congress_id = models.IntegerField()
    year = models.PositiveSmallIntegerField()
    session_id = models.IntegerField(null=True)
    topic_id = models.IntegerField(null=True)
    lead_deputy_id = models.IntegerField()
    rejected = models.PositiveSmallIntegerField(default=0)
    registered = models.PositiveSmallIntegerField(default=0)
    lead_assignments = models.PositiveSmallIntegerField(default=0)
    answered_on_time = models.PositiveSmallIntegerField(default=0)
    answered_late = models.PositiveSmallIntegerField(default=0)
    answers = models.PositiveSmallIntegerField(default=0)
    category_a = models.PositiveSmallIntegerField(default=0)
    category_b = models.PositiveSmallIntegerField(default=0)
    category_c = models.PositiveSmallIntegerField(default=0)
    category_d = models.PositiveSmallIntegerField(default=0)
    satisfied = models.PositiveSmallIntegerField(default=0)
    basically_satisfied = models.PositiveSmallIntegerField(default=0)
    dissatisfied = models.PositiveSmallIntegerField(default=0)
    no_feedback = models.PositiveSmallIntegerField(default=0)
    commitments = models.PositiveIntegerField(default=0)
    commitments_met = models.PositiveIntegerField(default=0)
    commitments_met_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["congress_id", "year"], name="sfact_year_idx")]

    def __str__(self) -> str:
        return f"facts of suggestion {self.suggestion_id}"


class AssignmentFact(models.Model):
    """One assignment not returned (SUG-RETURN) of a counted suggestion: lead (主办, with its
    measures) or co-unit (协办, counted only in the unit's `received`). `due` is the current
    answer deadline while the lead unit is still handling (else null): "overdue" compares it
    with today in the query."""

    assignment = models.OneToOneField(
        Assignment, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    suggestion_id = models.IntegerField()
    congress_id = models.IntegerField()
    year = models.PositiveSmallIntegerField()
    session_id = models.IntegerField(null=True)
    topic_id = models.IntegerField(null=True)
    lead_deputy_id = models.IntegerField()
    unit_id = models.IntegerField()
    lead = models.PositiveSmallIntegerField(default=0)
    due = models.DateField(null=True)
    awaiting_first = models.PositiveSmallIntegerField(default=0)
    answered_on_time = models.PositiveSmallIntegerField(default=0)
    answered_late = models.PositiveSmallIntegerField(default=0)
    answers = models.PositiveSmallIntegerField(default=0)
    category_a = models.PositiveSmallIntegerField(default=0)
    category_b = models.PositiveSmallIntegerField(default=0)
    category_c = models.PositiveSmallIntegerField(default=0)
    category_d = models.PositiveSmallIntegerField(default=0)
    satisfied = models.PositiveSmallIntegerField(default=0)
    basically_satisfied = models.PositiveSmallIntegerField(default=0)
    dissatisfied = models.PositiveSmallIntegerField(default=0)
    no_feedback = models.PositiveSmallIntegerField(default=0)
    commitments = models.PositiveIntegerField(default=0)
    commitments_met = models.PositiveIntegerField(default=0)
    commitments_met_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["congress_id", "year"], name="afact_year_idx"),
            models.Index(fields=["congress_id", "unit_id", "year"], name="afact_unit_idx"),
            models.Index(fields=["suggestion_id"], name="afact_suggestion_idx"),
            # "Overdue now": the few lead assignments still handling, by their due date.
            # (Covering: the overdue counts are read from the index alone.)
            models.Index(
                fields=[
                    "congress_id",
                    "due",
                    "year",
                    "session_id",
                    "topic_id",
                    "unit_id",
                    "lead_deputy_id",
                    "awaiting_first",
                ],
                condition=models.Q(due__isnull=False),
                name="afact_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"facts of assignment {self.assignment_id}"


class StatsCounter(models.Model):
    """The fact rows added up per group (kept by facts.refresh_facts with the facts, in the same
    transaction): per congress, year and session (0: between sessions), one row per topic
    (dimension 1), lead deputy (2) or handling unit (3); `group_id` 0 is "no topic". A row whose
    `received` is back to 0 is an empty group (the statistics skip it)."""

    TOPIC, DEPUTY, UNIT = 1, 2, 3

    congress_id = models.IntegerField()
    year = models.PositiveSmallIntegerField()
    dimension = models.PositiveSmallIntegerField()
    session_id = models.IntegerField()
    group_id = models.IntegerField()
    received = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    registered = models.IntegerField(default=0)
    lead_assignments = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)
    answered_late = models.IntegerField(default=0)
    answers = models.IntegerField(default=0)
    category_a = models.IntegerField(default=0)
    category_b = models.IntegerField(default=0)
    category_c = models.IntegerField(default=0)
    category_d = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically_satisfied = models.IntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)
    no_feedback = models.IntegerField(default=0)
    commitments = models.IntegerField(default=0)
    commitments_met = models.IntegerField(default=0)
    commitments_met_on_time = models.IntegerField(default=0)
    # As of the counters' day (StatsCounterDay): lead assignments still handling due before it.
    unanswered_overdue = models.IntegerField(default=0)
    overdue_now = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["congress_id", "year", "dimension", "session_id", "group_id"],
                name="stats_counter_unique_group",
            )
        ]
        indexes = [
            # The lead deputies ranked by `received` from the index alone, in group order (a
            # year has ≈ 10 000 deputy rows at 1 M), then the ranked ones' rows looked up.
            models.Index(
                fields=["congress_id", "dimension", "year", "group_id", "received"],
                name="stats_counter_rank_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.congress_id}/{self.year}/{self.dimension}/{self.session_id}/{self.group_id}"


class StatsCounterDay(models.Model):
    """The day the counters' overdue figures are as of (one row, id 1): moved forward by the
    daily deadline job (facts.roll_counter_day), set to today by a rebuild. The statistics add
    the lead assignments whose due date lies between it and the day asked for."""

    day = models.DateField()

    def __str__(self) -> str:
        return f"counters as of {self.day}"


class SuggestionCount(models.Model):
    """How many suggestions past the draft a congress has per year, state and kind: the exact
    `count` of the office's lists without counting a year's 100 000 rows on every page (issue 3,
    "Benchmark"). Derived rows, kept by `actions.common.copy_state` in the transaction of every
    action that changes a suggestion's state, kind or year; `manage.py rebuild_stats_facts`
    rewrites them; `manage.py verify_stats` compares them with a count of the suggestions."""

    congress_id = models.IntegerField()
    year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["congress_id", "year", "state", "kind"], name="suggestion_count_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.congress_id}/{self.year}/{self.state}/{self.kind}: {self.n}"


class UnitQueueCount(models.Model):
    """How many assignments a handling unit has in each state: the unit queue's counts (all but
    the returned, and the open ones) without counting a busy unit's 54 000 assignments on every
    page (issue 3, "Benchmark"). Derived rows, kept by `actions.common.set_assignment_state` (and
    `_start_assignments` for new ones) in the action's transaction; `manage.py
    rebuild_stats_facts` rewrites them; `manage.py verify_stats` compares them with a count of
    the assignments."""

    unit_id = models.IntegerField()
    state = models.CharField(max_length=10, choices=AssignmentState.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_id", "state"], name="unit_queue_count_unique")
        ]

    def __str__(self) -> str:
        return f"unit {self.unit_id} {self.state}: {self.n}"
