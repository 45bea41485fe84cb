"""Reading the audit trail: an object's history, and verification of the whole chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .chain import GENESIS_HASH, chain_hash, content_of
from .models import MAIN_CHAIN, AuditChainHead, AuditEvent


def history_of(obj: models.Model, limit: int = 200) -> models.QuerySet[AuditEvent]:
    """The events about one object, newest first (shown on each object's page)."""
    return AuditEvent.objects.filter(
        object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("-id")[:limit]


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str
    chain: int = MAIN_CHAIN


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=2000)


def _where(chain: int) -> str:
    return "" if chain == MAIN_CHAIN else f" of public lane {chain}"


def _check_end(
    chain: int, checked: int, last_hash: str, head: AuditChainHead | None
) -> ChainBreak | None:
    """The chain's end against its head row: a removed tail, an added one, a rewritten end."""
    at = _where(chain)
    if head is None:
        return ChainBreak(checked, "the chain head was removed" + at, chain) if checked else None
    if head.seq > checked:
        first = checked + 1
        if head.seq == first:
            return ChainBreak(first, f"event #{first}{at} (the last one) was removed", chain)
        return ChainBreak(first, f"events #{first} to #{head.seq}{at} were removed", chain)
    if head.seq < checked:
        first = head.seq + 1
        return ChainBreak(first, f"event #{first}{at} was added after the recorded end", chain)
    if checked and head.hash != last_hash:
        return ChainBreak(checked, f"event #{checked}{at} does not match the chain head", chain)
    return None


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Walk every chain in order; return (events checked, first break or None).

    The main chain (1) and each public lane (2 …; renda.audit.actions) are verified alike.
    Detects a changed event (its content no longer hashes to its stored hash), a removed event
    (a gap in seq, or a prev_hash that is not the previous event's hash) and a removed tail (the
    head row remembers the newest seq and hash, so deleting the last event is seen too). An
    event moved to another chain no longer verifies (a lane's events hash their chain number).
    Someone who can rewrite the head as well as the events can only be caught by comparing with
    a copy kept elsewhere (see docs/data-model.md).
    """
    heads = {h.id: h for h in AuditChainHead.objects.all()}
    total = 0
    chain, expected_seq, expected_prev = MAIN_CHAIN, 1, GENESIS_HASH
    seen: set[int] = set()
    for event in _events():
        if event.chain != chain:
            seen.add(chain)
            broken = _check_end(chain, expected_seq - 1, expected_prev, heads.get(chain))
            if broken is not None:
                return total, broken
            chain, expected_seq, expected_prev = event.chain, 1, GENESIS_HASH
        at = _where(chain)
        if event.seq != expected_seq:
            return total, ChainBreak(expected_seq, f"event #{expected_seq}{at} is missing", chain)
        if event.prev_hash != expected_prev:
            return total, ChainBreak(
                event.seq, f"event #{event.seq}{at} does not follow the event before it", chain
            )
        if chain_hash(event.prev_hash, content_of(event)) != event.hash:
            return total, ChainBreak(event.seq, f"event #{event.seq}{at} was changed", chain)
        expected_prev = event.hash
        expected_seq += 1
        total += 1
    seen.add(chain)
    broken = _check_end(chain, expected_seq - 1, expected_prev, heads.get(chain))
    if broken is not None:
        return total, broken
    # Chains whose events are all gone while their head remembers some.
    for other in sorted(set(heads) - seen):
        broken = _check_end(other, 0, GENESIS_HASH, heads[other])
        if broken is not None:
            return total, broken
    return total, None
