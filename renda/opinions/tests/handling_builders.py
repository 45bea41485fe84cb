"""Builders for the handling tests: a station with the world's station staff, opinions written
as the receiving part would (rows only: the receiving actions live on another branch), frozen
local time."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from renda.deputies.models import Deputyship
from renda.opinions.choices import Channel
from renda.opinions.models import Opinion, OpinionCategory, Station

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITIZEN_NAME = "王小明"
CITIZEN_PHONE = "13912345678"


def at(day: date, hour: int = 10) -> Any:
    """Freeze time at `hour` o'clock, Shanghai time, on `day`."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


def station_of(world: Any, name: str = "示范街道代表联络站") -> Station:
    station, created = Station.objects.get_or_create(
        congress=world.city, name=name, defaults={"address": "示范路1号"}
    )
    if created:
        station.staff.add(world["station"])
    return station


def deputyship(world: Any, username: str = "deputy") -> Deputyship:
    return Deputyship.objects.get(person__user=world[username], congress=world.city)


def category(name: str = "公共交通") -> OpinionCategory:
    return OpinionCategory.objects.filter(name=name).first() or OpinionCategory.objects.first()


def opinion(
    world: Any,
    *,
    station: Station | None | str = "default",
    deputy: str | None = None,
    text: str = "示范路公交站台没有遮雨棚，雨天候车很不方便。",
    anonymous: bool = False,
    congress: Any = None,
    **extra: Any,
) -> Opinion:
    """A received opinion with the citizen's name and phone, at the world's station."""
    st = station_of(world) if station == "default" else station
    return Opinion.objects.create(
        congress=congress or world.city,
        station=st,
        deputy=deputyship(world, deputy) if deputy else None,
        category=category(),
        text=text,
        channel=Channel.ONLINE,
        name=CITIZEN_NAME,
        phone=CITIZEN_PHONE,
        anonymous=anonymous,
        **extra,
    )
