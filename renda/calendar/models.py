"""The legal calendar: each year's official rest days and swapped working days, and deadlines."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CalendarSource, DayKind, PeriodKind


class CalendarYear(models.Model):
    """A year whose official schedule is known; a year without a row is unknown
    (CALENDAR-UNKNOWN-YEAR: weekends only, deadlines provisional)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=CalendarSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    # A new random value on every change: each process's calendar cache compares it, so an edit
    # in one process is seen by all others on their next computation (no stale rest days).
    revision = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("calendar:year", args=[self.year])


class SpecialDay(models.Model):
    """A day that differs from the plain week (PERIOD-REST-DAY, PERIOD-WORKDAYS): a statutory
    holiday off, or a Saturday/Sunday made a working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name} ({self.get_kind_display()})"


class Deadline(models.Model):
    """A deadline another record depends on, computed under the period rules; provisional while
    it reaches into a year whose schedule is unknown, recomputed when that year is entered."""

    owner_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    purpose = models.CharField(_("purpose"), max_length=100)
    start = models.DateField(_("start (event day)"))
    kind = models.CharField(_("counted in"), max_length=15, choices=PeriodKind.choices)
    amount = models.PositiveIntegerField(_("length"))
    due = models.DateField(_("due"))
    provisional = models.BooleanField(_("provisional"), default=False)
    rules = models.JSONField(_("rules applied"), default=list, blank=True)
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="watched_deadlines",
        verbose_name=_("told when it moves"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_type", "owner_id", "purpose"],
                condition=Q(owner_id__isnull=False),
                name="deadline_one_per_owner_purpose",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="deadline_owner_idx"),
            # The recomputation and the admin's gap list only look at provisional rows.
            models.Index(
                fields=["due", "start"], condition=Q(provisional=True), name="deadline_prov_idx"
            ),
            models.Index(fields=["due", "start"], name="deadline_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} · {self.due:%Y-%m-%d}"
