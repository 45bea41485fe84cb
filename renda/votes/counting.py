"""Counting ballot papers and applying the rule (LP-VOTE, SC-MAJORITY, CONGRESS-MAJORITY,
APPT-VOTE); used at close and again, from the stored papers, by `manage.py recount`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from renda.rules.profiles import Threshold

from .choices import MODE_ANSWERS, AnswerMode, Rule


def count_papers(
    mode: str, choice_ids: Sequence[int], contents: Iterable[dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """choice id → {"votes": n, "answers": {answer: n}}.

    select: votes = papers choosing it. yes/no/abstain: votes = yes (abstentions are not yes).
    satisfaction: votes = papers answering it; the shares are in answers."""
    options = MODE_ANSWERS[mode]
    counts: dict[int, dict[str, Any]] = {
        cid: {"votes": 0, "answers": dict.fromkeys(options, 0)} for cid in choice_ids
    }
    for content in contents:
        if mode == AnswerMode.SELECT:
            for cid in content.get("choices", []):
                counts[int(cid)]["votes"] += 1
            continue
        for cid, answer in content.get("answers", {}).items():
            row = counts[int(cid)]
            row["answers"][answer] += 1
            if mode == AnswerMode.YES_NO_ABSTAIN:
                if answer == "yes":
                    row["votes"] += 1
            else:
                row["votes"] += 1
    return counts


def decide(
    rule: str,
    counts: dict[int, dict[str, Any]],
    *,
    order: Sequence[int],
    eligible: int,
    max_choices: int,
    majority: Threshold | None,
) -> tuple[dict[int, bool | None], list[int]]:
    """Which choices pass, and which are tied at the cut-off and go to a run-off.

    SC-MAJORITY / CONGRESS-MAJORITY / APPT-VOTE: yes from more than half of ALL members
    (`eligible`), whatever the attendance. LP-VOTE: within the top M and more than half of all
    deputies; choices tied at the M-th place that would overflow M go to a run-off (only those
    that reach the majority: the others fail anyway). SHARES (evaluation): no threshold (None)."""
    if rule == Rule.SHARES or majority is None:
        return dict.fromkeys(order, None), []
    if rule != Rule.LP_VOTE:
        return {cid: majority.met(counts[cid]["votes"], eligible) for cid in order}, []
    ranked = sorted(order, key=lambda cid: -counts[cid]["votes"])
    passed: dict[int, bool | None] = dict.fromkeys(order, False)
    runoff: list[int] = []
    if not ranked:
        return passed, runoff
    m = min(max_choices, len(ranked))
    cut = counts[ranked[m - 1]]["votes"]
    above = [cid for cid in ranked if counts[cid]["votes"] > cut]
    at_cut = [cid for cid in ranked if counts[cid]["votes"] == cut]
    for cid in above:
        passed[cid] = majority.met(counts[cid]["votes"], eligible)
    if len(above) + len(at_cut) <= m:
        for cid in at_cut:
            passed[cid] = majority.met(cut, eligible)
    elif majority.met(cut, eligible):
        runoff = [cid for cid in order if cid in at_cut]
    return passed, runoff
