"""The opinions' daily deadline job (issue 5 point 4; OP-DEADLINE): the referred units are
warned before their answer is due (the congress profile's `opinion_warning_days`), overdue
referrals are marked and escalated to the unit's head, the station and the office.

Run daily, by cron or a scheduler, either as `python manage.py check_opinion_deadlines` or by
enqueueing `run_opinion_deadline_checks` for the django-tasks worker (`manage.py db_worker`);
both call `check_opinion_deadlines`. Every referral is claimed atomically by the step that
handles it (renda.opinions.actions.deadlines), so two workers at once never send twice.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from renda.orgs.models import Congress
from renda.rules.profiles import profile_for

from .actions.deadlines import escalate_referral, mark_referral_overdue, send_referral_warning
from .choices import OpinionState, ReferralState
from .models import Referral

logger = logging.getLogger(__name__)


@dataclass
class OpinionDeadlineRun:
    """What one run did (the command prints it; the task returns it)."""

    warned: int = 0
    overdue: int = 0
    escalated: int = 0
    failed: int = 0


def _attempt(run: OpinionDeadlineRun, field: str, step: Any, *args: Any, **kwargs: Any) -> None:
    """One referral, one transaction: a failure is logged and counted, the others go on."""
    try:
        done = step(*args, **kwargs)
    except Exception:
        logger.exception("opinion deadline job: %s%r failed", getattr(step, "__name__", step), args)
        run.failed += 1
        return
    if done:
        setattr(run, field, getattr(run, field) + 1)


def _warning_days(congress: Congress) -> tuple[int, ...]:
    days = profile_for(congress).opinion_warning_days
    return tuple(sorted({int(d) for d in days if int(d) > 0}, reverse=True))


def check_opinion_deadlines(today: date | None = None) -> OpinionDeadlineRun:
    """One pass over every congress's active referrals."""
    today = today or timezone.localdate()
    run = OpinionDeadlineRun()
    active = Referral.objects.filter(
        state=ReferralState.ACTIVE, opinion__state=OpinionState.REFERRED, due__isnull=False
    )
    # Warnings: each congress's own warning days (its rule profile).
    by_congress: dict[int, tuple[int, ...]] = {
        c.pk: _warning_days(c)
        for c in Congress.objects.filter(pk__in=active.values("opinion__congress_id").distinct())
    }
    horizon = max((max(d) for d in by_congress.values() if d), default=0)
    if horizon:
        soon = active.filter(due__gte=today, due__lte=today + timedelta(days=horizon))
        rows = soon.order_by("pk").values_list("pk", "due", "opinion__congress_id", "warned_days")
        for pk, due, congress_id, warned in rows:
            days = by_congress.get(congress_id) or ()
            left = (due - today).days
            candidates = [d for d in days if left <= d]
            if not candidates:
                continue
            # The nearest warning not yet passed: a day the job missed still gets its warning.
            step = min(candidates)
            if warned is not None and warned <= step:
                continue
            _attempt(run, "warned", send_referral_warning, pk, step, today=today)
    overdue = active.filter(due__lt=today, overdue_since__isnull=True)
    for pk in overdue.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "overdue", mark_referral_overdue, pk, today=today)
    stale = active.filter(overdue_since__isnull=False, escalated_at__isnull=True)
    for pk in stale.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "escalated", escalate_referral, pk, today=today)
    return run


@task()
def run_opinion_deadline_checks() -> dict[str, int]:
    """The opinions' daily deadline job as a background task (django-tasks)."""
    return asdict(check_opinion_deadlines())
