"""Liaison stations (代表联络站/点) and citizens' opinions (群众意见), from receipt to the
citizen's rating (issue 5; DOMAIN.md §3.2).

An opinion belongs to one congress's queue (its station's, its deputy's, or the one it was
passed up to). The citizen follows it with the tracking code alone; personal data (name, phone)
is kept on the opinion and shown only to the station's staff, the deputy it is addressed to and
— for an opinion referred to them — the unit's staff; never on a public page or the tracking API.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User
from renda.calendar.models import Deadline
from renda.deputies.models import Activity, Deputyship
from renda.orgs.models import Congress, HandlingUnit

from .choices import (
    Channel,
    OpinionState,
    Outcome,
    Rating,
    ReceptionState,
    ReferralState,
    StationKind,
)

TEXT_MAX = 5000
NAME_MAX = 50
TRACKING_CODE_BYTES = 15  # 120 random bits: guessing a code is hopeless


def new_tracking_code() -> str:
    """The citizen's tracking code: 24 characters of URL-safe base64 (120 random bits)."""
    return secrets.token_urlsafe(TRACKING_CODE_BYTES)


def new_station_code() -> str:
    """The station code's (联络站码) address part: random, so stations are not walked by number."""
    return secrets.token_urlsafe(9)


def image_path(instance: OpinionImage, filename: str) -> str:
    return f"opinions/{uuid.uuid4().hex}"


class OpinionCategory(models.Model):
    """A node of the configurable category tree (urban construction, transport, education…)."""

    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("opinion category")
        verbose_name_plural = _("opinion categories")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="opinion_category_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent=None), name="opinion_category_unique_root"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """A liaison station or point (代表联络站/点) of a congress, with its resident deputies."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="stations")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=StationKind.choices, default=StationKind.STATION
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("station telephone"), max_length=30, blank=True)  # public
    deputies = models.ManyToManyField(
        Deputyship, blank=True, related_name="stations", verbose_name=_("resident deputies")
    )
    staff = models.ManyToManyField(
        User, blank=True, related_name="stations", verbose_name=_("station staff")
    )
    public_code = models.CharField(max_length=20, unique=True, default=new_station_code)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="station_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ReceptionDay(models.Model):
    """A reception day (接待日) at a station with the deputies on duty; held or cancelled when
    it is over. Its `activity` (kind reception) carries check-in and the deputies' duty records."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="reception_days")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    deputies = models.ManyToManyField(
        Deputyship, blank=True, related_name="reception_days", verbose_name=_("deputies on duty")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReceptionState.choices, default=ReceptionState.PLANNED
    )
    activity = models.OneToOneField(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="reception_day"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="reception_times_ordered"
            )
        ]
        indexes = [models.Index(fields=["station", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.station} {self.starts_at:%Y-%m-%d}"


class Opinion(models.Model):
    """A citizen's opinion, from receipt to the citizen's rating."""

    # Indexes: every one is written by each citizen's submission (the busiest write there is),
    # so none is kept twice — congress, station and deputy lead the composite indexes below —
    # and the links most opinions leave empty are indexed only where set (partial indexes).
    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="opinions", db_index=False
    )
    station = models.ForeignKey(
        Station,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
        db_index=False,
    )
    # Addressed to a deputy (from their deputy code, or chosen on the form).
    deputy = models.ForeignKey(
        Deputyship,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
        db_index=False,
    )
    category = models.ForeignKey(OpinionCategory, on_delete=models.PROTECT, related_name="opinions")
    text = models.TextField(_("opinion"), max_length=TEXT_MAX)
    location = models.CharField(_("where"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Personal data: never public, never in the tracking API.
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    publish_consent = models.BooleanField(_("may be published"), default=False)
    tracking_code = models.CharField(max_length=32, unique=True, default=new_tracking_code)

    state = models.CharField(
        _("state"), max_length=12, choices=OpinionState.choices, default=OpinionState.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    # Triage's explanation or on-the-spot answer, as the citizen reads it (no personal data).
    explanation = models.TextField(_("explanation"), max_length=TEXT_MAX, blank=True)
    follow_up_deputy = models.ForeignKey(
        Deputyship,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        db_index=False,
    )
    # Turned into a deputy's suggestion (the suggestion links back: suggestions' `opinions`).
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
        db_index=False,
    )
    passed_from = models.ForeignKey(
        Congress, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)  # at most once

    recorded_by = models.ForeignKey(  # station staff or a deputy, for visits and calls
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("citizen's opinion")
        verbose_name_plural = _("citizens' opinions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["congress", "state", "created_at"], name="opinion_queue_idx"),
            models.Index(fields=["station", "created_at"], name="opinion_station_idx"),
            models.Index(fields=["deputy", "state"], name="opinion_deputy_idx"),
            *(
                models.Index(
                    fields=[link],
                    condition=models.Q(**{f"{link}__isnull": False}),
                    name=f"opinion_{link}_idx",
                )
                for link in (
                    "follow_up_deputy",
                    "merged_into",
                    "suggestion",
                    "passed_from",
                    "recorded_by",
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.text[:30]}"


class OpinionImage(models.Model):
    """A photo a citizen attached: checked by content and re-encoded (no script, no metadata, no
    EXIF location); served only through permission-checked views."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=200)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.opinion_id}: {self.file.name}"


class Referral(models.Model):
    """An opinion referred to a handling unit, with its deadline (a setting, e.g. 15 working days,
    by the legal calendar) and the unit's answer."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="referrals")
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="opinion_referrals"
    )
    state = models.CharField(
        max_length=12, choices=ReferralState.choices, default=ReferralState.ACTIVE
    )
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copies for the unit's queue and the deadline job (kept in step by the actions).
    due = models.DateField(null=True, blank=True)
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=TEXT_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "due"], name="referral_unit_queue_idx"),
            models.Index(fields=["state", "due"], name="referral_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id} → {self.unit}"


class OpinionEvent(models.Model):
    """One step of an opinion's history as the citizen reads it on the tracking page: what
    happened and the public words for it, never a name or a phone number (the audit trail keeps
    who did it)."""

    opinion = models.ForeignKey(  # indexed by (opinion, at) below
        Opinion, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=30)
    at = models.DateTimeField()
    public_note = models.TextField(max_length=TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("opinion event")
        verbose_name_plural = _("opinion events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["opinion", "at"])]

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.kind}"


# Days to answer kept exactly up to this many; beyond, in the ranges of ANSWER_DAY_RANGES.
ANSWER_DAYS_EXACT = 30
ANSWER_DAY_RANGES = (("d31_60", 31, 60), ("d61_90", 61, 90), ("d91_plus", 91, None))
ANSWER_DAY_COLUMNS = tuple(f"d{n}" for n in range(ANSWER_DAYS_EXACT + 1)) + tuple(
    name for name, _low, _high in ANSWER_DAY_RANGES
)


class StationDayFact(models.Model):
    """The station performance figures (运行绩效评价) of the opinions a station received on one
    day (Beijing time): counts kept by the actions through `stats.refresh_opinion_facts`, or
    rebuilt by `manage.py rebuild_opinion_facts`, so the statistics never scan the opinions.
    The days-to-answer histogram (d0 … d30 exact, then ranges) gives the median."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_in_time = models.PositiveIntegerField(default=0)
    converted = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically_satisfied = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)
    # Answered opinions by whole days from receipt to answer (ANSWER_DAY_COLUMNS).
    d0 = models.PositiveIntegerField(default=0)
    d1 = models.PositiveIntegerField(default=0)
    d2 = models.PositiveIntegerField(default=0)
    d3 = models.PositiveIntegerField(default=0)
    d4 = models.PositiveIntegerField(default=0)
    d5 = models.PositiveIntegerField(default=0)
    d6 = models.PositiveIntegerField(default=0)
    d7 = models.PositiveIntegerField(default=0)
    d8 = models.PositiveIntegerField(default=0)
    d9 = models.PositiveIntegerField(default=0)
    d10 = models.PositiveIntegerField(default=0)
    d11 = models.PositiveIntegerField(default=0)
    d12 = models.PositiveIntegerField(default=0)
    d13 = models.PositiveIntegerField(default=0)
    d14 = models.PositiveIntegerField(default=0)
    d15 = models.PositiveIntegerField(default=0)
    d16 = models.PositiveIntegerField(default=0)
    d17 = models.PositiveIntegerField(default=0)
    d18 = models.PositiveIntegerField(default=0)
    d19 = models.PositiveIntegerField(default=0)
    d20 = models.PositiveIntegerField(default=0)
    d21 = models.PositiveIntegerField(default=0)
    d22 = models.PositiveIntegerField(default=0)
    d23 = models.PositiveIntegerField(default=0)
    d24 = models.PositiveIntegerField(default=0)
    d25 = models.PositiveIntegerField(default=0)
    d26 = models.PositiveIntegerField(default=0)
    d27 = models.PositiveIntegerField(default=0)
    d28 = models.PositiveIntegerField(default=0)
    d29 = models.PositiveIntegerField(default=0)
    d30 = models.PositiveIntegerField(default=0)
    d31_60 = models.PositiveIntegerField(default=0)
    d61_90 = models.PositiveIntegerField(default=0)
    d91_plus = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("station day figures")
        verbose_name_plural = _("station day figures")
        constraints = [
            models.UniqueConstraint(fields=["station", "day"], name="station_day_fact_unique")
        ]
        indexes = [models.Index(fields=["day", "station"], name="station_day_fact_day_idx")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day}"


class StationOpenReferrals(models.Model):
    """Referrals still being handled (no answer yet) of the opinions a station received on one
    day, by due date: "overdue now" in the station performance is the sum of the rows due
    before today, without joining referrals to opinions. Kept with StationDayFact (same refresh,
    same rebuild)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    due = models.DateField()
    open = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("station open referrals")
        verbose_name_plural = _("station open referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "day", "due"], name="station_open_referrals_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "due"], name="station_open_day_idx")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.day} → {self.due}: {self.open}"
