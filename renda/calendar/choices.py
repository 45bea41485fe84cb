from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    """Where a year's official schedule came from."""

    PACKAGE = "package", _("chinese-calendar package")
    ADMIN = "admin", _("entered by an administrator")


class DayKind(models.TextChoices):
    """A day unlike the plain week: a holiday off, or a weekend day made a working day."""

    REST = "rest", _("rest day")
    WORKDAY = "workday", _("swapped working day")


class PeriodKind(models.TextChoices):
    """How a period is counted (PERIOD-START, PERIOD-MONTH, PERIOD-WORKDAYS)."""

    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    WORKING_DAYS = "working_days", _("working days")
