"""Words of the liaison stations and citizens' opinions (DOMAIN.md §3.2; issue 5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StationKind(models.TextChoices):
    STATION = "station", _("Liaison station")  # 代表联络站
    POINT = "point", _("Liaison point")  # 代表联络点
    HOME = "home", _("Deputies' home")  # 代表之家


class Channel(models.TextChoices):
    """How an opinion reached the platform."""

    ONLINE = "online", _("Online")  # the public site
    STATION_CODE = "station_code", _("Station code")  # 联络站码 scanned
    DEPUTY_CODE = "deputy_code", _("Deputy code")  # 代表码: the deputy's public profile
    VISIT = "visit", _("Visit to a station")  # recorded by staff
    CALL = "call", _("Telephone call")  # recorded by staff
    RECEPTION = "reception", _("Reception day")  # taken by the deputy on duty


class OpinionState(models.TextChoices):
    """Where an opinion stands. Only actions write it."""

    RECEIVED = "received", pgettext_lazy("opinion state", "Received")  # waiting for triage
    WITH_DEPUTY = "with_deputy", _("Followed up by a deputy")
    REFERRED = "referred", _("Referred to a handling unit")
    ANSWERED = "answered", _("Answered")  # the citizen may rate it
    REOPENED = "reopened", _("Reopened for a second look")  # after a dissatisfied rating
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged with an earlier opinion")
    CONVERTED = "converted", _("Turned into a deputy's suggestion")
    PASSED_UP = "passed_up", _("Passed to a higher congress")


# States in which the opinion waits for someone on the platform to act.
OPEN_STATES = (
    OpinionState.RECEIVED,
    OpinionState.WITH_DEPUTY,
    OpinionState.REFERRED,
    OpinionState.REOPENED,
)


class Outcome(models.TextChoices):
    """The triage outcomes (fixed contract: POST /api/v1/opinions/{id}/triage)."""

    ANSWERED = "answered", _("Answered on the spot")
    DEPUTY = "deputy", _("The deputy follows it up")
    SUGGESTION = "suggestion", _("Turned into a deputy's suggestion")
    REFER = "refer", _("Referred to a handling unit")
    MERGE = "merge", _("Merged with an earlier opinion")
    CLOSE = "close", _("Closed with an explanation")
    PASS_UP = "pass_up", _("Passed to a higher congress")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class ReferralState(models.TextChoices):
    ACTIVE = "active", _("Handling")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReceptionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
