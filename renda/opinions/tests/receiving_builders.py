"""Builders for the receiving tests: a station with staff and a resident deputy, an answered
opinion (written as the handling part would: state, answered_at, an answered referral)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from renda.deputies.models import Deputyship
from renda.opinions.choices import OpinionState, ReferralState
from renda.opinions.models import Opinion, OpinionCategory, ReceptionDay, Referral, Station


def category(name: str = "公共交通") -> OpinionCategory:
    return OpinionCategory.objects.get(name=name)


def station(world: Any, name: str = "鹿城区五马街道代表联络站", **extra: Any) -> Station:
    st = Station.objects.create(
        congress=extra.pop("congress", world.city),
        name=name,
        address=extra.pop("address", "五马街88号"),
        opening_hours=extra.pop("opening_hours", "周一至周五 9:00-17:00"),
        phone=extra.pop("phone", "0577-88000000"),
        latitude=28.0,
        longitude=120.65,
        **extra,
    )
    st.staff.add(world["station"])
    st.deputies.add(Deputyship.objects.get(person__user=world["deputy"]))
    return st


def reception_day(st: Station, world: Any, days: int = 3) -> ReceptionDay:
    start = timezone.now() + timedelta(days=days)
    day = ReceptionDay.objects.create(
        station=st, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    day.deputies.add(Deputyship.objects.get(person__user=world["deputy2"]))
    return day


def answer(
    opinion: Opinion, world: Any, text: str = "已安排维修，本周内修好。", at: Any = None
) -> Opinion:
    """The opinion answered by a referred unit, as the handling part records it."""
    at = at or timezone.now()
    Referral.objects.create(
        opinion=opinion,
        unit=world.transport,
        referred_at=at - timedelta(days=2),
        referred_by=world["station"],
        state=ReferralState.ANSWERED,
        answer=text,
        answered_at=at,
        answered_by=world["transport_clerk"],
    )
    Opinion.objects.filter(pk=opinion.pk).update(state=OpinionState.ANSWERED, answered_at=at)
    opinion.refresh_from_db()
    return opinion
