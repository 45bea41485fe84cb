"""Reading the audit trail: an object's history, and verification of the whole chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .chain import GENESIS_HASH, chain_hash, content_of
from .models import AuditChainHead, AuditEvent


def history_of(obj: models.Model, limit: int = 200) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first (shown on each object's page)."""
    return (
        AuditEvent.objects.filter(
            object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("-seq")[:limit]
    )


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return (events checked, first break or None).

    Detects a changed event (its content no longer hashes to its stored hash), a removed event
    (a gap in seq, or a prev_hash that is not the previous event's hash) and a removed tail (the
    head row remembers the newest seq and hash).
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _events():
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.seq, f"event #{event.seq} does not follow the event before it"
            )
        if chain_hash(event.prev_hash, content_of(event)) != event.hash:
            return checked, ChainBreak(event.seq, f"event #{event.seq} was changed")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != checked or (checked and head.hash != expected_prev)):
        if head.seq > checked:
            return checked, ChainBreak(
                checked + 1, f"events #{checked + 1} to #{head.seq} were removed"
            )
        return checked, ChainBreak(head.seq, "the chain head does not match the last event")
    return checked, None
