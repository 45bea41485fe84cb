"""Congresses and their structure: terms, sessions, standing committees, handling units."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LEVEL_ORDER, Level, RuleProfile, SCPosition, UnitKind

division_code_validator = RegexValidator(
    r"^[1-8][0-9]{5}([0-9]{3})?$",
    _(
        "An administrative division code has six digits (GB/T 2260), e.g. 330300; "
        "a township's has nine (GB/T 10114), e.g. 330302001."
    ),
)


def division_prefix(level: str, code: str) -> str:
    """The part of a code that every region below this one shares (330300 → 3303)."""
    return {
        Level.NATIONAL: "",
        Level.PROVINCIAL: code[:2],
        Level.CITY: code[:4],
        Level.COUNTY: code[:6],
        Level.TOWNSHIP: code[:9],
    }.get(level, code)


def division_code_problem(level: str, code: str) -> str | None:
    """Why this code cannot belong to a region at this level, or None (GB/T 2260 shapes)."""
    six = len(code) == 6
    if level in (Level.NATIONAL, Level.PROVINCIAL):
        ok = six and code.endswith("0000")
    elif level == Level.CITY:
        ok = six and code.endswith("00") and not code.endswith("0000")
    elif level == Level.COUNTY:
        ok = six and not code.endswith("00")
    elif level == Level.TOWNSHIP:
        ok = len(code) == 9
    else:
        return None
    if ok:
        return None
    return str(
        {
            Level.NATIONAL: _("A national or provincial code ends in 0000, e.g. 330000."),
            Level.PROVINCIAL: _("A national or provincial code ends in 0000, e.g. 330000."),
            Level.CITY: _("A city code ends in 00 but not 0000, e.g. 330300."),
            Level.COUNTY: _("A county code does not end in 00, e.g. 330302."),
            Level.TOWNSHIP: _("A township code has nine digits, e.g. 330302001."),
        }[level]
    )


class Congress(models.Model):
    """A people's congress at one level for one region; every record belongs to one."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    region_name = models.CharField(_("region"), max_length=100)
    division_code = models.CharField(
        _("division code"), max_length=9, unique=True, validators=[division_code_validator]
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
    # Moves whenever a record of this congress changes (renda.home.versions): part of the key
    # its people's home pages are cached under.
    home_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["division_code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The code fits the level, and the parent is a higher level over the same region."""
        errors: dict[str, str] = {}
        code = self.division_code or ""
        if self.level and code and division_code_validator.regex.match(code):
            problem = division_code_problem(self.level, code)
            if problem:
                errors["division_code"] = problem
        parent = self.parent if self.parent_id else None
        if parent is not None and self.level in LEVEL_ORDER:
            if self.pk and parent.pk == self.pk:
                errors["parent"] = str(_("A congress cannot be its own parent."))
            elif LEVEL_ORDER.get(parent.level, 99) >= LEVEL_ORDER[self.level]:
                errors["parent"] = str(_("The parent congress must be of a higher level."))
            elif code and not code.startswith(division_prefix(parent.level, parent.division_code)):
                errors["parent"] = str(
                    _("The division code %(code)s is not inside the parent's region %(parent)s.")
                    % {"code": code, "parent": parent.division_code}
                )
        if errors:
            raise ValidationError(errors)


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
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="term_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return _("%(congress)s, term %(number)s") % {
            "congress": self.congress,
            "number": self.number,
        }

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A term cannot end before it starts.")})


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

    def clean(self) -> None:
        """A session ends on or after its first day and falls within its term."""
        if not (self.start_date and self.end_date):
            return
        if self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A session cannot end before it starts.")})
        term = self.term if self.term_id else None
        if term is None:
            return
        if self.start_date < term.start_date or (term.end_date and self.end_date > term.end_date):
            raise ValidationError(
                {"start_date": _("A session must fall within the dates of its term.")}
            )


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

    def clean(self) -> None:
        if self.term_id and self.congress_id and self.term.congress_id != self.congress_id:
            raise ValidationError({"term": _("The term belongs to another congress.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})


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
