"""Duty records the office enters by hand (履职登记): a duty done off the platform (a meeting
attended before the platform was used, an inspection no one checked in to). Only records entered
by hand can be removed, with a reason, by the office; those the platform made (a suggestion
submitted, an activity's closed attendance) stand as they are."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.actions import record_event
from renda.errors import DomainError, InvalidInput, require
from renda.notifications.actions import notify

from .. import tallies
from ..choices import DutyKind, DutySource
from ..models import Deputyship, DutyRecord
from ..permissions_activities import MANUAL_KINDS, can_record_duties
from .activities import NOTE_MAX, TITLE_MAX, clean_text
from .duties import record_duty


def _clean_day(deputyship: Deputyship, occurred_on: Any) -> date:
    """Not in the future, and within the deputyship's term."""
    if not isinstance(occurred_on, date):
        raise InvalidInput("occurred_on: " + _("a date (YYYY-MM-DD) is needed."))
    if occurred_on > timezone.localdate():
        raise InvalidInput("occurred_on: " + _("cannot be in the future."))
    term = deputyship.term
    if occurred_on < term.start_date or (term.end_date and occurred_on > term.end_date):
        raise InvalidInput(
            "occurred_on: "
            + _("must fall within the deputy's term (%(start)s to %(end)s).")
            % {"start": term.start_date, "end": term.end_date or "…"}
        )
    return occurred_on


def my_duties_url() -> str:
    return reverse("deputies:my_duties")


@transaction.atomic
def record_manual_duty(
    deputyship: Deputyship,
    *,
    kind: str,
    occurred_on: date,
    title: str,
    note: str = "",
    by: Any,
) -> DutyRecord:
    """The congress's office records a duty for one of its deputies; the deputy is told."""
    deputyship = (
        Deputyship.objects.select_for_update()
        .select_related("term", "person__user", "congress")
        .get(pk=deputyship.pk)
    )
    require(
        can_record_duties(by, deputyship.congress_id),
        _("Only the congress's deputy-affairs office enters duty records by hand."),
    )
    if kind not in MANUAL_KINDS:
        raise InvalidInput(
            "kind: "
            + _("one of: %(kinds)s (suggestions and motions are recorded when submitted).")
            % {"kinds": ", ".join(MANUAL_KINDS)}
        )
    day = _clean_day(deputyship, occurred_on)
    title = clean_text("title", title, max_length=TITLE_MAX, required=True)
    note = clean_text("note", note, max_length=NOTE_MAX)
    record = record_duty(
        deputyship,
        kind=kind,
        occurred_on=day,
        title=title,
        source=DutySource.MANUAL,
        by=by,
    )
    assert record is not None  # noqa: S101 - no source_ref: never a duplicate
    if note:
        record.note = note
        record.save(update_fields=["note"])
    record_event(
        deputyship,
        "duty.recorded",
        by=by,
        data={"record": record.pk, "kind": kind, "occurred_on": day, "title": title},
    )
    notify(
        [deputyship.person.user],
        title=_("Duty recorded by the office: %(kind)s, %(title)s")
        % {"kind": DutyKind(kind).label, "title": title},
        body=note,
        url=my_duties_url(),
    )
    return record


@transaction.atomic
def remove_manual_duty(record: DutyRecord, *, reason: str, by: Any) -> None:
    """The office removes a record it entered by hand, saying why (the history keeps what it
    was); records the platform made are not editable."""
    record = (
        DutyRecord.objects.select_for_update()
        .select_related("deputyship__person__user")
        .get(pk=record.pk)
    )
    deputyship = record.deputyship
    require(
        can_record_duties(by, deputyship.congress_id),
        _("Only the congress's deputy-affairs office removes duty records."),
    )
    if record.source != DutySource.MANUAL:
        raise DomainError(
            _("This record was made by the platform (%(source)s) and cannot be removed.")
            % {"source": record.get_source_display()},
            code="not_manual",
        )
    reason = clean_text("reason", reason, max_length=NOTE_MAX, required=True)
    record_event(
        deputyship,
        "duty.removed",
        by=by,
        data={
            "record": record.pk,
            "kind": record.kind,
            "occurred_on": record.occurred_on,
            "title": record.title,
            "note": record.note,
            "reason": reason,
        },
    )
    notify(
        [deputyship.person.user],
        title=_("Duty record removed by the office: %(title)s") % {"title": record.title},
        body=reason,
        url=my_duties_url(),
    )
    record.delete()
    tallies.remove(deputyship.pk, record.kind, record.year)
