"""Congresses and their structure: terms, sessions, standing committees, handling units."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Level, RuleProfile, SCPosition, UnitKind

division_code_validator = RegexValidator(
    r"^[1-8][0-9]{5}$",
    _("An administrative division code has six digits (GB/T 2260), e.g. 330300."),
)


class Congress(models.Model):
    """A people's congress at one level for one region; every record belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    region_name = models.CharField(_("region"), max_length=100)
    division_code = models.CharField(
        _("division code"), max_length=6, unique=True, validators=[division_code_validator]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent congress"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    rule_profile = models.CharField(
        _("rule profile"), max_length=20, choices=RuleProfile.choices, default=RuleProfile.ZHEJIANG
    )

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["division_code"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A term (届) of a congress, usually five years."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number"),
        ]

    def __str__(self) -> str:
        return _("%(congress)s, term %(number)s") % {
            "congress": self.congress,
            "number": self.number,
        }


class Session(models.Model):
    """A plenary session (第N次会议) of a congress within a term."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["term", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="session_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return _("%(term)s, session %(number)s") % {"term": self.term, "number": self.number}


class StandingCommitteeMembership(models.Model):
    """A member of a congress's standing committee (常委会组成人员) for a term."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="sc_members")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sc_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sc_memberships"
    )
    position = models.CharField(
        _("position"), max_length=20, choices=SCPosition.choices, default=SCPosition.MEMBER
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("standing committee membership")
        verbose_name_plural = _("standing committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["term", "user"], name="sc_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_position_display()}"


class HandlingUnit(models.Model):
    """A handling unit (承办单位): a government department, court, procuratorate or other body."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.GOVERNMENT
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
