"""Builders for the assignment and handling tests: a registered suggestion (through the
submission and registration actions when they exist), an assigned one, frozen local time."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from django.utils import timezone

from renda.suggestions.actions.assignment import assign
from renda.suggestions.models import Suggestion

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> Any:
    """Freeze time at `hour` o'clock, Shanghai time, on `day` (deadline tests)."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


def registered(
    world: Any, *, title: str = "关于增加学校周边公交线路的建议", deputy: str = "deputy"
) -> Suggestion:
    """A suggestion in `registered`, as of the current (possibly frozen) time."""
    try:
        from renda.suggestions.actions.registration import register
        from renda.suggestions.actions.submission import create_draft, submit
    except ImportError:  # the submission phase is not there yet: the rows it would write
        now = timezone.now()
        with transaction.atomic():
            s = Suggestion.objects.create(
                congress=world.city,
                title=title,
                body="正文",
                lead_deputy=world[deputy],
                year=timezone.localdate().year,
                state="registered",
                number=f"T{Suggestion.objects.count() + 1}",
                submitted_at=now,
                registered_at=now,
                registered_by=world["affairs"],
            )
            s.sponsors.create(deputy=world[deputy], role="lead", confirmed_at=now)
        return s
    s = create_draft(world.city, by=world[deputy], title=title, body="学校周边公交线路不足。")
    s = submit(s, by=world[deputy])
    return register(s, by=world["affairs"])


def assigned(
    world: Any,
    *,
    leads: tuple[str, ...] = ("edu",),
    cos: tuple[str, ...] = (),
    complex: bool = False,  # noqa: A002
    assigned_on: date | None = None,
) -> Suggestion:
    """A registered suggestion assigned by the office (units by world attribute name)."""
    s = registered(world)
    return assign(
        s,
        lead_units=[getattr(world, u) for u in leads],
        co_units=[getattr(world, u) for u in cos],
        complex=complex,
        assigned_on=assigned_on,
        by=world["affairs"],
    )


def assignment_of(suggestion: Suggestion, unit: Any) -> Any:
    return (
        suggestion.assignments.exclude(state="returned")
        .select_related("answer_deadline", "return_deadline", "co_opinion_deadline", "unit")
        .get(unit=unit)
    )
