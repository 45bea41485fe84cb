"""Duty records (履职登记): written by the platform where the duty happened (a suggestion
submitted), by an activity's confirmed attendance, or by the office. A record names what made it
(`source_ref`), so a replayed event records the duty once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from .. import tallies
from ..choices import DeputyshipStatus, DutySource
from ..models import Activity, Deputyship, DutyRecord


def record_duty(
    deputyship: Deputyship,
    *,
    kind: str,
    occurred_on: date,
    title: str,
    source: str,
    source_ref: str = "",
    activity: Activity | None = None,
    by: Any = None,
) -> DutyRecord | None:
    """Write one duty record; None if `source_ref` was already recorded for this deputy.

    Runs inside the caller's transaction (its audit event covers the record), and counts the
    record in the deputyship's tally (`tallies.py`) in the same savepoint. The savepoint keeps a
    duplicate from breaking the caller's transaction on PostgreSQL."""
    if (
        source_ref
        and DutyRecord.objects.filter(deputyship=deputyship, source_ref=source_ref).exists()
    ):
        return None
    try:
        with transaction.atomic():
            record = DutyRecord.objects.create(
                deputyship=deputyship,
                kind=kind,
                occurred_on=occurred_on,
                year=occurred_on.year,
                title=title[:200],
                source=source,
                source_ref=source_ref,
                activity=activity,
                created_by=by if getattr(by, "pk", None) else None,
            )
            tallies.add(deputyship, kind, occurred_on.year)
            return record
    except IntegrityError:
        return None  # recorded by a concurrent replay of the same event


def deputyship_on(user_id: int, congress_id: int, on: date) -> Deputyship | None:
    """The person's active deputyship in that congress in the term that covers the date."""
    return (
        Deputyship.objects.filter(
            person__user_id=user_id,
            congress_id=congress_id,
            status=DeputyshipStatus.ACTIVE,
            term__start_date__lte=on,
        )
        .order_by("-term__start_date")
        .first()
    )


def record_platform_duty(
    *, user_id: int, congress_id: int, kind: str, occurred_on: date, title: str, ref: str
) -> DutyRecord | None:
    """A duty the platform saw happen (e.g. a suggestion submitted: kind `suggestion`). Nothing
    is recorded for someone with no active deputyship there (e.g. an account set up before the
    registry)."""
    deputyship = deputyship_on(user_id, congress_id, occurred_on)
    if deputyship is None:
        return None
    return record_duty(
        deputyship,
        kind=kind,
        occurred_on=occurred_on,
        title=title,
        source=DutySource.PLATFORM,
        source_ref=ref,
    )
