"""Reads of the receiving part: what the tracking page and API show (no personal data: state,
the public history notes, the answer), and the public face of the stations (list, one station's
page with its upcoming reception days and recent answered opinions the citizen agreed to
publish, with phone and ID numbers typed into the text masked)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from renda.deputies.choices import DeputyshipStatus
from renda.deputies.models import Deputyship
from renda.plainsql import from_row, select_sql

from .actions.receiving import rating_window
from .choices import OpinionState, ReceptionState, ReferralState
from .masking import mask_personal
from .models import Opinion, OpinionCategory, OpinionEvent, ReceptionDay, Referral, Station

# What each tracking event is called on the tracking page (kinds written by the actions of
# every part; an unknown kind shows as "Update").
EVENT_WORDS = {
    "received": pgettext_lazy("opinion history", "Received"),
    "triaged": pgettext_lazy("opinion history", "Looked at by the station"),
    "answered": pgettext_lazy("opinion history", "Answered"),
    "with_deputy": pgettext_lazy("opinion history", "Followed up by a deputy"),
    "deputy": pgettext_lazy("opinion history", "Followed up by a deputy"),
    "referred": pgettext_lazy("opinion history", "Referred to a handling unit"),
    "refer": pgettext_lazy("opinion history", "Referred to a handling unit"),
    "suggestion": pgettext_lazy("opinion history", "Turned into a deputy's suggestion"),
    "converted": pgettext_lazy("opinion history", "Turned into a deputy's suggestion"),
    "merged": pgettext_lazy("opinion history", "Merged with an earlier opinion"),
    "merge": pgettext_lazy("opinion history", "Merged with an earlier opinion"),
    "closed": pgettext_lazy("opinion history", "Closed"),
    "close": pgettext_lazy("opinion history", "Closed"),
    "passed_up": pgettext_lazy("opinion history", "Passed to a higher congress"),
    "pass_up": pgettext_lazy("opinion history", "Passed to a higher congress"),
    "rated": pgettext_lazy("opinion history", "Rated by the citizen"),
    "reopened": pgettext_lazy("opinion history", "Reopened for a second look"),
}
# The states as the citizen reads them (own words: "Received" is a suggestion's word elsewhere).
STATE_WORDS = {
    OpinionState.RECEIVED: pgettext_lazy("opinion state", "Received, waiting to be looked at"),
    OpinionState.WITH_DEPUTY: pgettext_lazy("opinion state", "Followed up by a deputy"),
    OpinionState.REFERRED: pgettext_lazy("opinion state", "Referred to a handling unit"),
    OpinionState.ANSWERED: pgettext_lazy("opinion state", "Answered"),
    OpinionState.REOPENED: pgettext_lazy("opinion state", "Reopened for a second look"),
    OpinionState.CLOSED: pgettext_lazy("opinion state", "Closed"),
    OpinionState.MERGED: pgettext_lazy("opinion state", "Merged with an earlier opinion"),
    OpinionState.CONVERTED: pgettext_lazy("opinion state", "Turned into a deputy's suggestion"),
    OpinionState.PASSED_UP: pgettext_lazy("opinion state", "Passed to a higher congress"),
}
UPCOMING_DAYS = 5
RECENT_PUBLISHED = 10


def category_label(category: OpinionCategory) -> str:
    if category.parent_id:
        return f"{category.parent.name} · {category.name}"
    return category.name


def category_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """The active category tree as grouped choices: (root, [(id, name), ...]); a root with no
    children is chosen as itself."""
    cats = list(OpinionCategory.objects.filter(active=True).order_by("position", "name"))
    roots = [c for c in cats if c.parent_id is None]
    children: dict[int, list[OpinionCategory]] = {}
    for c in cats:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    out: list[tuple[str, list[tuple[int, str]]]] = []
    for root in roots:
        kids = children.get(root.pk, [])
        out.append((root.name, [(k.pk, k.name) for k in kids] or [(root.pk, root.name)]))
    return out


def public_answer(opinion: Opinion) -> dict[str, Any] | None:
    """The answer the citizen reads: the latest answered referral's, else the station's words
    (answered on the spot, or the explanation of a closing). A unit's answer always sets the
    opinion's answered_at (renda.opinions.actions.handling): without one, no query."""
    referral = None
    if opinion.answered_at is not None:
        referral = (
            Referral.objects.filter(opinion=opinion, state=ReferralState.ANSWERED)
            .exclude(answer="")
            .select_related("unit")
            .order_by("-answered_at", "-id")
            .first()
        )
    if referral is not None:
        return {"text": referral.answer, "at": referral.answered_at, "by": referral.unit.name}
    if opinion.explanation:
        return {
            "text": opinion.explanation,
            "at": opinion.answered_at or opinion.closed_at or opinion.triaged_at,
            "by": opinion.station.name if opinion.station_id else opinion.congress.name,
        }
    return None


# What tracking_view reads beside the opinion (get_by_tracking_code loads them in its query).
TRACKING_RELATED = ("category__parent", "station", "congress")


def _related_loaded(opinion: Opinion) -> bool:
    """Whether the opinion came with what the tracking view reads (no query needed)."""
    state = opinion._state.fields_cache
    category = state.get("category")
    return (
        category is not None
        and (category.parent_id is None or "parent" in category._state.fields_cache)
        and "congress" in state
        and (opinion.station_id is None or "station" in state)
    )


@cache
def _events_sql() -> tuple[str, list[Any]]:
    select, (converters,) = select_sql((OpinionEvent, "e"))
    table = connection.ops.quote_name(OpinionEvent._meta.db_table)
    sql = f"SELECT {select} FROM {table} e WHERE e.opinion_id = %s ORDER BY e.at, e.id"  # noqa: S608
    return sql, converters


def public_history(opinion: Opinion) -> list[OpinionEvent]:
    """The opinion's history steps in order (index opinion, at), in plain SQL built once."""
    sql, converters = _events_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [opinion.pk])
        rows = cursor.fetchall()
    return [e for row in rows if (e := from_row(OpinionEvent, list(row), converters))]


def tracking_view(opinion: Opinion) -> dict[str, Any]:
    """What the tracking code shows. Never the name, the phone or who on the staff acted."""
    events = public_history(opinion)
    if not _related_loaded(opinion):
        opinion = Opinion.objects.select_related(*TRACKING_RELATED).get(pk=opinion.pk)
    can_rate, rate_until = rating_window(opinion)
    return {
        "state": opinion.state,
        "state_label": str(STATE_WORDS.get(opinion.state, opinion.state)),
        "received_at": opinion.created_at,
        "category": category_label(opinion.category),
        "station": opinion.station.name if opinion.station_id else None,
        "history": [
            {
                "kind": e.kind,
                "label": str(EVENT_WORDS.get(e.kind, pgettext_lazy("opinion history", "Update"))),
                "at": e.at,
                "note": e.public_note,
            }
            for e in events
        ],
        "answer": public_answer(opinion),
        "rating": opinion.rating or None,
        "can_rate": can_rate,
        "rate_until": rate_until,
        "reopened": opinion.reopened_at is not None,
    }


def public_stations(congress_id: int | None = None) -> QuerySet[Station]:
    qs = Station.objects.filter(active=True).select_related("congress")
    if congress_id:
        qs = qs.filter(congress_id=congress_id)
    active = Deputyship.objects.filter(status=DeputyshipStatus.ACTIVE).select_related("person")
    now = timezone.now()
    upcoming = (
        ReceptionDay.objects.filter(state=ReceptionState.PLANNED, ends_at__gte=now)
        .order_by("starts_at")
        .prefetch_related(Prefetch("deputies", queryset=active))
    )
    return qs.order_by("congress_id", "name").prefetch_related(
        Prefetch("deputies", queryset=active.order_by("person__name")),
        Prefetch("reception_days", queryset=upcoming, to_attr="upcoming"),
    )


def _names(deputies: Any) -> list[str]:
    return [d.person.name for d in deputies]


def station_row(station: Station) -> dict[str, Any]:
    """One station's public data (from a public_stations() queryset)."""
    days: list[ReceptionDay] = getattr(station, "upcoming", [])[:UPCOMING_DAYS]
    return {
        "id": station.pk,
        "code": station.public_code,
        "name": station.name,
        "kind": station.kind,
        "kind_label": str(station.get_kind_display()),
        "congress": {"id": station.congress_id, "name": station.congress.name},
        "address": station.address,
        "latitude": float(station.latitude) if station.latitude is not None else None,
        "longitude": float(station.longitude) if station.longitude is not None else None,
        "opening_hours": station.opening_hours,
        "phone": station.phone,
        "deputies": _names(station.deputies.all()),
        "reception_days": [
            {"starts_at": d.starts_at, "ends_at": d.ends_at, "deputies": _names(d.deputies.all())}
            for d in days
        ],
    }


def get_public_station(code: str) -> Station | None:
    if not isinstance(code, str) or not code or len(code) > 20:
        return None
    return public_stations().filter(public_code=code).first()


def published_opinions(station: Station, limit: int = RECENT_PUBLISHED) -> list[dict[str, Any]]:
    """Recent ANSWERED opinions at this station whose citizen consented to publication: the
    text and the answer with phone/ID numbers masked; never a name or a phone."""
    rows = (
        Opinion.objects.filter(
            station=station,
            publish_consent=True,
            state=OpinionState.ANSWERED,
            answered_at__isnull=False,
        )
        .select_related("category__parent", "station", "congress")
        .order_by("-answered_at", "-id")[:limit]
    )
    out = []
    for o in rows:
        answer = public_answer(o)
        out.append(
            {
                "category": category_label(o.category),
                "received_at": o.created_at,
                "answered_at": o.answered_at,
                "text": mask_personal(o.text, (o.name,)),
                "answer": mask_personal(answer["text"], (o.name,)) if answer else "",
                "answered_by": answer["by"] if answer else "",
            }
        )
    return out


def local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else None
