from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Levels of people's congresses (DOMAIN.md §1)."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


# Higher levels first: a parent congress is always of a lower number than its children.
LEVEL_ORDER = {
    Level.NATIONAL: 0,
    Level.PROVINCIAL: 1,
    Level.CITY: 2,
    Level.COUNTY: 3,
    Level.TOWNSHIP: 4,
}


class UnitKind(models.TextChoices):
    """Kinds of handling units (承办单位)."""

    GOVERNMENT = "government", _("Government department")
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    OTHER = "other", _("Other body")


class RuleProfile(models.TextChoices):
    """Local rule profiles (RULES.md): which province's regulations fill in the local values."""

    ZHEJIANG = "zhejiang", _("Zhejiang")
    BEIJING = "beijing", _("Beijing")
    SHANDONG = "shandong", _("Shandong")
    CHONGQING = "chongqing", _("Chongqing")
    HENAN = "henan", _("Henan")
    SHANGHAI = "shanghai", _("Shanghai")
    QINGDAO = "qingdao", _("Qingdao")


class SCPosition(models.TextChoices):
    """Positions in a standing committee (常委会组成人员)."""

    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    MEMBER = "member", _("Member")
