"""A small, fully known data set for the statistics tests, built through the real actions.

As of TODAY (2026-09-01), in the city congress (zhejiang profile: answers due 3 months after
assignment, rating window 15 working days, re-handling 1 month):

key: lead deputy · topic · year (session) · units — what happened
- A: deputy · 教育 · 2026 · edu lead — answered A on time, rated satisfied
- B: deputy · 教育 · 2026 · edu lead — answered B late (06-10, due 06-02) with 3 commitments:
  due 07-31 met 08-20 (late), due 08-31 met 08-20 (on time), due 12-31 unmet; rated
  basically satisfied
- C: deputy2 · 交通 · 2026 · transport lead, edu co — answered C on time with a commitment,
  rated dissatisfied → re-handled, answered A, rated dissatisfied again (final)
- D: deputy · 教育 · 2026 · edu lead, transport co — never answered; due 06-02
- E: deputy2 · 交通 · 2026 · edu lead → returned; transport lead — transport answered A on
  time; no feedback in the window
- F: deputy · — · 2026 — not accepted (rejected)
- G: deputy · — · 2026 (session 5) — registered, not assigned
- H: deputy · — · 2026 — a draft
- I: deputy · — · 2026 · edu lead — answered D on time, rated dissatisfied, re-handling
  overdue (due 04-07)
- J: deputy · 教育 · 2025 · edu lead — answered A on time, rated satisfied
- K: deputy · 交通 · 2026 · edu lead — assigned 08-20, due 11-20: not due yet

The expected figures in the tests are worked out from this table by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from renda.suggestions.actions.answers import (
    CommitmentIn,
    evaluate,
    mark_commitment_met,
    record_no_feedback,
)
from renda.suggestions.actions.assignment import assign, decide_return, request_return
from renda.suggestions.actions.registration import register, reject
from renda.suggestions.actions.submission import create_draft, submit
from renda.suggestions.models import Commitment, Suggestion, Topic

from .answer_builders import assignment_of, at, give_answer, head_of
from .assignment_builders import SHANGHAI  # noqa: F401  (re-exported for the tests)

TODAY = date(2026, 9, 1)
MAR2 = date(2026, 3, 2)


def _signed_off(world: Any, s: Suggestion, unit: str) -> None:
    from renda.suggestions.actions.assignment import sign_off

    sign_off(assignment_of(s, getattr(world, unit)), by=head_of(world, unit))


def new(world: Any, *, deputy: str = "deputy", topic: Any = None, title: str = "建议") -> Any:
    s = create_draft(
        world.city, by=world[deputy], title=title, body="关于学校周边交通的具体建议。", topic=topic
    )
    return submit(s, by=world[deputy])


def assigned_to(
    world: Any,
    *,
    leads: tuple[str, ...],
    cos: tuple[str, ...] = (),
    deputy: str = "deputy",
    topic: Any = None,
    title: str = "建议",
) -> Suggestion:
    s = register(new(world, deputy=deputy, topic=topic, title=title), by=world["affairs"])
    s = assign(
        s,
        lead_units=[getattr(world, u) for u in leads],
        co_units=[getattr(world, u) for u in cos],
        complex=False,
        by=world["affairs"],
    )
    for unit in leads:
        _signed_off(world, s, unit)
    return Suggestion.objects.get(pk=s.pk)


def rate_as(world: Any, s: Suggestion, unit: str, rating: str, deputy: str = "deputy") -> None:
    evaluate(s, unit=getattr(world, unit), rating=rating, by=world[deputy])


def build_stats_world(world: Any) -> dict[str, Any]:
    """The table above; returns the suggestions by key and the two topics."""
    edu_topic = Topic.objects.create(congress=world.city, name="教育")
    transport_topic = Topic.objects.create(congress=world.city, name="交通")
    out: dict[str, Any] = {"edu_topic": edu_topic, "transport_topic": transport_topic}

    with at(date(2025, 11, 3)):
        j = assigned_to(world, leads=("edu",), topic=edu_topic, title="J")
        give_answer(world, j, "edu", category="A")
        rate_as(world, j, "edu", "satisfied")
    out["J"] = j

    with at(date(2026, 2, 11)):  # during session 5 of the world's term
        out["G"] = register(new(world, title="G"), by=world["affairs"])

    with at(MAR2):
        a = assigned_to(world, leads=("edu",), topic=edu_topic, title="A")
        give_answer(world, a, "edu", category="A")
        b = assigned_to(world, leads=("edu",), topic=edu_topic, title="B")
        c = assigned_to(
            world, leads=("transport",), cos=("edu",), deputy="deputy2", topic=transport_topic
        )
        give_answer(
            world,
            c,
            "transport",
            category="C",
            commitments=[CommitmentIn("条件具备后再研究。", date(2026, 12, 1))],
        )
        d = assigned_to(world, leads=("edu",), cos=("transport",), topic=edu_topic, title="D")
        e = assigned_to(world, leads=("edu",), deputy="deputy2", topic=transport_topic, title="E")
        f = new(world, title="F")
        reject(f, ground="no_content", explanation="没有具体内容。", by=world["affairs"])
        i = assigned_to(world, leads=("edu",), title="I")
        give_answer(world, i, "edu", category="D")
        out["H"] = create_draft(world.city, by=world["deputy"], title="H")

    with at(date(2026, 3, 4)):
        req = request_return(
            assignment_of(e, world.edu), reason="不属于本单位职责。", by=world["edu_clerk"]
        )
    with at(date(2026, 3, 5)):
        decide_return(req, approve=True, new_lead_units=[world.transport.pk], by=world["affairs"])
        rate_as(world, a, "edu", "satisfied")
        rate_as(world, c, "transport", "dissatisfied", deputy="deputy2")
        rate_as(world, i, "edu", "dissatisfied")
    with at(date(2026, 3, 20)):
        _signed_off(world, c, "transport")
        give_answer(world, c, "transport", category="A")
        _signed_off(world, e, "transport")
        give_answer(world, e, "transport", category="A")
    with at(date(2026, 3, 25)):
        rate_as(world, c, "transport", "dissatisfied", deputy="deputy2")
    with at(date(2026, 4, 20)):
        record_no_feedback(e.assignments.get(unit=world.transport).answers.get())

    with at(date(2026, 6, 10)):
        give_answer(
            world,
            b,
            "edu",
            category="B",
            commitments=[
                CommitmentIn("七月底前完成线路调研。", date(2026, 7, 31)),
                CommitmentIn("八月底前开通专线。", date(2026, 8, 31)),
                CommitmentIn("年底前评估效果。", date(2026, 12, 31)),
            ],
        )
    with at(date(2026, 6, 12)):
        rate_as(world, b, "edu", "basically_satisfied")
    with at(date(2026, 8, 20)):
        for c_row in Commitment.objects.filter(
            answer__assignment__suggestion=b, due__lt="2026-12-01"
        ):
            mark_commitment_met(c_row, evidence="已完成。", by=world["edu_clerk"])
        k = assigned_to(world, leads=("edu",), topic=transport_topic, title="K")

    out.update({"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "I": i, "K": k})
    return out


def simple_answered(world: Any, n: int, *, on: date = MAR2) -> None:
    """`n` suggestions answered (A) by edu and rated satisfied, on one day (query-count tests)."""
    topic = Topic.objects.get_or_create(congress=world.city, name="教育")[0]
    with at(on):
        for index in range(n):
            s = assigned_to(
                world, leads=("edu",), cos=("transport",), topic=topic, title=f"N{index}"
            )
            give_answer(
                world,
                s,
                "edu",
                category="B",
                commitments=[CommitmentIn("年底前完成。", date(2026, 12, 31))],
            )
            rate_as(world, s, "edu", "satisfied")
