"""Deputies: the person, their deputyships, groups, duty records, activities, scores, the
public profile's inbox, standing-committee members' fixed contacts and the annual work plan.

A person is one `Person` (with an account, `User`) however many congresses they sit in; each
seat is a `Deputyship` (person × congress × term) — "the deputy" of every list, page and API.
Private data (ID-card number, birth, address; the phone is `User.phone`) lives on `Person` and is
shown only to those who need it (`permissions.py`); nothing on a public page reads it.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User
from renda.orgs.models import Congress, Session, StandingCommitteeMembership, Term

from .choices import (
    ActivityState,
    AttendanceOutcome,
    DeputyshipStatus,
    DutyKind,
    DutySource,
    EndGround,
    Gender,
    GroupKind,
    LeaveState,
    Party,
    Sector,
    SuspendGround,
)

NAME_MAX = 50
TEXT_MAX = 5000

# DEP-PUBLIC: what a deputy's public profile may show, once the deputy and the office agreed.
# Never: the ID-card number, birth date, phone, address (personal data).
PUBLISHABLE_FIELDS = (
    "photo",
    "gender",
    "ethnicity",
    "party",
    "workplace",
    "electoral_unit",
    "delegation",
    "groups",
    "sector",
    "expertise",
)
DEFAULT_PUBLIC_FIELDS = [
    "gender",
    "ethnicity",
    "party",
    "workplace",
    "electoral_unit",
    "delegation",
]


def new_public_code() -> str:
    """The deputy code's (代表码) address part: random, so profiles cannot be walked by number."""
    return secrets.token_urlsafe(9)


def new_checkin_code() -> str:
    """An activity code (代表活动码): long and random enough that guessing one is hopeless."""
    return secrets.token_urlsafe(18)


def photo_path(instance: Person, filename: str) -> str:
    return f"deputies/photos/{uuid.uuid4().hex}"


class ExpertiseTag(models.Model):
    """A field of expertise deputies are tagged with (教育, 医疗卫生, 法律 …), for finding them."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("expertise tag")
        verbose_name_plural = _("expertise tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A deputy as a person, one record for every seat they hold; the private data is here."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="person")
    name = models.CharField(_("name"), max_length=NAME_MAX)  # 姓名 (also User.full_name)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)  # 民族
    # Personal data: the office and the person only.
    birth_month = models.DateField(_("born"), null=True, blank=True)  # 出生年月 (day 1)
    id_number = models.CharField(  # 身份证号码 (GB 11643), upper-case X
        _("ID-card number"), max_length=18, null=True, blank=True, unique=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    party = models.CharField(
        _("political affiliation"), max_length=20, choices=Party.choices, blank=True
    )
    workplace = models.CharField(_("workplace and post"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    expertise = models.ManyToManyField(
        ExpertiseTag, blank=True, related_name="people", verbose_name=_("expertise")
    )
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """A delegation (代表团) of a congress's term: deputies grouped by electoral unit."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="delegations")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="delegations")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["term", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Deputyship(models.Model):
    """A person's seat in one congress for one term: "the deputy" everywhere in the platform."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="deputyships")
    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="deputyships")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="deputyships")
    electoral_unit = models.CharField(
        _("electoral unit or constituency"), max_length=100, blank=True
    )
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputyships",
        verbose_name=_("delegation"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeputyshipStatus.choices,
        default=DeputyshipStatus.ACTIVE,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    # DEP-TERMINATE: why and when it ended (set only by the office's action).
    end_ground = models.CharField(_("ground"), max_length=30, choices=EndGround.choices, blank=True)
    # DEP-SUSPEND: why duties are suspended.
    suspend_ground = models.CharField(
        _("ground for suspension"), max_length=20, choices=SuspendGround.choices, blank=True
    )
    # DEP-PUBLIC: the fields (of PUBLISHABLE_FIELDS) the deputy and the office agreed to publish.
    public_fields = models.JSONField(_("published fields"), default=list, blank=True)
    public_code = models.CharField(max_length=20, unique=True, default=new_public_code)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deputyship")
        verbose_name_plural = _("deputyships")
        ordering = ["congress", "term", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "term"], name="deputyship_unique_term")
        ]
        indexes = [models.Index(fields=["congress", "term", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.congress}"

    @property
    def is_active(self) -> bool:
        return self.status == DeputyshipStatus.ACTIVE


class DeputyGroup(models.Model):
    """A deputy group or professional group (代表小组/专业小组); may mix deputies of several
    levels (e.g. city and county deputies living in one township)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="deputy_groups")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=GroupKind.choices, default=GroupKind.DEPUTY_GROUP
    )
    members = models.ManyToManyField(
        Deputyship, through="GroupMembership", related_name="groups", blank=True
    )

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        ordering = ["congress", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="deputy_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A deputyship's membership of a group; a group leader (组长) is marked."""

    group = models.ForeignKey(DeputyGroup, on_delete=models.CASCADE, related_name="memberships")
    deputyship = models.ForeignKey(
        Deputyship, on_delete=models.CASCADE, related_name="group_memberships"
    )
    is_leader = models.BooleanField(_("group leader"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "deputyship"], name="group_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.deputyship_id}"


class Activity(models.Model):
    """An organised duty deputies attend (a session, an inspection, a training…), checked in with
    its activity code (代表活动码) within the window and confirmed by the organiser."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=DutyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    checkin_opens_at = models.DateTimeField(_("check-in opens"))
    checkin_closes_at = models.DateTimeField(_("check-in closes"))
    # A plenary session's attendance counts for DEP-TERMINATE (two sessions absent without leave).
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    organiser = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=12, choices=ActivityState.choices, default=ActivityState.PLANNED
    )
    code = models.CharField(max_length=32, unique=True, default=new_checkin_code)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at"))
                & Q(checkin_closes_at__gte=models.F("checkin_opens_at")),
                name="activity_times_ordered",
            )
        ]
        indexes = [models.Index(fields=["congress", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A deputy invited to (or checked in at) an activity, and what the organiser confirmed."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    deputyship = models.ForeignKey(Deputyship, on_delete=models.PROTECT, related_name="attendances")
    invited = models.BooleanField(default=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=AttendanceOutcome.choices, default=AttendanceOutcome.PENDING
    )
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputyship"], name="attendance_unique")
        ]
        indexes = [
            models.Index(fields=["deputyship", "outcome"]),
            # DEP-TERMINATE: the flag reads only unexcused absences, a small part of the rows.
            models.Index(
                fields=["deputyship", "activity"],
                condition=Q(outcome="absent"),
                name="attendance_absent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.deputyship_id} {self.outcome}"


class LeaveRequest(models.Model):
    """A deputy's request for leave from an activity (请假), asked and decided before it starts."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="leave_requests")
    deputyship = models.ForeignKey(
        Deputyship, on_delete=models.PROTECT, related_name="leave_requests"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    state = models.CharField(
        _("state"), max_length=12, choices=LeaveState.choices, default=LeaveState.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-requested_at"]
        constraints = [
            # One live request per deputy and activity (a refused one may be asked again).
            models.UniqueConstraint(
                fields=["activity", "deputyship"],
                condition=Q(state__in=["requested", "approved"]),
                name="leave_request_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.deputyship_id} {self.state}"


class DutyRecord(models.Model):
    """One duty a deputy performed (履职登记), or a leave/absence a rule table deducts for.

    `source_ref` names the platform event or attendance that made it ("suggestion:12",
    "attendance:7"), so a replayed event never records the same duty twice.
    """

    deputyship = models.ForeignKey(
        Deputyship, on_delete=models.PROTECT, related_name="duty_records"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DutyKind.choices)
    occurred_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))  # occurred_on.year, for the year's index
    title = models.CharField(_("title"), max_length=200)
    # The office's note on a record it entered by hand (what, where, with whom).
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=DutySource.choices)
    source_ref = models.CharField(max_length=40, blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="duty_records"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputyship", "source_ref"],
                condition=~Q(source_ref=""),
                name="duty_record_unique_source",
            )
        ]
        indexes = [
            models.Index(fields=["deputyship", "year", "kind"], name="duty_deputy_year_idx"),
            models.Index(fields=["deputyship", "kind", "occurred_on"], name="duty_deputy_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.title}"


class DutyTally(models.Model):
    """How many duty records a deputyship has of one kind in one year, kept by the actions that
    write or remove duty records (`tallies.py`), in the same transaction. The coverage dashboard,
    the profile's counts and the score recompute read these few rows instead of the records
    (a deputy has ≈ 12 kinds × years of them, against hundreds of records). A row whose count
    falls to zero is deleted, so "has a duty of this kind" is "a row exists"."""

    deputyship = models.ForeignKey(Deputyship, on_delete=models.CASCADE, related_name="+")
    # The deputyship's congress (which never changes), so a congress's lists read one
    # contiguous range of duty_tally_congress_idx instead of probing deputy by deputy.
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DutyKind.choices)
    year = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deputyship", "kind", "year"], name="duty_tally_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["congress", "kind", "year", "deputyship"], name="duty_tally_congress_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputyship_id} {self.kind} {self.year}: {self.n}"


class ScoreRuleTable(models.Model):
    """DEP-SCORE: a congress's performance-points table (practice, no statute: a setting).

    `rules` = {"points": {kind: points per record}, "caps": {kind: most points a year},
    "bands": [{"min": 80, "grade": "good"}, …] highest first}. A changed table is a new row;
    the old one stays, so a year's scores always name the table they were computed with.
    """

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="score_rule_tables"
    )
    name = models.CharField(_("name"), max_length=100)
    rules = models.JSONField(_("rules"))
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The table in force for the congress; exactly one current per congress.
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("score rule table")
        verbose_name_plural = _("score rule tables")
        ordering = ["congress", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress"], condition=Q(current=True), name="score_table_one_current"
            )
        ]

    def __str__(self) -> str:
        return self.name


class YearScoring(models.Model):
    """One computation of a congress-year's scores: which table, when, by whom (the history)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    rule_table = models.ForeignKey(
        ScoreRuleTable, on_delete=models.PROTECT, related_name="scorings"
    )
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deputies = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("score computation")
        verbose_name_plural = _("score computations")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["congress", "year", "computed_at"])]

    def __str__(self) -> str:
        return f"{self.congress_id} {self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"


class DeputyScore(models.Model):
    """A deputyship's performance points for a year, as last computed (DEP-SCORE)."""

    deputyship = models.ForeignKey(Deputyship, on_delete=models.CASCADE, related_name="scores")
    year = models.PositiveSmallIntegerField(_("year"))
    rule_table = models.ForeignKey(ScoreRuleTable, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    by_kind = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("deputy score")
        verbose_name_plural = _("deputy scores")
        constraints = [
            models.UniqueConstraint(fields=["deputyship", "year"], name="deputy_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deputyship_id} {self.year}: {self.total}"


class CitizenMessage(models.Model):
    """An opinion a citizen left on a deputy's public profile (代表码); kept in the deputy's
    inbox until the opinions feature takes these over."""

    deputyship = models.ForeignKey(
        Deputyship, on_delete=models.CASCADE, related_name="citizen_messages"
    )
    text = models.TextField(_("opinion"), max_length=TEXT_MAX)
    # Personal data, optional: the deputy and the office only.
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("citizen's message")
        verbose_name_plural = _("citizens' messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["deputyship", "read_at"])]

    def __str__(self) -> str:
        return f"{self.deputyship_id} {self.created_at:%Y-%m-%d}"


class ContactLink(models.Model):
    """A standing-committee member's fixed contact with a grassroots deputy (常委会组成人员联系
    基层代表); the office's coverage board lists members below the congress's target."""

    member = models.ForeignKey(
        StandingCommitteeMembership, on_delete=models.CASCADE, related_name="contact_links"
    )
    deputyship = models.ForeignKey(Deputyship, on_delete=models.CASCADE, related_name="sc_contacts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fixed contact")
        verbose_name_plural = _("fixed contacts")
        constraints = [
            models.UniqueConstraint(fields=["member", "deputyship"], name="contact_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.deputyship_id}"


class WorkPlan(models.Model):
    """DEP-PLAN: a congress's annual deputy-work plan, adopted by the director's council, told to
    deputies and published. A published plan is never edited: a correction is a new version of
    the same year (version 2, 3 …) with a note saying what changed; the earlier one stays
    published, marked as superseded."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="work_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    correction_note = models.CharField(_("what this version corrects"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=50000)
    adopted_on = models.DateField(_("adopted on"))
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deputy-work plan")
        verbose_name_plural = _("deputy-work plans")
        ordering = ["congress", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "version"], name="work_plan_unique_version"
            )
        ]

    def __str__(self) -> str:
        return self.title
