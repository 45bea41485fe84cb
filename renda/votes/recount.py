"""Recounting a closed ballot from its stored papers (issue 6 "Reproducible").

Every paper is checked against its own content hash; the set of papers against the seal made at
close (so a paper added, removed or changed with its hash recomputed is caught); the seal
against the one the hash-chained audit trail recorded at close; the number of papers against
the register; and the tally is recomputed under the rule and compared with the one stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from renda.audit.models import AuditEvent

from .actions import tally_papers
from .choices import MODE_ANSWERS, AnswerMode, BallotState
from .models import Ballot, Paper, Voter
from .sealing import paper_hash, seal_digest


@dataclass
class Recount:
    ballot: Ballot
    papers: int
    tally: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _well_formed(ballot: Ballot, content: Any, choice_ids: set[str]) -> bool:
    if not isinstance(content, dict):
        return False
    if ballot.answers == AnswerMode.SELECT:
        picked = content.get("choices")
        return (
            isinstance(picked, list)
            and len(picked) <= ballot.max_choices
            and len(set(map(str, picked))) == len(picked)
            and {str(c) for c in picked} <= choice_ids
        )
    answers = content.get("answers")
    options = MODE_ANSWERS[ballot.answers]
    return (
        isinstance(answers, dict)
        and set(answers) == choice_ids
        and all(v in options for v in answers.values())
    )


def recount(ballot: Ballot) -> Recount:
    """Recompute the tally of a closed ballot from its papers; list every problem found."""
    ballot = Ballot.objects.select_related("meeting__congress").get(pk=ballot.pk)
    if ballot.state != BallotState.CLOSED:
        raise ValueError("only a closed ballot is recounted (no tally is shown before close)")
    choice_ids = {str(pk) for pk in ballot.choices.values_list("pk", flat=True)}
    papers = list(Paper.objects.filter(ballot=ballot).order_by("key"))
    problems: list[str] = []
    good = []
    for p in papers:
        if paper_hash(ballot.pk, p.key, p.content, p.receipt_hash) != p.content_hash:
            problems.append(f"paper {p.key}: its content does not match its hash (changed)")
        if not _well_formed(ballot, p.content, choice_ids):
            problems.append(f"paper {p.key}: its content is not a valid answer to this ballot")
            continue
        good.append(p.content)
    seal = seal_digest(ballot.pk, [(p.key, p.content_hash) for p in papers])
    if ballot.paper_count is not None and len(papers) != ballot.paper_count:
        problems.append(
            f"{len(papers)} papers stored but {ballot.paper_count} sealed at close "
            f"({'added' if len(papers) > ballot.paper_count else 'deleted'} papers)"
        )
    if seal != ballot.seal:
        problems.append(
            "the papers do not match the seal made at close (added, deleted or changed)"
        )
    event = (
        AuditEvent.objects.filter(
            verb="ballot.closed",
            object_type=ContentType.objects.get_for_model(Ballot),
            object_id=str(ballot.pk),
        )
        .order_by("-seq")
        .first()
    )
    if event is None:
        problems.append("the audit trail has no record of this ballot's close")
    elif event.data.get("seal") != ballot.seal:
        problems.append("the ballot's seal differs from the one the audit trail recorded at close")
    voters = Voter.objects.filter(ballot=ballot).count()
    if voters != len(papers):
        problems.append(f"{voters} voters in the register but {len(papers)} papers")
    tally = tally_papers(ballot, good)
    if tally != ballot.tally:
        problems.append("the recomputed tally differs from the tally stored at close")
    if event is not None and event.data.get("tally") not in (None, tally):
        problems.append("the recomputed tally differs from the tally the audit trail recorded")
    return Recount(ballot=ballot, papers=len(papers), tally=tally, problems=problems)
