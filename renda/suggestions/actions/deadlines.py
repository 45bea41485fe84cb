"""The deadline job's steps (issue 3 point 9): warnings before a deadline, overdue marking and
its two escalation steps, co-units' opinion warnings and late marks (SUG-DEADLINE,
SUG-CO-OPINION).

Each step handles one assignment in its own transaction and **claims** it with a
compare-and-swap `UPDATE … WHERE <not yet done>` on the assignment row itself
(`warned_days`, `overdue_since`, `escalated_at`): only the worker whose update changed the row
records the audit event and sends the notifications, so two workers never send twice. The row
is locked and re-read first, so a deadline reset meanwhile (SUG-REHANDLE) is seen. (A filter
through the deadline join would make Django update `WHERE id IN (subquery)`, which PostgreSQL
does not re-check against a row a concurrent worker just changed: every claim filters on the
row's own columns only.)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.choices import Role
from renda.audit.actions import record_event
from renda.notifications.actions import notify
from renda.orgs.choices import UnitKind

from ..choices import AssignmentState, State, UnitRole
from ..models import Assignment, KeySuggestion, Suggestion
from ..queries import office_staff, unit_heads, unit_staff
from .answers import label_of, suggestion_url

WARNING_VERB = "suggestion.deadline_warning"
CO_WARNING_VERB = "suggestion.co_opinion_warning"
# A co-unit's opinion is still expected while the lead unit handles the suggestion.
CO_OPINION_STATES = (State.ASSIGNED, State.REASSIGNING, State.REHANDLING)


def _today() -> date:
    return timezone.localdate()


def _unit_people(unit_id: int) -> list[Any]:
    return unit_staff([unit_id]).get(unit_id, [])


def _lock_active(assignment_pk: int, role: str) -> Assignment | None:
    """The still-handling assignment of that role, locked for the job's claim."""
    return (
        # FOR UPDATE OF the assignment only: PostgreSQL refuses to lock the nullable side of
        # the outer joins to the deadlines.
        Assignment.objects.select_for_update(of=("self",))
        .select_related("answer_deadline", "co_opinion_deadline", "unit", "suggestion")
        .filter(pk=assignment_pk, state=AssignmentState.ACTIVE, role=role)
        .first()
    )


def _claim(assignment_pk: int, when: Q, **values: Any) -> bool:
    """Compare-and-swap on the row's own columns: True only for the worker that changed it."""
    return bool(Assignment.objects.filter(Q(pk=assignment_pk) & when).update(**values))


def _claim_warning(assignment_pk: int, days: int) -> bool:
    """A "due in `days` days" warning goes out once per deadline: `warned_days` only goes down
    (nothing sent yet, or only a warning further ahead)."""
    return _claim(
        assignment_pk, Q(warned_days__isnull=True) | Q(warned_days__gt=days), warned_days=days
    )


def supervisors_of(suggestion: Suggestion, unit: Any) -> list[Any]:
    """Who supervises the handling beyond the unit and the deputy-affairs office (point 9):
    the government supervision office (政府督查室) of the congress when the unit is a government
    unit (it supervises the government's handling, DOMAIN.md §1), and for a key suggestion
    (SUG-KEY) its supervising leader and, when a committee supervises it, the congress's
    committee staff (the committee is recorded by name, not as people)."""
    people: list[Any] = []
    if unit.kind == UnitKind.GOVERNMENT:
        people += office_staff(suggestion.congress_id, Role.GOV_SUPERVISOR)
    key = KeySuggestion.objects.filter(suggestion=suggestion).select_related("supervisor").first()
    if key is not None:
        if key.supervisor_id and key.supervisor.is_active:
            people.append(key.supervisor)
        if key.committee:
            people += office_staff(suggestion.congress_id, Role.COMMITTEE)
    return people


def _warn(assignment: Any, due: date, days: int, today: date, verb: str, title: Any) -> bool:
    """One deadline warning (`days` before `due`) to the assignment's unit, claimed with
    `warned_days` so two workers never both send it; returns whether this call sent it.
    `title` is a translated format string with %(label)s, %(left)d and %(due)s."""
    left = (due - today).days
    if left < 0 or left > days or not _claim_warning(assignment.pk, days):
        return False
    suggestion = assignment.suggestion
    record_event(
        assignment, verb, data={"days": days, "due": due, "left": left, "suggestion": suggestion.pk}
    )
    notify(
        _unit_people(assignment.unit_id),
        title=str(title) % {"label": label_of(suggestion), "left": left, "due": due.isoformat()},
        url=suggestion_url(suggestion),
    )
    return True


# --- Lead units' answers (SUG-DEADLINE) ----------------------------------------------------
@transaction.atomic
def send_deadline_warning(assignment_pk: int, days: int, *, today: date | None = None) -> bool:
    """Warn the unit that its answer is due within `days` days (SUG-DEADLINE, point 9). Claimed
    with `warned_days`; returns whether this call sent the warning."""
    today = today or _today()
    assignment = _lock_active(assignment_pk, UnitRole.LEAD)
    if assignment is None or assignment.answer_deadline is None:
        return False
    return _warn(
        assignment,
        assignment.answer_deadline.due,
        days,
        today,
        WARNING_VERB,
        _("Answer to %(label)s due in %(left)d days (%(due)s)"),
    )


@transaction.atomic
def mark_overdue(assignment_pk: int, *, today: date | None = None) -> bool:
    """Mark a lead unit's answer overdue and escalate (point 9): the unit's clerks and heads,
    the deputy-affairs office, the government supervision office (for a government unit) and a
    key suggestion's supervisors are told once. Claimed with `overdue_since`."""
    today = today or _today()
    assignment = _lock_active(assignment_pk, UnitRole.LEAD)
    if assignment is None or assignment.answer_deadline is None:
        return False
    due = assignment.answer_deadline.due
    if due >= today or not _claim(
        assignment_pk, Q(overdue_since__isnull=True), overdue_since=today
    ):
        return False
    suggestion = assignment.suggestion
    record_event(assignment, "suggestion.overdue", data={"due": due, "suggestion": suggestion.pk})
    title = _("Overdue: %(unit)s has not answered %(label)s (due %(due)s)") % {
        "unit": assignment.unit.name,
        "label": label_of(suggestion),
        "due": due.isoformat(),
    }
    recipients: list[Any] = [
        *_unit_people(assignment.unit_id),
        *office_staff(suggestion.congress_id),
        *supervisors_of(suggestion, assignment.unit),
    ]
    notify(recipients, title=title, url=suggestion_url(suggestion))
    return True


@transaction.atomic
def escalate_overdue(assignment_pk: int, *, after_days: int, today: date | None = None) -> bool:
    """The second escalation step (point 9): an answer still overdue `after_days` days after it
    was marked (the setting SUGGESTION_ESCALATION_DAYS) goes to the unit's head (一把手) by
    name, the deputy-affairs office, the government supervision office (government units) and
    a key suggestion's supervisors, once. Claimed with `escalated_at`."""
    today = today or _today()
    assignment = _lock_active(assignment_pk, UnitRole.LEAD)
    if assignment is None or assignment.answer_deadline is None:
        return False
    since = assignment.overdue_since
    if since is None or (today - since).days < after_days:
        return False
    if not _claim(
        assignment_pk,
        Q(escalated_at__isnull=True, overdue_since=since),
        escalated_at=today,
    ):
        return False
    suggestion = assignment.suggestion
    due = assignment.answer_deadline.due
    late_days = (today - due).days
    record_event(
        assignment,
        "suggestion.overdue_escalated",
        data={
            "due": due,
            "overdue_since": since,
            "days_late": late_days,
            "suggestion": suggestion.pk,
        },
    )
    title = _("Still not answered %(days)d days after the deadline: %(unit)s, %(label)s") % {
        "days": late_days,
        "unit": assignment.unit.name,
        "label": label_of(suggestion),
    }
    body = _(
        "The answer was due on %(due)s and has been overdue since %(since)s. The unit's head "
        "is asked to see that it is answered without further delay."
    ) % {"due": due.isoformat(), "since": since.isoformat()}
    recipients: list[Any] = [
        *unit_heads(assignment.unit_id),
        *office_staff(suggestion.congress_id),
        *supervisors_of(suggestion, assignment.unit),
    ]
    notify(recipients, title=title, body=body, url=suggestion_url(suggestion))
    return True


# --- Co-units' opinions (SUG-CO-OPINION) -------------------------------------------------
def _lock_waiting_co(assignment_pk: int) -> Assignment | None:
    """A co-unit that has not sent its opinion (its assignment is still active) on a suggestion
    still being handled, locked."""
    assignment = _lock_active(assignment_pk, UnitRole.CO)
    if (
        assignment is None
        or assignment.co_opinion_deadline is None
        or assignment.suggestion.state not in CO_OPINION_STATES
    ):
        return None
    return assignment


@transaction.atomic
def send_co_opinion_warning(assignment_pk: int, days: int, *, today: date | None = None) -> bool:
    """SUG-CO-OPINION: warn a co-unit that its opinion to the lead unit is due within `days`
    days (the same warning days as answers). Claimed with `warned_days`."""
    today = today or _today()
    assignment = _lock_waiting_co(assignment_pk)
    if assignment is None:
        return False
    assert assignment.co_opinion_deadline is not None
    return _warn(
        assignment,
        assignment.co_opinion_deadline.due,
        days,
        today,
        CO_WARNING_VERB,
        _("Your opinion on %(label)s is due to the lead unit in %(left)d days (%(due)s)"),
    )


@transaction.atomic
def mark_co_opinion_late(assignment_pk: int, *, today: date | None = None) -> bool:
    """SUG-CO-OPINION: the day after a co-unit's opinion was due, mark it late
    (`overdue_since` on the co-unit's assignment) and tell the lead unit(s) and the co-unit,
    once. The opinion is still taken afterwards, marked late (send_co_opinion)."""
    today = today or _today()
    assignment = _lock_waiting_co(assignment_pk)
    if assignment is None:
        return False
    assert assignment.co_opinion_deadline is not None
    due = assignment.co_opinion_deadline.due
    if due >= today or not _claim(
        assignment_pk, Q(overdue_since__isnull=True), overdue_since=today
    ):
        return False
    suggestion = assignment.suggestion
    record_event(
        assignment,
        "suggestion.co_opinion_late",
        data={"due": due, "unit": assignment.unit_id, "suggestion": suggestion.pk},
    )
    lead_units = list(
        suggestion.assignments.filter(role=UnitRole.LEAD, state=AssignmentState.ACTIVE)
        .order_by("id")
        .values_list("unit_id", flat=True)
    )
    staff = unit_staff([*lead_units, assignment.unit_id])
    recipients = [p for unit_id in lead_units for p in staff.get(unit_id, [])]
    recipients += staff.get(assignment.unit_id, [])
    notify(
        recipients,
        title=_("Late: %(unit)s has not sent its opinion on %(label)s (due %(due)s)")
        % {"unit": assignment.unit.name, "label": label_of(suggestion), "due": due.isoformat()},
        url=suggestion_url(suggestion),
    )
    return True
