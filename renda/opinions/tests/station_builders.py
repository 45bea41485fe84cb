"""Builders for the station tests: stations and opinions written straight into the tables
(the receiving and handling actions belong to other parts), with chosen dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from renda.opinions.choices import Channel, OpinionState, Outcome, ReferralState
from renda.opinions.models import Opinion, OpinionCategory, Referral, Station

BEIJING_NOON = 4  # 12:00 in Beijing is 04:00 UTC


def station(congress: Any, name: str = "城东联络站", **extra: Any) -> Station:
    return Station.objects.create(congress=congress, name=name, address="城东路1号", **extra)


def at(day: date, hour_utc: int = BEIJING_NOON) -> datetime:
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)


def opinion(
    st: Station | None,
    received: datetime,
    *,
    congress: Any = None,
    answered: datetime | None = None,
    outcome: str = "",
    rating: str = "",
    state: str = OpinionState.RECEIVED,
    suggestion: Any = None,
) -> Opinion:
    op = Opinion.objects.create(
        congress=congress or st.congress,
        station=st,
        category=OpinionCategory.objects.filter(parent=None).first(),
        text="小区门口路灯坏了三个月，晚上出行很不方便。",
        channel=Channel.ONLINE,
        state=state,
        outcome=outcome,
        rating=rating,
        answered_at=answered,
    )
    Opinion.objects.filter(pk=op.pk).update(created_at=received)
    op.refresh_from_db()
    return op


def referral(
    op: Opinion,
    unit: Any,
    by: Any,
    *,
    due: date,
    answered: datetime | None = None,
    state: str | None = None,
) -> Referral:
    if state is None:
        state = ReferralState.ANSWERED if answered else ReferralState.ACTIVE
    return Referral.objects.create(
        opinion=op,
        unit=unit,
        referred_by=by,
        referred_at=op.created_at + timedelta(hours=1),
        due=due,
        answered_at=answered,
        state=state,
        answer="已修复。" if answered else "",
    )


__all__ = ["Outcome", "at", "opinion", "referral", "station"]
