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
    return AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("-seq")[:limit]


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
    head row remembers the newest seq and hash, so deleting the last event is seen too).
    Someone who can rewrite the head as well as the events can only be caught by comparing with
    a copy kept elsewhere (see docs/data-model.md).
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
    if head is None:
        if checked:
            return checked, ChainBreak(checked, "the chain head was removed")
        return checked, None
    if head.seq > checked:
        first = checked + 1
        if head.seq == first:
            return checked, ChainBreak(first, f"event #{first} (the last one) was removed")
        return checked, ChainBreak(first, f"events #{first} to #{head.seq} were removed")
    if head.seq < checked:
        first = head.seq + 1
        return checked, ChainBreak(first, f"event #{first} was added after the recorded end")
    if checked and head.hash != expected_prev:
        return checked, ChainBreak(checked, f"event #{checked} does not match the chain head")
    return checked, None
