"""Every write of the routing app: importing an archive, recording a training, recording the
proposal shown and the office's choice beside it. Each is one transaction with its audit event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from renda.audit.actions import record_event
from renda.errors import InvalidInput
from renda.orgs.models import Congress, HandlingUnit
from renda.suggestions.models import BODY_MAX, TITLE_MAX, Suggestion

from . import history
from .models import PastSuggestion, Proposal, TrainedModel
from .training import Training, train

BATCH = 2000
SHOWN_LINES = 20


@dataclass
class ImportResult:
    rows: int = 0
    added: int = 0
    already: int = 0  # the same row imported before (or twice in the file)
    unmatched: Counter[str] = field(default_factory=Counter)  # unit name → rows not loaded
    created_units: list[str] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)  # lines without a title or unit


@transaction.atomic
def import_history(
    congress: Congress,
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    create_units: bool = False,
    by: Any = None,
) -> ImportResult:
    """Past suggestions from a CSV/Excel archive as closed records with their lead unit (issue 7
    point 3). All or nothing: a bad year anywhere loads nothing. Rows whose unit matches no
    registry unit are reported and not loaded (unless `create_units`). Rows already imported
    (same year, title and unit) are skipped, so re-importing a file adds nothing twice."""
    last_year = timezone.localdate().year
    units = dict(HandlingUnit.objects.filter(congress=congress).values_list("name", "pk"))
    matcher = history.UnitMatcher(units)
    result = ImportResult()
    bad_years: list[int] = []
    seen: set[str] = set()
    batch: list[PastSuggestion] = []

    def flush() -> None:
        keys = [p.key for p in batch]
        existing = set(
            PastSuggestion.objects.filter(congress=congress, key__in=keys).values_list(
                "key", flat=True
            )
        )
        new = [p for p in batch if p.key not in existing]
        PastSuggestion.objects.bulk_create(new, batch_size=BATCH)
        result.added += len(new)
        result.already += len(batch) - len(new)
        batch.clear()

    for row in history.rows(path, mapping):
        result.rows += 1
        year = history.parse_year(row.year, last_year)
        if year is None:
            bad_years.append(row.line)
            continue
        if not row.title or not row.unit:
            result.empty.append(row.line)
            continue
        unit = matcher.match(row.unit)
        if unit is None and create_units:
            created = HandlingUnit.objects.create(congress=congress, name=row.unit.strip()[:100])
            record_event(
                created,
                "unit.created",
                by=by,
                data={"name": created.name, "kind": created.kind, "via": "import_history"},
            )
            matcher.add(created.name, created.pk)
            result.created_units.append(created.name)
            unit = created.pk
        if unit is None:
            result.unmatched[row.unit] += 1
            continue
        key = history.row_key(year, row.title, str(unit))
        if key in seen:
            result.already += 1
            continue
        seen.add(key)
        batch.append(
            PastSuggestion(
                congress=congress,
                year=year,
                title=row.title[:TITLE_MAX],
                body=row.body[:BODY_MAX],
                lead_unit_id=unit,
                key=key,
                source=path.name[:200],
            )
        )
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    if bad_years:
        lines = ", ".join(str(n) for n in bad_years[:SHOWN_LINES])
        more = f" (and {len(bad_years) - SHOWN_LINES} more)" if len(bad_years) > SHOWN_LINES else ""
        raise InvalidInput(
            f"Not a year ({history.FIRST_YEAR}–{last_year}) on line(s) {lines}{more}: "
            "nothing was imported. Correct the file and import it again."
        )
    record_event(
        congress,
        "routing.history_imported",
        by=by,
        data={
            "file": path.name,
            "rows": result.rows,
            "added": result.added,
            "already": result.already,
            "unmatched": sum(result.unmatched.values()),
            "created_units": len(result.created_units),
        },
    )
    return result


def train_model(congress: Congress, *, by: Any = None) -> Training:
    """Train the congress's proposal model (CPU-bound, outside any transaction), then record it
    with its audit event in one transaction."""
    result = train(congress)
    if result.trained is not None:
        with transaction.atomic():
            result.trained.save()
            record_event(
                congress,
                "routing.model_trained",
                by=by,
                data={
                    "samples": result.samples,
                    "units": result.units,
                    "top1": round(result.trained.top1 or 0, 4),
                    "top3": round(result.trained.top3 or 0, 4),
                },
            )
    return result


def record_proposal(
    suggestion: Suggestion,
    *,
    units: Sequence[int],
    scores: Sequence[float],
    model: TrainedModel | None,
) -> Proposal | None:
    """Keep what was proposed for a suggestion still to be assigned (the latest proposal
    counts). Not audited: no state changes, it is the measurement's first half."""
    if not units:
        return None
    proposal, _created = Proposal.objects.update_or_create(
        suggestion=suggestion,
        defaults={
            "congress_id": suggestion.congress_id,
            "model": model,
            "proposed": list(units),
            "scores": [round(float(s), 4) for s in scores],
            "proposed_at": timezone.now(),
            "chosen": None,
            "chosen_at": None,
            "chosen_by": None,
        },
    )
    return proposal


def record_choice(suggestion: Suggestion, *, lead_units: Sequence[int], by: Any) -> bool:
    """The office's final lead units beside the proposal it was shown (called by the assign
    action, inside its transaction). False when no proposal was shown."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_choice runs inside the assignment's transaction")
    proposal = (
        Proposal.objects.select_for_update()
        .filter(suggestion=suggestion, chosen__isnull=True)
        .first()
    )
    if proposal is None:
        return False
    proposal.chosen = [int(u) for u in lead_units]
    proposal.chosen_at = timezone.now()
    proposal.chosen_by = by if getattr(by, "pk", None) else None
    proposal.save(update_fields=["chosen", "chosen_at", "chosen_by"])
    first = proposal.proposed[0] if proposal.proposed else None
    record_event(
        suggestion,
        "routing.choice_recorded",
        by=by,
        data={
            "proposed": proposal.proposed,
            "chosen": proposal.chosen,
            "first_taken": first in proposal.chosen,
        },
    )
    return True
