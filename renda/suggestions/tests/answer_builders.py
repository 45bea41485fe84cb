"""Builders for the answer, evaluation, key-suggestion and deadline-job tests.

Earlier states are reached through the other phases' actions (submission, registration,
assignment and the head's sign-off, via assignment_builders); only this phase's own actions
are called directly in the tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from renda.accounts.models import RoleAssignment
from renda.suggestions.actions.answers import CommitmentIn, answer, evaluate
from renda.suggestions.actions.assignment import sign_off
from renda.suggestions.models import Answer, Assignment, Suggestion
from renda.suggestions.tests.assignment_builders import assigned, assignment_of, at

__all__ = [
    "at",
    "assigned",
    "assignment_of",
    "handled",
    "answered",
    "give_answer",
    "rate",
    "transport_head",
    "CommitmentIn",
]

HEADS = {"edu": "edu_head", "transport": "transport_head"}


def transport_head(world: Any) -> Any:
    """The head of the transport bureau (the world has only its clerk)."""
    from conftest import make_user

    user = world.users.get("transport_head")
    if user is None:
        user = make_user("transport_head", email="transport_head@example.org")
        RoleAssignment.objects.create(
            user=user, role="unit_head", congress=world.city, unit=world.transport
        )
        world.users["transport_head"] = user
    return user


def head_of(world: Any, unit: str) -> Any:
    if unit == "transport":
        return transport_head(world)
    return world[HEADS[unit]]


def signed_off(world: Any, suggestion: Suggestion, unit: str) -> Assignment:
    """The unit head signs off (the assignment phase's action)."""
    return sign_off(assignment_of(suggestion, getattr(world, unit)), by=head_of(world, unit))


def handled(
    world: Any,
    *,
    leads: tuple[str, ...] = ("edu",),
    cos: tuple[str, ...] = (),
    sign: bool = True,
    assigned_on: date | None = None,
) -> Suggestion:
    """Assigned, and (by default) every lead unit's handling signed off by its head."""
    s = assigned(world, leads=leads, cos=cos, assigned_on=assigned_on)
    if sign:
        for unit in leads:
            signed_off(world, s, unit)
    return Suggestion.objects.get(pk=s.pk)


def give_answer(
    world: Any, suggestion: Suggestion, unit: str = "edu", *, category: str = "A", **extra: Any
) -> Answer:
    clerk = {"edu": "edu_clerk", "transport": "transport_clerk"}[unit]
    if category == "B":
        extra.setdefault("plan", "明年秋季学期前新开两条线路。")
        extra.setdefault("planned_date", timezone.localdate() + timedelta(days=180))
    if category == "C":
        extra.setdefault("reason", "财政预算已安排完毕。")
    return answer(
        suggestion,
        unit=getattr(world, unit),
        category=category,
        text=extra.pop("text", "已采纳您的建议，新开通学校专线。"),
        by=extra.pop("by", world[clerk]),
        **extra,
    )


def answered(
    world: Any, *, leads: tuple[str, ...] = ("edu",), cos: tuple[str, ...] = (), **extra: Any
) -> Suggestion:
    """Every lead unit has answered (category A unless `category` is given)."""
    s = handled(world, leads=leads, cos=cos)
    for unit in leads:
        give_answer(world, s, unit, **extra)
    return Suggestion.objects.get(pk=s.pk)


def rate(world: Any, suggestion: Suggestion, unit: str = "edu", rating: str = "satisfied") -> Any:
    return evaluate(suggestion, unit=getattr(world, unit), rating=rating, by=world["deputy"])
