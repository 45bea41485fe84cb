"""Builders for the livelihood tests: real rows through the real actions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from renda.livelihood import actions
from renda.livelihood.models import Plan, Project


def plan(world: Any, *, year: int = 2027, days_open: int = 10, **extra: Any) -> Plan:
    """A plan of the world's city whose collection window is open today."""
    today = timezone.localdate()
    return actions.create_plan(
        congress=world.city,
        year=year,
        title=f"{year}年示范市民生实事项目",
        collect_from=extra.pop("collect_from", today - timedelta(days=1)),
        collect_until=extra.pop("collect_until", today + timedelta(days=days_open)),
        by=world["affairs"],
        **extra,
    )


def data(world: Any, title: str = "老旧小区加装电梯", **extra: Any) -> actions.CandidateData:
    fields = {
        "title": title,
        "content": "为全市 60 个老旧小区加装电梯。",
        "lead_unit": world.edu,
        "budget": Decimal("1200000.00"),
        "funding_source": "市级财政",
        "timeline": "2027年3月至12月",
        "expected_outcome": "居民上下楼方便。",
    }
    fields.update(extra)
    return actions.CandidateData(**fields)


def approved(world: Any, p: Plan, n: int = 3, **extra: Any) -> list[Project]:
    """n candidates drafted by the government side, submitted and approved by the office."""
    out = []
    for i in range(1, n + 1):
        project = actions.save_candidate(
            p, data(world, title=f"候选项目{i}", **extra), by=world["supervisor"]
        )
        actions.submit_candidate(project, by=world["supervisor"])
        out.append(actions.approve_candidate(project, by=world["affairs"]))
    return out


def fixed(world: Any, n: int = 3, m: int = 2) -> tuple[Plan, list[Project]]:
    """A plan whose list of n candidates is fixed, each deputy choosing at most m."""
    p = plan(world)
    projects = approved(world, p, n)
    actions.close_collection(p, by=world["affairs"])
    p = actions.fix_list(p, max_choices=m, by=world["affairs"])
    return p, [Project.objects.get(pk=x.pk) for x in projects]


def chosen(world: Any, n: int = 3, m: int = 2) -> tuple[Plan, list[Project]]:
    """A plan whose projects are chosen: the vote played on a session of 5 deputies."""
    from renda.livelihood.actions_vote import adopt_result, put_to_vote
    from renda.votes.actions import cast_vote, close_ballot, open_ballot

    p, projects = fixed(world, n, m)
    m_ = session(world, 5)
    p = put_to_vote(p, m_, by=world["affairs"])
    ballot = open_ballot(p.ballot, by=world["affairs"])
    ids = choice_ids(ballot)
    for member in m_.members.all():
        cast_vote(ballot, voter=member.user, choices=ids[:m])
    close_ballot(ballot, by=world["affairs"])
    p = adopt_result(p, by=world["affairs"])
    return p, list(Project.objects.filter(plan=p, state="chosen"))


def session(world: Any, n: int, present: int | None = None) -> Any:
    from renda.votes.models import Meeting
    from renda.votes.tests.builders import meeting, members

    return meeting(
        world,
        members(n, prefix=f"lpd{Meeting.objects.count()}_"),
        kind="congress_session",
        present=present,
    )


def choice_ids(ballot: Any) -> list[int]:
    return list(ballot.choices.order_by("position").values_list("pk", flat=True))


def some_day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)
