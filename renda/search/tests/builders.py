"""Builders for the search tests: records written through the real actions (so the index is
written the way production writes it)."""

from __future__ import annotations

from typing import Any

from renda.opinions.actions.receiving import submit_opinion
from renda.opinions.models import Opinion
from renda.opinions.tests.handling_builders import category, station_of
from renda.suggestions.actions.assignment import assign
from renda.suggestions.actions.registration import register
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.answer_builders import give_answer, signed_off


def draft(world: Any, title: str, body: str = "", deputy: str = "deputy") -> Suggestion:
    return create_draft(world.city, by=world[deputy], title=title, body=body)


def submitted(world: Any, title: str, body: str = "正文。", deputy: str = "deputy") -> Suggestion:
    return submit(draft(world, title, body, deputy), by=world[deputy])


def registered(world: Any, title: str, body: str = "正文。", deputy: str = "deputy") -> Suggestion:
    return register(submitted(world, title, body, deputy), by=world["affairs"])


def answered(
    world: Any, title: str, text: str, *, public: bool = True, body: str = "正文。"
) -> Suggestion:
    """Assigned to the education bureau, signed off and answered with `text`."""
    s = assign(
        registered(world, title, body), lead_units=[world.edu], co_units=[], by=world["affairs"]
    )
    signed_off(world, s, "edu")
    extra: dict[str, Any] = {}
    if not public:
        extra = {"public": False, "not_public_reason": "涉及个人隐私"}
    give_answer(world, s, "edu", text=text, **extra)
    return Suggestion.objects.get(pk=s.pk)


def opinion(world: Any, text: str, **extra: Any) -> Opinion:
    return submit_opinion(
        category=category().pk,
        text=text,
        station=station_of(world),
        name=extra.pop("name", "李四"),
        phone=extra.pop("phone", "13912345678"),
        **extra,
    )
