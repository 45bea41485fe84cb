from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles people hold in a congress or unit (DOMAIN.md §1)."""

    DEPUTY = "deputy", _("Deputy")
    UNIT_CLERK = "unit_clerk", _("Handling-unit clerk")
    UNIT_HEAD = "unit_head", _("Handling-unit head")
    DEPUTY_AFFAIRS = "deputy_affairs", _("Deputy-affairs office")
    COMMITTEE = "committee", _("Committee staff")
    GOV_SUPERVISOR = "gov_supervisor", _("Government supervision office")
    STATION_STAFF = "station_staff", _("Liaison-station staff")
    SC_MEMBER = "sc_member", _("Standing-committee member")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


# Roles that act for a handling unit must name it.
UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_HEAD})
