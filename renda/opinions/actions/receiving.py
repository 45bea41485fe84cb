"""Receiving citizens' opinions and the citizen's rating (issue 5; DOMAIN.md §3.2).

`submit_opinion` takes an opinion from the public site (online, a station's code, a deputy's
code) or from station staff (a visit or a call): one transaction writes the opinion, its first
tracking event, its photos and the audit event, and COMMITS before the caller answers with the
tracking code — a code the citizen was given always names a stored opinion.

`rate_opinion` is the citizen's rating of an answer (satisfied / basically satisfied /
dissatisfied), within the profile's `opinion_rating_window` from the answer; a dissatisfied
rating reopens the opinion ONCE for a second look by the station.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.calendar.periods import compute
from renda.deputies.choices import DeputyshipStatus
from renda.deputies.models import Deputyship
from renda.errors import DomainError, InvalidInput, NotFound, require
from renda.notifications.actions import notify
from renda.orgs.models import Congress
from renda.plainsql import execute, from_row, insert_row, select_sql
from renda.rules.profiles import profile_for
from renda.search.index import index_new

from ..choices import Channel, OpinionState, Rating
from ..images import CleanImage, max_count
from ..models import (
    NAME_MAX,
    TEXT_MAX,
    Opinion,
    OpinionCategory,
    OpinionEvent,
    OpinionImage,
    Station,
)
from ..permissions_receiving import can_record_at
from ..stats import count_received, refresh_opinion_facts
from .handling import tell_reopened

LOCATION_MAX = Opinion._meta.get_field("location").max_length or 200
PHONE_MAX = 20
PUBLIC_CHANNELS = (Channel.ONLINE, Channel.STATION_CODE, Channel.DEPUTY_CODE)
STAFF_CHANNELS = (Channel.VISIT, Channel.CALL, Channel.RECEPTION)
MAX_PK = 2**63 - 1


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", code="invalid")


def clean_text(field: str, value: Any, *, max_length: int, required: bool = False) -> str:
    """Text as typed, trimmed at the ends; refuses NUL, non-text and what is too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(field, _("must be text."))
    if "\x00" in value:
        raise _invalid(field, _("must not contain NUL characters."))
    value = value.strip()
    if required and not value:
        raise _invalid(field, _("is required."))
    if len(value) > max_length:
        raise _invalid(
            field,
            _("at most %(max)s characters (got %(n)s).") % {"max": max_length, "n": len(value)},
        )
    return value


def clean_phone(value: Any) -> str:
    """A phone a citizen leaves: digits with spaces, dashes or a leading + (a landline is fine)."""
    phone = clean_text("phone", value, max_length=PHONE_MAX)
    digits = phone.replace(" ", "").replace("-", "").removeprefix("+")
    if phone and not (digits.isdigit() and 5 <= len(digits) <= PHONE_MAX):
        raise _invalid("phone", _("a phone number has only digits (5 to 20)."))
    return phone


def phone_key(phone: str) -> str:
    """The phone as the per-phone limit counts it: digits only, no country prefix."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits.removeprefix("86") if len(digits) > 11 else digits


def _as_pk(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        pk = int(value)
        return pk if 0 < pk <= MAX_PK else None
    return None


@cache
def _by_id_sql(model: type[Any], columns: tuple[str, ...]) -> str:
    """`SELECT columns FROM model's table WHERE id = %s AND active`, built once: the public
    submission's look-ups in plain SQL (the ORM's query building cost more than the query)."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    return f"SELECT {cols} FROM {quote(model._meta.db_table)} WHERE id = %s AND active"  # noqa: S608 - model names


def _active_row(model: type[Any], columns: tuple[str, ...], pk: int) -> Any:
    return execute(_by_id_sql(model, columns), [pk], fetch="one")


def resolve_station(value: Any) -> Station | None:
    """A station by its public code (what its QR code carries) or by its id; None for none. By
    id (a number): only its id and congress are read (what a submission needs)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _invalid("station", _("give the station's code or id."))
    pk = _as_pk(value)
    station: Station | None = None
    if isinstance(value, int):  # a number is an id (codes are random text: token_urlsafe)
        row = _active_row(Station, ("id", "congress_id"), pk) if pk is not None else None
        station = Station.from_db(connection.alias, ["id", "congress_id"], row) if row else None
    else:
        q = Q(public_code=value[:20])
        if pk is not None:
            q |= Q(pk=pk)
        station = Station.objects.filter(q, active=True).first()
    if station is None:
        raise _invalid("station", _("no open liaison station has this code."))
    return station


def resolve_deputy(value: Any) -> Deputyship | None:
    """A deputy by their deputy code (代表码) or by the deputyship's id; None for none."""
    if value in (None, ""):
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _invalid("deputy", _("give the deputy's code or id."))
    pk = _as_pk(value)
    q = Q(public_code=str(value)[:20])
    if pk is not None:
        q |= Q(pk=pk)
    deputy = Deputyship.objects.filter(q).select_related("congress", "person").first()
    if deputy is None:
        raise _invalid("deputy", _("no deputy has this code."))
    return deputy


def resolve_category_id(value: Any) -> int:
    """The id of an active category of the tree (one indexed read), or 422 naming the field."""
    pk = _as_pk(value)
    row = _active_row(OpinionCategory, ("id",), pk) if pk else None
    if row is None:
        raise _invalid("category", _("choose one of the categories."))
    return int(row[0])


def resolve_congress(value: Any) -> Congress | None:
    if value in (None, ""):
        return None
    pk = _as_pk(value)
    congress = Congress.objects.filter(pk=pk).first() if pk else None
    if congress is None:
        raise _invalid("congress", _("no such congress."))
    return congress


def default_congress() -> Congress:
    """The congress an opinion with no station and no deputy goes to: the deployment's highest
    (the first without a parent)."""
    congress = Congress.objects.filter(parent=None).order_by("id").first()
    if congress is None:
        raise DomainError(_("No congress is set up yet."), code="no_congress")
    return congress


def default_category() -> OpinionCategory:
    """The category of an opinion whose citizen chose none (a deputy's profile): 其他 (other),
    else the last root of the tree."""
    roots = OpinionCategory.objects.filter(parent=None, active=True)
    category = roots.filter(name="其他").first() or roots.order_by("-position", "-id").first()
    if category is None:
        raise DomainError(_("No opinion category is set up."), code="no_category")
    return category


def _add_event(opinion: Opinion, kind: str, note: str = "") -> OpinionEvent:
    return OpinionEvent.objects.create(
        opinion=opinion, kind=kind, at=timezone.now(), public_note=note
    )


@transaction.atomic
def submit_opinion(
    *,
    category: Any,
    text: Any,
    station: Any = None,
    deputy: Any = None,
    congress: Any = None,
    location: Any = "",
    name: Any = "",
    phone: Any = "",
    anonymous: bool = False,
    publish_consent: bool = False,
    channel: str = Channel.ONLINE,
    images: Sequence[CleanImage] = (),
    by: Any = None,
) -> Opinion:
    """A citizen's opinion is received (no account needed for the public channels). Its congress
    is its station's, else its deputy's, else the one named, else the default one. An anonymous
    citizen leaves no name and no phone (whatever was typed is dropped). Station staff (`by`)
    record visits and calls at a station they work for. Audit: opinion.received (no personal
    data in it)."""
    if channel not in Channel.values:
        raise _invalid("channel", _("unknown channel."))
    station_obj = station if isinstance(station, Station) else resolve_station(station)
    deputy_obj = deputy if isinstance(deputy, Deputyship) else resolve_deputy(deputy)
    congress_obj = congress if isinstance(congress, Congress) else resolve_congress(congress)
    if channel in STAFF_CHANNELS:
        require(
            station_obj is not None and can_record_at(by, station_obj),
            _("Only the station's staff or the office record visits and calls."),
        )
    recorded_by = by if channel in STAFF_CHANNELS else None
    if deputy_obj is not None and deputy_obj.status != DeputyshipStatus.ACTIVE:
        raise _invalid(
            "deputy",
            _("this deputy does not take messages now (%(status)s).")
            % {"status": deputy_obj.get_status_display()},
        )
    congress_ids = {
        pk
        for pk in (
            station_obj.congress_id if station_obj else None,
            deputy_obj.congress_id if deputy_obj else None,
            congress_obj.pk if congress_obj else None,
        )
        if pk is not None
    }
    if len(congress_ids) > 1:
        raise _invalid("congress", _("station, deputy and congress differ."))
    target_id = next(iter(congress_ids)) if congress_ids else default_congress().pk
    if len(images) > max_count():
        raise _invalid("images", _("at most %(n)d photos.") % {"n": max_count()})
    anonymous = bool(anonymous)
    # One plain INSERT each for the opinion and its first history step (renda.plainsql: the
    # same values save() would store, without building the statement on every submission).
    opinion = insert_row(
        Opinion(
            congress_id=target_id,
            station=station_obj,
            deputy=deputy_obj,
            category_id=resolve_category_id(category),
            text=clean_text("text", text, max_length=TEXT_MAX, required=True),
            location=clean_text("location", location, max_length=LOCATION_MAX),
            channel=channel,
            name="" if anonymous else clean_text("name", name, max_length=NAME_MAX),
            phone="" if anonymous else clean_phone(phone),
            anonymous=anonymous,
            publish_consent=bool(publish_consent),
            recorded_by=recorded_by,
        )
    )
    for image in images:
        row = OpinionImage(
            opinion=opinion,
            content_type=image.content_type,
            size=len(image.data),
            width=image.width,
            height=image.height,
        )
        row.file.save(f"photo.{image.extension}", ContentFile(image.data), save=False)
        row.save()
    insert_row(OpinionEvent(opinion=opinion, kind="received", at=opinion.created_at))
    index_new(opinion)  # issue 7: searchable in the same transaction (one plain INSERT)
    count_received(opinion)  # the station's figures: one upsert (renda.opinions.stats)
    record_event(
        opinion,
        "opinion.received",
        by=recorded_by,
        data={
            "channel": channel,
            "congress": target_id,
            "station": station_obj.pk if station_obj else None,
            "deputy": deputy_obj.pk if deputy_obj else None,
            "category": opinion.category_id,
            "chars": len(opinion.text),
            "images": len(images),
            "anonymous": anonymous,
        },
        lane=True,  # the public lanes: submissions append side by side (renda.audit.actions)
    )
    if deputy_obj is not None and deputy_obj.person.user_id:
        notify(
            [deputy_obj.person.user],
            title=_("A citizen left you an opinion"),
            body=_("Read it in your citizens' opinions."),
            url=reverse("deputies:messages"),
        )
    return opinion


@cache
def _tracking_sql() -> tuple[str, tuple[type[Any], ...], list[list[Any]]]:
    """The tracking look-up: the opinion with its category (and its parent), station and
    congress — what tracking_view reads — in one statement built once (renda.plainsql)."""
    quote = connection.ops.quote_name
    models = (Opinion, OpinionCategory, OpinionCategory, Station, Congress)
    select, converters = select_sql(*zip(models, ("o", "c", "p", "s", "g"), strict=True))
    cat = quote(OpinionCategory._meta.db_table)
    sql = (
        f"SELECT {select} FROM {quote(Opinion._meta.db_table)} o"  # noqa: S608 - model names
        f" JOIN {cat} c ON c.id = o.category_id LEFT JOIN {cat} p ON p.id = c.parent_id"
        f" LEFT JOIN {quote(Station._meta.db_table)} s ON s.id = o.station_id"
        f" JOIN {quote(Congress._meta.db_table)} g ON g.id = o.congress_id"
        " WHERE o.tracking_code = %s"
    )
    return sql, models, converters


def get_by_tracking_code(code: Any) -> Opinion:
    """The opinion behind a tracking code, or NotFound (the same for a malformed code); with its
    category (and parent), station and congress loaded, as select_related would load them: one
    indexed read of the unique code, in plain SQL (the public look-up's hot path)."""
    if not isinstance(code, str) or not (10 <= len(code) <= 32):
        raise NotFound(_("No opinion has this tracking code."))
    sql, models, converters = _tracking_sql()
    row = execute(sql, [code], fetch="one")
    if row is None:
        raise NotFound(_("No opinion has this tracking code."))
    objects, start = [], 0
    for model, conv in zip(models, converters, strict=True):
        objects.append(from_row(model, list(row[start : start + len(conv)]), conv))
        start += len(conv)
    opinion, category, parent, station, congress = objects
    Opinion._meta.get_field("category").set_cached_value(opinion, category)
    if category.parent_id is not None:
        OpinionCategory._meta.get_field("parent").set_cached_value(category, parent)
    Opinion._meta.get_field("station").set_cached_value(opinion, station)
    Opinion._meta.get_field("congress").set_cached_value(opinion, congress)
    return opinion


def rating_due(opinion: Opinion) -> Any:
    """The last day the citizen may rate the current answer (profile: opinion_rating_window,
    counted from the day of the answer by the legal calendar), or None with no answer."""
    if opinion.answered_at is None:
        return None
    window = profile_for(opinion.congress).opinion_rating_window
    start = timezone.localdate(opinion.answered_at)
    return compute(window.kind, start, window.amount).due


def rating_window(opinion: Opinion) -> tuple[bool, Any]:
    """(whether the citizen may rate now, the last day to rate) — the day only when open; the
    due day is computed once (the legal calendar's query)."""
    if opinion.state != OpinionState.ANSWERED or opinion.answered_at is None:
        return False, None
    if opinion.rated_at is not None and opinion.rated_at >= opinion.answered_at:
        return False, None
    due = rating_due(opinion)
    if due is not None and timezone.localdate() <= due:
        return True, due
    return False, None


def rating_open(opinion: Opinion) -> bool:
    """Whether the citizen may rate now: answered, not yet rated since this answer, in time."""
    return rating_window(opinion)[0]


@transaction.atomic
def rate_opinion(opinion: Opinion, *, rating: Any) -> Opinion:
    """The citizen rates the answer. Allowed only when answered and within the rule profile's
    opinion_rating_window; once per answer (again: 409). A dissatisfied rating reopens the
    opinion ONCE (state reopened, reopened_at) for a second look by the station; after the
    second answer a dissatisfied rating is only recorded. Audit: opinion.rated."""
    if rating not in Rating.values:
        raise _invalid("rating", _("one of satisfied, basically_satisfied, dissatisfied."))
    opinion = Opinion.objects.select_for_update().select_related("congress").get(pk=opinion.pk)
    if opinion.state != OpinionState.ANSWERED or opinion.answered_at is None:
        raise DomainError(_("Only an answered opinion can be rated."), code="not_answered")
    if opinion.rated_at is not None and opinion.rated_at >= opinion.answered_at:
        raise DomainError(_("This answer has already been rated."), code="already_rated")
    due = rating_due(opinion)
    if due is None or timezone.localdate() > due:
        raise DomainError(
            _("The time to rate this answer ended on %(due)s.") % {"due": due},
            code="rating_closed",
        )
    now = timezone.now()
    opinion.rating = rating
    opinion.rated_at = now
    fields = ["rating", "rated_at", "updated_at"]
    reopened = rating == Rating.DISSATISFIED and opinion.reopened_at is None
    if reopened:
        opinion.state = OpinionState.REOPENED
        opinion.reopened_at = now
        fields += ["state", "reopened_at"]
    opinion.save(update_fields=fields)
    _add_event(opinion, "rated", Rating(rating).label)
    refresh_opinion_facts([opinion.pk])
    if reopened:
        _add_event(opinion, "reopened")
    record_event(
        opinion,
        "opinion.rated",
        by=None,
        data={"rating": rating, "reopened": reopened, "state": opinion.state},
    )
    if reopened:
        tell_reopened(opinion)  # the station's and the office's queues (OP-REOPEN)
    return opinion
