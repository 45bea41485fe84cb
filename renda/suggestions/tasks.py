"""The daily deadline job (issue 3 point 9): warnings before the answer deadline, overdue
marking and its two escalation steps, co-units' opinion warnings and late marks
(SUG-CO-OPINION), "no feedback" after the rating window, and closing what can close; then the
statistics counters' day moves to today (their "overdue" figures, docs/statistics.md).

Run daily, by cron or a scheduler, either as `python manage.py check_deadlines` or by enqueueing
`run_deadline_checks` for the django-tasks worker (`manage.py db_worker`); both call
`check_deadlines`. Every item is claimed atomically by the action that handles it (see
renda.suggestions.actions.deadlines, and record_no_feedback and close in actions.answers), so
two workers running at once never send anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import task

from .actions.answers import RATEABLE, close_if_ready, record_no_feedback
from .actions.deadlines import (
    CO_OPINION_STATES,
    escalate_overdue,
    mark_co_opinion_late,
    mark_overdue,
    send_co_opinion_warning,
    send_deadline_warning,
)
from .choices import AssignmentState, State, UnitRole
from .facts import roll_counter_day
from .models import Answer, Assignment, JointRating, Merge, Suggestion

logger = logging.getLogger(__name__)

# Days before an answer (or co-unit opinion) deadline on which the unit is warned, and days an
# answer stays overdue before the second escalation step: settings, not rules of law.
DEFAULT_WARNING_DAYS = (15, 3)
DEFAULT_ESCALATION_DAYS = 15
# States in which a lead unit is still expected to answer.
HANDLING = (State.ASSIGNED, State.REASSIGNING, State.REHANDLING)


@dataclass
class DeadlineRun:
    """What one run did (the command prints it; the task returns it)."""

    warned: int = 0
    overdue: int = 0
    escalated: int = 0
    co_warned: int = 0
    co_late: int = 0
    no_feedback: int = 0
    closed: int = 0
    failed: int = 0


def warning_days() -> tuple[int, ...]:
    """SUGGESTION_WARNING_DAYS from the settings, e.g. (15, 3): positive whole days."""
    raw = getattr(settings, "SUGGESTION_WARNING_DAYS", DEFAULT_WARNING_DAYS)
    return tuple(sorted({int(d) for d in raw if int(d) > 0}, reverse=True))


def escalation_days() -> int | None:
    """SUGGESTION_ESCALATION_DAYS: days after an answer was marked overdue on which it is
    escalated a second time (default 15); None or 0 turns the second step off."""
    raw = getattr(settings, "SUGGESTION_ESCALATION_DAYS", DEFAULT_ESCALATION_DAYS)
    return int(raw) if raw and int(raw) > 0 else None


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
            # The nearest warning not yet passed: a day the job missed still gets its warning.
            step = _step(days, (due - today).days)
            _attempt(run, "warned", send_deadline_warning, pk, step, today=today)
    overdue = active.filter(answer_deadline__due__lt=today, overdue_since__isnull=True)
    for pk in overdue.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "overdue", mark_overdue, pk, today=today)
    after = escalation_days()
    if after:
        stale = active.filter(
            overdue_since__lte=today - timedelta(days=after), escalated_at__isnull=True
        )
        for pk in stale.order_by("pk").values_list("pk", flat=True):
            _attempt(run, "escalated", escalate_overdue, pk, after_days=after, today=today)
    _co_opinions(run, today, days)
    # An answer's window passed without the lead deputy's rating, or (joint handling) without
    # the rating of the deputy of a suggestion merged into this one.
    unrated_merge = Merge.objects.filter(into_id=OuterRef("assignment__suggestion_id")).exclude(
        Exists(
            JointRating.objects.filter(
                answer_id=OuterRef(OuterRef("pk")), suggestion_id=OuterRef("suggestion_id")
            )
        )
    )
    # Not a first answer sent back (SUG-REHANDLE) and answered again: the later one is to rate.
    superseded = Answer.objects.filter(
        assignment_id=OuterRef("assignment_id"), round__gt=OuterRef("round")
    )
    expired = Answer.objects.filter(
        Q(evaluation__isnull=True) | Exists(unrated_merge),
        feedback_deadline__due__lt=today,
        assignment__state=AssignmentState.ANSWERED,
        assignment__suggestion__state__in=RATEABLE,
    ).exclude(Exists(superseded))
    for pk in expired.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "no_feedback", record_no_feedback, pk, today=today)
    # record_no_feedback closes a suggestion whose last rating it was; this catches the rest
    # (e.g. one left `evaluated` by an earlier failure).
    waiting = Suggestion.objects.filter(state=State.EVALUATED)
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "closed", close_if_ready, pk, today=today)
    # The statistics counters' "overdue" figures move to today (facts.roll_counter_day): the
    # statistics then add only what fell due since, not every overdue assignment.
    try:
        roll_counter_day(today)
    except Exception:
        logger.exception("deadline job: rolling the statistics counters to %s failed", today)
        run.failed += 1
    return run


def _step(days: tuple[int, ...], left: int) -> int:
    return min(d for d in days if left <= d)


def _co_opinions(run: DeadlineRun, today: date, days: tuple[int, ...]) -> None:
    """SUG-CO-OPINION: co-units that have not sent their opinion are warned before it is due
    (the same warning days) and marked late the day after; the lead unit is told."""
    waiting = Assignment.objects.filter(
        role=UnitRole.CO,
        state=AssignmentState.ACTIVE,
        suggestion__state__in=CO_OPINION_STATES,
        co_opinion_deadline__isnull=False,
    )
    if days:
        soon = waiting.filter(
            co_opinion_deadline__due__gte=today,
            co_opinion_deadline__due__lte=today + timedelta(days=max(days)),
        ).values_list("pk", "co_opinion_deadline__due")
        for pk, due in soon.order_by("pk"):
            step = _step(days, (due - today).days)
            _attempt(run, "co_warned", send_co_opinion_warning, pk, step, today=today)
    late = waiting.filter(co_opinion_deadline__due__lt=today, overdue_since__isnull=True)
    for pk in late.order_by("pk").values_list("pk", flat=True):
        _attempt(run, "co_late", mark_co_opinion_late, pk, today=today)


@task()
def run_deadline_checks() -> dict[str, int]:
    """The daily deadline job as a background task (django-tasks)."""
    return asdict(check_deadlines())
