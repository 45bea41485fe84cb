"""Test builders for meetings and ballots: real rows through the real actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import make_user
from renda.votes.actions import ChoiceSpec, create_ballot, create_meeting, mark_attendance
from renda.votes.models import Ballot, Meeting


def members(n: int, prefix: str = "m") -> list[Any]:
    return [make_user(f"{prefix}{i:02d}") for i in range(1, n + 1)]


def meeting(
    world: Any,
    people: list[Any],
    *,
    kind: str = "sc_meeting",
    present: int | None = None,
    leave: int = 0,
) -> Meeting:
    """A meeting of the world's city with these people on the roll; the first `present` of
    them present (all by default), the next `leave` on approved leave."""
    m = create_meeting(
        congress=world.city,
        kind=kind,
        title="第三十次常委会会议" if kind == "sc_meeting" else "第五次会议",
        date=date(2026, 12, 1),
        members=people,
        by=world["affairs"],
    )
    n = len(people) if present is None else present
    for p in people[:n]:
        mark_attendance(m, user=p, present=True, by=world["affairs"])
    for p in people[n : n + leave]:
        mark_attendance(m, user=p, present=False, leave=True, by=world["affairs"])
    return m


def motion(world: Any, m: Meeting, **extra: Any) -> Ballot:
    return create_ballot(
        meeting=m,
        kind="motion",
        title="关于批准本市预算调整方案的决定",
        choices=[ChoiceSpec("关于批准本市预算调整方案的决定")],
        by=world["affairs"],
        **extra,
    )


def livelihood(world: Any, m: Meeting, n: int = 6, max_choices: int = 3, **extra: Any) -> Ballot:
    return create_ballot(
        meeting=m,
        kind="livelihood",
        title="2027年民生实事项目票决",
        choices=[
            ChoiceSpec(f"项目{i}", ref_type="livelihood.candidate", ref_id=100 + i)
            for i in range(1, n + 1)
        ],
        max_choices=max_choices,
        by=world["affairs"],
        **extra,
    )


def choice_ids(ballot: Ballot) -> list[int]:
    return list(ballot.choices.order_by("position").values_list("pk", flat=True))
