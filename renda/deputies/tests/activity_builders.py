"""Building activities for the tests of the activities part (through the real actions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from renda.deputies.actions.activities import ActivityIn, Invitees, create_activity
from renda.deputies.models import Activity, Deputyship

DEPUTIES = ("deputy", "deputy2", "sc_member")


def deputyship_of(world: Any, username: str) -> Deputyship:
    return Deputyship.objects.get(person__user=world[username])


def organised(
    world: Any,
    *,
    starts: datetime | None = None,
    hours: float = 2,
    kind: str = "inspection",
    title: str = "城市内涝治理专题视察",
    by: str = "affairs",
    invite: tuple[str, ...] | None = DEPUTIES,
    all_deputies: bool = False,
    **extra: Any,
) -> Activity:
    """An activity of the city congress starting at `starts` (default: in two hours)."""
    starts = starts or timezone.now() + timedelta(hours=2)
    data = ActivityIn(
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        location="市民中心三楼会议室",
        **extra,
    )
    invitees = Invitees(
        all_deputies=all_deputies,
        deputies=[deputyship_of(world, u).pk for u in (invite or ())],
    )
    return create_activity(world.city, data, invitees=invitees, by=world[by])


def running(world: Any, **kw: Any) -> Activity:
    """An activity that started ten minutes ago (check-in open)."""
    return organised(world, starts=timezone.now() - timedelta(minutes=10), **kw)
