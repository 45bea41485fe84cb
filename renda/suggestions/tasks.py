"""The daily deadline job (issue 3 point 9): warnings before the answer deadline, overdue
marking and escalation, "no feedback" after the rating window, and closing what can close.

Run daily, by cron or a scheduler, either as `python manage.py check_deadlines` or by enqueueing
`run_deadline_checks` for the django-tasks worker (`manage.py db_worker`); both call
`check_deadlines`. Every item is claimed atomically by the action that handles it (see
renda.suggestions.actions.answers: send_deadline_warning, mark_overdue, record_no_feedback,
close), so two workers running at once never send anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .actions.answers import (
    RATEABLE,
    close_if_ready,
    mark_overdue,
    record_no_feedback,
    send_deadline_warning,
)
from .choices import AssignmentState, State, UnitRole
from .models import Answer, Assignment, Suggestion

logger = logging.getLogger(__name__)

# Days before an answer deadline on which the unit is warned (a setting, not a rule of law).
DEFAULT_WARNING_DAYS = (15, 3)
# States in which a lead unit is still expected to answer.
HANDLING = (State.ASSIGNED, State.REASSIGNING, State.REHANDLING)


@dataclass
class DeadlineRun:
    """What one run did (the command prints it; the task returns it)."""

    warned: int = 0
    overdue: int = 0
    no_feedback: int = 0
    closed: int = 0
    failed: int = 0


def warning_days() -> tuple[int, ...]:
    """SUGGESTION_WARNING_DAYS from the settings, e.g. (15, 3): positive whole days."""
    raw = getattr(settings, "SUGGESTION_WARNING_DAYS", DEFAULT_WARNING_DAYS)
    return tuple(sorted({int(d) for d in raw if int(d) > 0}, reverse=True))


def _attempt(run: DeadlineRun, field: str, step: Any, *args: Any, **kwargs: Any) -> None:
    """One item, one transaction: a failure is logged and counted, the others go on."""
    try:
        done = step(*args, **kwargs)
    except Exception:
        logger.exception("deadline job: %s%r failed", getattr(step, "__name__", step), args)
        run.failed += 1
        return
    if done:
        setattr(run, field, getattr(run, field) + 1)


def check_deadlines(today: date | None = None) -> DeadlineRun:
    """One pass over every congress's open items (SUG-DEADLINE, SUG-FEEDBACK)."""
    today = today or timezone.localdate()
    run = DeadlineRun()
    active = Assignment.objects.filter(
        role=UnitRole.LEAD,
        state=AssignmentState.ACTIVE,
        suggestion__state__in=HANDLING,
        answer_deadline__isnull=False,
    )
    days = warning_days()
    if days:
        soon = active.filter(
            answer_deadline__due__gte=today,
            answer_deadline__due__lte=today + timedelta(days=max(days)),
        ).values_list("pk", "answer_deadline__due")
        for pk, due in soon.order_by("pk"):
            left = (due - today).days
            # The nearest warning not yet passed: a day the job missed still gets its warning.
            step = min(d for d in days if left <= d)
            _attempt(run, "warned", send_deadline_warning, pk, step, today=today)
    overdue = active.filter(answer_deadline__due__lt=today, overdue_since__isnull=True)
    for pk in overdue.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "overdue", mark_overdue, pk, today=today)
    expired = Answer.objects.filter(
        evaluation__isnull=True,
        feedback_deadline__due__lt=today,
        assignment__state=AssignmentState.ANSWERED,
        assignment__suggestion__state__in=RATEABLE,
    )
    for pk in expired.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "no_feedback", record_no_feedback, pk, today=today)
    # record_no_feedback closes a suggestion whose last rating it was; this catches the rest
    # (e.g. one left `evaluated` by an earlier failure).
    waiting = Suggestion.objects.filter(state=State.EVALUATED)
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "closed", close_if_ready, pk, today=today)
    return run


@task()
def run_deadline_checks() -> dict[str, int]:
    """The daily deadline job as a background task (django-tasks)."""
    return asdict(check_deadlines())
