"""Writes to the legal calendar: entering a year's official schedule, setting deadlines."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts.permissions import can_edit_calendar
from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify

from .choices import CalendarSource, PeriodKind
from .models import CalendarYear, Deadline, SpecialDay
from .periods import compute
from .schedule import HolidayPeriod, SwappedWorkday, expand, validate_schedule
from .signals import deadlines_moved
from .table import TableCalendar


@dataclass(frozen=True)
class ScheduleEntered:
    """What entering a schedule did, for the page that tells the administrator."""

    calendar_year: CalendarYear
    changed: bool
    recomputed: int  # deadlines looked at again
    updated: int  # of which something changed (due date or provisional flag)
    moved: int  # of which the due date moved (their watchers were told)


@transaction.atomic
def enter_schedule(
    year: int,
    holidays: Sequence[HolidayPeriod],
    workdays: Sequence[SwappedWorkday],
    *,
    by: Any,
) -> ScheduleEntered:
    """Enter the State Council's schedule for `year` (CALENDAR-UNKNOWN-YEAR): replace the year's
    special days, mark it known, and recompute the deadlines that depend on it.

    Entering the same schedule again changes nothing. Entering a new year recomputes the
    provisional deadlines that reach into it; correcting a year already known recomputes every
    deadline that reaches into it, since any of them may move.
    """
    require(can_edit_calendar(by), _("Only an administrator enters the official calendar."))
    errors = validate_schedule(year, holidays, workdays)
    if errors:
        raise InvalidInput(" ".join(errors))
    rows = expand(holidays, workdays)
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    stored = set(SpecialDay.objects.filter(year=year).values_list("date", "kind", "name"))
    if calendar_year is not None and stored == set(rows):
        return ScheduleEntered(calendar_year, changed=False, recomputed=0, updated=0, moved=0)

    previous_source = calendar_year.source if calendar_year is not None else None
    now = timezone.now()
    try:
        SpecialDay.objects.filter(year=year).delete()
        SpecialDay.objects.bulk_create(
            [SpecialDay(date=day, kind=kind, name=name, year=year) for day, kind, name in rows]
        )
        if calendar_year is None:
            calendar_year = CalendarYear.objects.create(
                year=year, source=CalendarSource.ADMIN, entered_by=by, entered_at=now
            )
    except IntegrityError as exc:
        # Two administrators entering a new year at the same moment: the first one wins.
        raise DomainError(
            _("Someone else saved the schedule for %(year)d just now. Reload and check it.")
            % {"year": year},
            code="concurrent_edit",
        ) from exc
    if previous_source is not None:
        calendar_year.source = CalendarSource.ADMIN
        calendar_year.entered_by = by
        calendar_year.entered_at = now
        calendar_year.revision = uuid.uuid4()  # every process's cache reloads this year
        calendar_year.save(update_fields=["source", "entered_by", "entered_at", "revision"])
    recomputed, updated, moved = recompute_deadlines(
        year, only_provisional=previous_source is None, by=by
    )
    record_event(
        calendar_year,
        "calendar.schedule_entered",
        by=by,
        data={
            "year": year,
            "previous_source": previous_source,
            "holidays": [[p.name, p.first, p.last] for p in holidays],
            "workdays": [[w.date, w.name] for w in workdays],
            "deadlines_recomputed": recomputed,
            "deadlines_updated": updated,
            "deadlines_moved": moved,
        },
    )
    return ScheduleEntered(calendar_year, True, recomputed, updated, moved)


def recompute_deadlines(year: int, *, only_provisional: bool, by: Any) -> tuple[int, int, int]:
    """Recompute the deadlines whose computation reached into `year` (CALENDAR-UNKNOWN-YEAR);
    audit each change and tell the watchers of each deadline that moved.

    Runs inside the caller's transaction. Returns (looked at, changed, moved).
    """
    touching = Deadline.objects.select_for_update().filter(
        start__lte=date(year, 12, 31), due__gte=date(year, 1, 1)
    )
    if only_provisional:
        touching = touching.filter(provisional=True)
    deadlines = list(touching.order_by("pk"))
    calendar = TableCalendar()  # one calendar for the batch: a few queries in all
    changed: list[tuple[Deadline, date]] = []
    for deadline in deadlines:
        result = compute(deadline.kind, deadline.start, deadline.amount, calendar=calendar)
        rules = list(result.rules)
        if (result.due, result.provisional, rules) == (
            deadline.due,
            deadline.provisional,
            deadline.rules,
        ):
            continue
        old_due = deadline.due
        deadline.due, deadline.provisional, deadline.rules = result.due, result.provisional, rules
        deadline.save(update_fields=["due", "provisional", "rules", "updated_at"])
        record_event(
            deadline,
            "deadline.recomputed",
            by=by,
            data={
                "year": year,
                "old_due": old_due,
                "due": deadline.due,
                "provisional": deadline.provisional,
                "rules": rules,
            },
        )
        changed.append((deadline, old_due))
    moved = [(d, old) for d, old in changed if d.due != old]
    if moved:
        deadlines_moved.send(Deadline, deadline_ids=[d.pk for d, _old in moved])
        watchers = _watchers_of([d for d, _old in moved])
        for deadline, old_due in moved:
            notify(
                watchers.get(deadline.pk, []),
                title=_("Deadline moved: %(purpose)s is now due on %(due)s")
                % {"purpose": deadline.purpose, "due": deadline.due.isoformat()},
                body=_(
                    "The official holiday schedule for %(year)d was entered, so this deadline "
                    "was recomputed: it was %(old)s and is now %(due)s%(still)s."
                )
                % {
                    "year": year,
                    "old": old_due.isoformat(),
                    "due": deadline.due.isoformat(),
                    "still": _(" (still provisional)") if deadline.provisional else "",
                },
                url=_owner_url(deadline),
            )
    return len(deadlines), len(changed), len(moved)


def _watchers_of(deadlines: list[Deadline]) -> dict[int, list[Any]]:
    through = Deadline.watchers.through
    out: dict[int, list[Any]] = {}
    for row in through.objects.filter(deadline__in=deadlines).select_related("user"):
        out.setdefault(row.deadline_id, []).append(row.user)
    return out


def _owner_url(deadline: Deadline) -> str:
    try:
        owner = deadline.owner
    except AttributeError:  # an owner type whose model is gone: no link rather than a failure
        return ""
    get_url = getattr(owner, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _owner_key(owner: models.Model | None) -> tuple[ContentType | None, int | None]:
    if owner is None:
        return None, None
    if owner.pk is None:
        raise InvalidInput(_("Save the record before giving it a deadline."))
    return ContentType.objects.get_for_model(owner), owner.pk


@transaction.atomic
def set_deadline(
    *,
    purpose: str,
    start: date,
    kind: str,
    amount: int,
    owner: models.Model | None = None,
    watchers: Iterable[Any] | None = None,
    by: Any = None,
) -> Deadline:
    """Create, or reset, the deadline `purpose` of `owner`: `amount` `kind` after `start`, under
    PERIOD-START, PERIOD-MONTH, PERIOD-REST-DAY, PERIOD-WORKDAYS and CALENDAR-UNKNOWN-YEAR.

    One deadline per (owner, purpose): calling it again (an extension, a new start) updates that
    row. `watchers` (the people told when it moves) replace the current ones when given. The
    calling action has already checked that `by` may do this.
    """
    purpose = (purpose or "").strip()
    if not purpose or len(purpose) > 100:
        raise InvalidInput(_("A deadline needs a purpose of at most 100 characters."))
    if kind not in PeriodKind.values:
        raise InvalidInput(_("A period is counted in days, months or working days."))
    result = compute(kind, start, amount)
    owner_type, owner_id = _owner_key(owner)
    deadline = None
    if owner_id is not None:
        deadline = (
            Deadline.objects.select_for_update()
            .filter(owner_type=owner_type, owner_id=owner_id, purpose=purpose)
            .first()
        )
    verb = "deadline.reset" if deadline is not None else "deadline.set"
    if deadline is None:
        deadline = Deadline(owner_type=owner_type, owner_id=owner_id, purpose=purpose)
    deadline.start, deadline.kind, deadline.amount = start, kind, amount
    deadline.due, deadline.provisional, deadline.rules = (
        result.due,
        result.provisional,
        list(result.rules),
    )
    deadline.save()
    if watchers is not None:
        deadline.watchers.set([w for w in watchers if w is not None])
    record_event(
        deadline,
        verb,
        by=by,
        data={
            "purpose": purpose,
            "owner": f"{owner_type.app_label}.{owner_type.model}:{owner_id}" if owner_type else "",
            "start": start,
            "kind": kind,
            "amount": amount,
            "due": result.due,
            "provisional": result.provisional,
            "rules": list(result.rules),
        },
    )
    return deadline
