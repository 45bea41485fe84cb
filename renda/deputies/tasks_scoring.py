"""Background recomputation of a big congress's scores (DEP-SCORE): load by id, re-check, call
the same action the office's page calls for a small congress."""

from __future__ import annotations

from typing import Any

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from renda.accounts.models import User
from renda.orgs.models import Congress

from .actions.scoring import recompute_scores

TASK_PATH = "renda.deputies.tasks_scoring.recompute_scores_task"


@task()
def recompute_scores_task(*, congress_id: int, year: int, by_id: int | None) -> dict[str, Any]:
    """Recompute one congress-year. Run twice, it computes twice: the result is the same rows
    (an upsert), and each run is one entry in the history."""
    congress = Congress.objects.filter(pk=congress_id).first()
    if congress is None:
        return {"skipped": "no such congress"}
    by = None
    if by_id is not None:
        by = User.objects.filter(pk=by_id, is_active=True).first()
        if by is None:
            return {"skipped": "the person who asked is no longer active"}
    # The action re-checks that `by` may still recompute this congress (a withdrawn role fails).
    scoring = recompute_scores(congress, year, by=by)
    return {"scoring": scoring.pk, "deputies": scoring.deputies}


def pending_recomputes(congress: Congress, year: int | None = None) -> list[DBTaskResult]:
    """Recomputations of this congress waiting in the background queue or running now."""
    qs = DBTaskResult.objects.filter(
        task_path=TASK_PATH,
        status__in=["READY", "RUNNING"],
        args_kwargs__kwargs__congress_id=congress.pk,
    )
    if year is not None:
        qs = qs.filter(args_kwargs__kwargs__year=year)
    return list(qs.order_by("enqueued_at")[:20])
