"""Duty records for the scoring tests, written straight into the table (what made them — an
activity, a suggestion — is the business of the other parts' tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from renda.deputies import tallies
from renda.deputies.models import Deputyship, DutyRecord


def add_records(deputyship: Deputyship, kind: str, n: int, *, year: int, month: int = 3) -> None:
    DutyRecord.objects.bulk_create(
        DutyRecord(
            deputyship=deputyship,
            kind=kind,
            occurred_on=date(year, month, 1 + i % 28),
            year=year,
            title=f"{kind} {i}",
            source="manual",
        )
        for i in range(n)
    )
    tallies.rebuild([deputyship.pk])


def deputyship_of(world: Any, username: str) -> Deputyship:
    return Deputyship.objects.select_related("congress", "person").get(person__user=world[username])
