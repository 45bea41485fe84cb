"""JSON API of the opinions app: the receiving part (mounted at /api/v1/opinions). No sign-in:

- POST /opinions — a citizen's opinion → 201 {"tracking_code"}; stored and committed first.
  `station`: the station's public code (what its QR code carries) or its id; `deputy`: the
  deputy code (代表码) or the deputyship's id; `congress`: an id, used when neither is given
  (else the default congress). Limited per address and per phone (429 + Retry-After).
- GET /opinions/track/{code} — state, public history, answer; never a name or a phone.
- POST /opinions/track/{code}/rating — the citizen's rating of the answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from renda.audit.addresses import client_address
from renda.deputies.ratelimits import Verdict

from . import limits
from .actions.receiving import (
    clean_phone,
    get_by_tracking_code,
    phone_key,
    rate_opinion,
    submit_opinion,
)
from .choices import Channel
from .models import TEXT_MAX
from .queries_receiving import tracking_view

router = Router()

Ref = int | Annotated[str, Field(max_length=40)] | None
Short = Annotated[str, Field(max_length=500)]


def too_many(verdict: Verdict, what: str) -> JsonResponse:
    """A 429 saying when to retry (Retry-After in seconds, and the time itself)."""
    retry_at = timezone.localtime(verdict.retry_at) if verdict.retry_at else None
    response = JsonResponse(
        {
            "error": "too_many_requests",
            "detail": _("Too many %(what)s from your address or phone; try again after %(at)s.")
            % {"what": what, "at": f"{retry_at:%Y-%m-%d %H:%M}" if retry_at else ""},
            "retry_after": verdict.retry_after_seconds,
            "retry_at": retry_at.isoformat() if retry_at else None,
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after_seconds)
    return response


class OpinionIn(Schema):
    station: Ref = None
    deputy: Ref = None
    congress: int | None = None
    category: int | Annotated[str, Field(max_length=20)]
    text: Annotated[str, Field(max_length=TEXT_MAX * 2)]
    location: Short = ""
    name: Short = ""
    phone: Short = ""
    anonymous: bool = False
    publish_consent: bool = False


class TrackingCode(Schema):
    tracking_code: str


@router.post(
    "",
    response={201: TrackingCode},
    auth=None,
    summary="Submit a citizen's opinion (no sign-in) → its tracking code",
)
def submit(request: HttpRequest, payload: OpinionIn) -> Any:
    address = client_address(request)
    phone = "" if payload.anonymous else phone_key(clean_phone(payload.phone))
    verdict = limits.take_submit(address, phone)  # counted now: one round trip
    if not verdict.allowed:
        return too_many(verdict, _("opinions"))
    channel = Channel.DEPUTY_CODE if payload.deputy not in (None, "") else Channel.ONLINE
    try:
        opinion = submit_opinion(
            station=payload.station,
            deputy=payload.deputy,
            congress=payload.congress,
            category=payload.category,
            text=payload.text,
            location=payload.location,
            name=payload.name,
            phone=payload.phone,
            anonymous=payload.anonymous,
            publish_consent=payload.publish_consent,
            channel=channel,
        )  # committed here: the code below names a stored opinion
    except BaseException:
        limits.give_back_submit(address, phone)  # refused: it does not count against the limit
        raise
    return Status(201, {"tracking_code": opinion.tracking_code})


class EventOut(Schema):
    kind: str
    label: str
    at: datetime
    note: str


class AnswerOut(Schema):
    text: str
    at: datetime | None
    by: str


class TrackOut(Schema):
    state: str
    state_label: str
    received_at: datetime
    category: str
    station: str | None
    history: list[EventOut]
    answer: AnswerOut | None = None
    rating: str | None
    can_rate: bool
    rate_until: date | None
    reopened: bool


def _lookup(request: HttpRequest, code: str) -> Any:
    """Counts every look-up (found or not) against the address's limit; None when refused."""
    verdict = limits.hit_track(client_address(request))
    if not verdict.allowed:
        return too_many(verdict, _("look-ups"))
    return get_by_tracking_code(code)


@router.get(
    "/track/{code}",
    response=TrackOut,
    auth=None,
    summary="Follow an opinion by its tracking code (no personal data)",
)
def track(request: HttpRequest, code: str) -> Any:
    found = _lookup(request, code)
    if isinstance(found, JsonResponse):
        return found
    return tracking_view(found)


class RatingIn(Schema):
    rating: Annotated[str, Field(max_length=30)]


@router.post(
    "/track/{code}/rating",
    response=TrackOut,
    auth=None,
    summary="Rate the answer: satisfied, basically_satisfied or dissatisfied",
)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> Any:
    found = _lookup(request, code)
    if isinstance(found, JsonResponse):
        return found
    return tracking_view(rate_opinion(found, rating=payload.rating))
