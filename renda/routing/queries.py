"""Reads of the routing app: the proposals for a text, the latest model, accuracy in use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from renda.orgs.models import HandlingUnit

from .models import Proposal, TrainedModel
from .texts import text_of
from .training import load, min_samples, min_units

TOP = 5


@dataclass
class ProposedUnit:
    id: int
    name: str
    score: float
    reason: list[str]


@dataclass
class Proposals:
    units: list[ProposedUnit] = field(default_factory=list)
    model: dict[str, Any] | None = None
    trained: TrainedModel | None = None
    # Why nothing is proposed (no model yet, too little history): shown instead of guessing.
    why_none: str = ""


def latest_model(congress_id: int) -> TrainedModel | None:
    return TrainedModel.objects.filter(congress_id=congress_id).first()


def propose(congress_id: int, title: str, body: str = "", k: int = TOP) -> Proposals:
    """The `k` most likely lead units (active ones) for a text, from the congress's model."""
    loaded = load(congress_id)
    if loaded is None:
        return Proposals(
            why_none=_(
                "No proposals yet: too little history. Proposals need at least %(samples)s "
                "past assignments to at least %(units)s units (assign by hand, or import "
                "past years with import_history), then a training."
            )
            % {"samples": min_samples(), "units": min_units()}
        )
    meta = loaded["meta"]
    ranked = loaded["router"].rank(text_of(title, body), k=k + 5)
    ids = [int(r.label) for r in ranked]
    names = dict(
        HandlingUnit.objects.filter(congress_id=congress_id, active=True, pk__in=ids).values_list(
            "pk", "name"
        )
    )
    units = [
        ProposedUnit(int(r.label), names[int(r.label)], round(r.score, 4), r.reason)
        for r in ranked
        if int(r.label) in names
    ][:k]
    return Proposals(
        units=units,
        model={
            "trained_at": meta["trained_at"],
            "samples": meta["samples"],
            "accuracy": round(meta["top3"], 4) if meta.get("top3") is not None else None,
            "top1": round(meta["top1"], 4) if meta.get("top1") is not None else None,
        },
        trained=latest_model(congress_id),
    )


@dataclass
class InUse:
    proposals: int
    chosen: int
    first: int  # the first proposed unit among the chosen lead units
    top3: int  # one of the first three among them
    recent: list[Proposal]

    @property
    def first_rate(self) -> float | None:
        return self.first / self.chosen if self.chosen else None

    @property
    def top3_rate(self) -> float | None:
        return self.top3 / self.chosen if self.chosen else None


def accuracy_in_use(congress_ids: list[int], recent: int = 20) -> InUse:
    """How often the office chose what was proposed (issue 7 point 2, "measured in use")."""
    qs = Proposal.objects.filter(congress_id__in=congress_ids)
    chosen = first = top3 = 0
    for proposed, picked in (
        qs.filter(chosen__isnull=False).values_list("proposed", "chosen").iterator()
    ):
        chosen += 1
        picked = set(picked or ())
        first += bool(proposed[:1] and proposed[0] in picked)
        top3 += bool(picked & set(proposed[:3]))
    latest = list(
        qs.filter(chosen__isnull=False)
        .select_related("suggestion", "chosen_by")
        .order_by("-chosen_at")[:recent]
    )
    return InUse(qs.count(), chosen, first, top3, latest)
