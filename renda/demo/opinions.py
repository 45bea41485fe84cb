"""The demo's liaison stations and citizens' opinions: three stations of the city (the
`station` login on the staff of the first, resident deputies, opening hours, map coordinates),
upcoming reception days, and opinions in several states — just received, recorded from a visit,
answered with consent to publish (so the station's public page has something to show), rated,
and one reopened after a dissatisfied rating.

Idempotent: a station is found by (congress, name), an opinion by (station, text). Receipt and
rating go through the receiving actions; the answers are written as the handling part's answer
action writes them (an answered referral, state and answered_at) — to be switched to that
action once it is merged.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from renda.accounts.models import User
from renda.deputies.models import Deputyship
from renda.opinions.actions.receiving import rate_opinion, submit_opinion
from renda.opinions.choices import Channel, OpinionState, ReferralState, StationKind
from renda.opinions.models import (
    Opinion,
    OpinionCategory,
    OpinionEvent,
    ReceptionDay,
    Referral,
    Station,
)
from renda.opinions.stats import rebuild_opinion_facts
from renda.orgs.models import Congress, HandlingUnit

from .dataset import CITY

STATIONS = (
    (
        "五马街道人大代表联络站",
        StationKind.STATION,
        "温州市鹿城区五马街道解放街128号",
        ("28.012345", "120.654321"),
        "周一至周五 8:30-11:30，14:00-17:00；每月15日代表接待日",
        "0577-88110001",
    ),
    (
        "蒲鞋市街道代表联络点",
        StationKind.POINT,
        "温州市鹿城区蒲鞋市街道锦绣路66号",
        ("28.020210", "120.671234"),
        "周一、周三、周五 9:00-11:30",
        "0577-88110002",
    ),
    (
        "龙湾区代表之家",
        StationKind.HOME,
        "温州市龙湾区永中街道永宁西路500号",
        ("27.931200", "120.812300"),
        "工作日 9:00-17:00",
        "0577-88110003",
    ),
)

# (station index, category, text, location, name, phone, channel, publish, what happens)
OPINIONS = (
    (
        0,
        "公共交通",
        "公交101路晚上八点后就停运了，下夜班回不了家，建议延长运营时间。",
        "五马街公交站",
        "王秀兰",
        "13800009101",
        Channel.STATION_CODE,
        True,
        "answered",
    ),
    (
        0,
        "市政设施",
        "解放街128号附近人行道地砖松动，雨天踩上去溅一身水。",
        "解放街128号",
        "",
        "",
        Channel.ONLINE,
        True,
        "rated",
    ),
    (
        0,
        "噪声扰民",
        "小区旁边工地晚上十点后还在施工，噪声很大，影响休息。",
        "五马街道某小区",
        "陈先生",
        "13800009103",
        Channel.VISIT,
        False,
        "reopened",
    ),
    (
        0,
        "养老服务",
        "社区老年食堂能否增加周末供餐？",
        "",
        "李大爷",
        "13800009104",
        Channel.CALL,
        True,
        "received",
    ),
    (
        1,
        "停车",
        "锦绣路两侧乱停车严重，早高峰堵得走不动。",
        "锦绣路",
        "",
        "",
        Channel.ONLINE,
        True,
        "received",
    ),
    (
        2,
        "垃圾分类",
        "永宁西路垃圾分类投放点太少，经常满溢。",
        "永宁西路",
        "周女士",
        "13800009106",
        Channel.STATION_CODE,
        True,
        "answered",
    ),
)
ANSWERS = {
    "公共交通": "经研究，101路末班车自下月起延长至22:30，感谢您的意见。",
    "市政设施": "已安排市政养护单位于本周内完成人行道地砖修复。",
    "噪声扰民": "已责成施工单位严格遵守夜间施工规定，22时后停止高噪声作业。",
    "垃圾分类": "已在永宁西路增设两处分类投放点，并加密清运频次。",
}


def _at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _stations(city: Congress, users: dict[str, User]) -> tuple[list[Station], int]:
    deputies = list(
        Deputyship.objects.filter(congress=city, status="active")
        .select_related("person__user")
        .order_by("person__user__username")
    )
    mine = [d for d in deputies if d.person.user and d.person.user.username == "deputy"]
    others = [d for d in deputies if d not in mine]
    out, made = [], 0
    for i, (name, kind, address, (lat, lon), hours, phone) in enumerate(STATIONS):
        station, created = Station.objects.get_or_create(
            congress=city,
            name=name,
            defaults={
                "kind": kind,
                "address": address,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "opening_hours": hours,
                "phone": phone,
            },
        )
        if created:
            made += 1
            residents = (mine if i == 0 else []) + others[i * 4 : i * 4 + 3]
            station.deputies.add(*residents)
            if i == 0 and "station" in users:
                station.staff.add(users["station"])
            start = _at(-7 - i * 3, 9)
            for n in range(2):
                day = ReceptionDay.objects.create(
                    station=station,
                    starts_at=start + timedelta(days=30 * n),
                    ends_at=start + timedelta(days=30 * n, hours=3),
                )
                day.deputies.add(*residents[:2])
        out.append(station)
    return out, made


def _answer(opinion: Opinion, unit: HandlingUnit, by: User | None, text: str, at: Any) -> None:
    """As the handling part's answer action writes it (see the module's docstring)."""
    if by is None:
        return
    Referral.objects.create(
        opinion=opinion,
        unit=unit,
        referred_at=at - timedelta(days=5),
        referred_by=by,
        state=ReferralState.ANSWERED,
        answer=text,
        answered_at=at,
        answered_by=by,
    )
    Opinion.objects.filter(pk=opinion.pk).update(
        state=OpinionState.ANSWERED, answered_at=at, outcome="refer", triaged_at=at
    )
    OpinionEvent.objects.create(opinion=opinion, kind="referred", at=at - timedelta(days=5))
    OpinionEvent.objects.create(opinion=opinion, kind="answered", at=at)


def seed_opinions(users: dict[str, User], congresses: dict[str, Congress]) -> Counter[str]:
    """Create whatever part of the stations-and-opinions demo is missing."""
    created: Counter[str] = Counter()
    city = congresses.get(CITY.division_code)
    if city is None:
        return created
    stations, made = _stations(city, users)
    created["liaison stations"] += made
    unit = HandlingUnit.objects.filter(congress=city).order_by("id").first()
    staff = users.get("station")
    for idx, cat, text, location, name, phone, channel, publish, fate in OPINIONS:
        station = stations[idx]
        if Opinion.objects.filter(station=station, text=text).exists():
            continue
        category = OpinionCategory.objects.filter(name=cat).first()
        if category is None:
            continue
        by = staff if channel in (Channel.VISIT, Channel.CALL) else None
        if by is not None and not station.staff.filter(pk=by.pk).exists():
            by, channel = None, Channel.ONLINE
        opinion = submit_opinion(
            station=station,
            category=category.pk,
            text=text,
            location=location,
            name=name,
            phone=phone,
            anonymous=not (name or phone),
            publish_consent=publish,
            channel=channel,
            by=by,
        )
        created["citizens' opinions"] += 1
        if fate in ("answered", "rated", "reopened") and unit is not None:
            _answer(opinion, unit, staff, ANSWERS[cat], timezone.now() - timedelta(days=2))
            if fate == "rated":
                rate_opinion(opinion, rating="satisfied")
            elif fate == "reopened":
                rate_opinion(opinion, rating="dissatisfied")
    rebuild_opinion_facts()  # the stations' figures for what was written above
    return +created
