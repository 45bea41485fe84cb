"""Writing to the audit trail. Every action calls record_event inside its own transaction."""

from __future__ import annotations

import ipaddress
import json
import random
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from renda.plainsql import execute, insert_row

from .chain import chain_hash, content_of
from .context import current_address
from .models import MAIN_CHAIN, AuditChainHead, AuditEvent

MAX_VERB_LENGTH = AuditEvent._meta.get_field("verb").max_length or 60


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any]:
    """The value exactly as the database will give it back, so the hash verifies later.

    Dates and decimals become strings (DjangoJSONEncoder); floats become strings too, because
    PostgreSQL's jsonb may print a float differently from Python (1e20 → 100000000000000000000).
    NaN and infinity are refused: neither JSON nor jsonb can hold them.
    """
    text = json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False, allow_nan=False)
    return json.loads(text, parse_float=str)


def _normalised_address(address: str | None) -> str | None:
    """The address as the database stores it (IPv6 compressed, lower case); junk is dropped."""
    if not address:
        return None
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return AuditEvent._meta.get_field("address").get_prep_value(address)


_HEAD = AuditChainHead._meta.db_table


def _lock_head(chain: int = MAIN_CHAIN) -> tuple[int, str]:
    """A chain head's (seq, hash), its row locked until the transaction ends (FOR UPDATE; on
    SQLite the IMMEDIATE transaction holds the write lock already). Plain SQL: it runs with every
    audited action (each citizen's submission), and the ORM's query building cost more CPU than
    the query. The row is created the first time (the ORM's get_or_create, once)."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(_HEAD)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    row = execute(f"SELECT seq, hash FROM {table} WHERE id = %s{lock}", [chain], fetch="one")  # noqa: S608
    if row is None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=chain)
        return head.seq, head.hash
    return int(row[0]), str(row[1])


def lanes() -> range:
    """The public lanes' chain numbers (2 …): RENDA_AUDIT_LANES of them."""
    return range(MAIN_CHAIN + 1, MAIN_CHAIN + 1 + max(0, settings.RENDA_AUDIT_LANES))


def _lock_lane() -> tuple[int, int, str]:
    """A public lane's (chain, seq, hash), its head locked until the transaction ends: the first
    lane no other transaction holds (SKIP LOCKED), so concurrent submissions append side by side
    instead of queueing behind one head until each commit is flushed to disk. When every lane is
    busy (or none exists yet) it waits for one. No lanes: the main chain."""
    ids = lanes()
    if not ids:
        return (MAIN_CHAIN, *_lock_head(MAIN_CHAIN))
    connection = transaction.get_connection()
    if not connection.features.has_select_for_update_skip_locked:
        # SQLite: one writer at a time anyway (IMMEDIATE transactions); the first lane.
        return (ids.start, *_lock_head(ids.start))
    table = connection.ops.quote_name(_HEAD)
    row = execute(
        f"SELECT id, seq, hash FROM {table} WHERE id >= %s AND id < %s"  # noqa: S608
        " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
        [ids.start, ids.stop],
        fetch="one",
    )
    if row is not None:
        return int(row[0]), int(row[1]), str(row[2])
    chain = random.choice(ids)  # noqa: S311 - spreading waiters, not a secret
    return (chain, *_lock_head(chain))


def _move_head(chain: int, seq: int, hash_: str) -> None:
    connection = transaction.get_connection()
    table = connection.ops.quote_name(_HEAD)
    execute(f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s", [seq, hash_, chain])  # noqa: S608


def record_event(
    obj: models.Model | None,
    verb: str,
    *,
    by: Any = None,
    data: dict[str, Any] | None = None,
    address: str | None = None,
    lane: bool = False,
) -> AuditEvent:
    """Append one event to the hash chain; must run inside the caller's transaction.

    The chain head row is locked (select_for_update) so concurrent appends are serialised: two
    events never share a predecessor. On SQLite the IMMEDIATE transaction mode does the same.
    If the caller's transaction rolls back, the event and the head update roll back with it.

    `lane=True` appends to one of the public lanes instead of the main chain (a citizen's
    submission: many at once, no account). Only for a transaction's one and last event: it
    takes its lane's lock last and holds no other chain's, so no two transactions can wait on
    each other's chain heads.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    if not verb or len(verb) > MAX_VERB_LENGTH:
        raise ValueError(f"an audit verb has 1 to {MAX_VERB_LENGTH} characters: {verb!r}")
    if lane:
        chain, head_seq, head_hash = _lock_lane()
    else:
        chain = MAIN_CHAIN
        head_seq, head_hash = _lock_head()
    actor = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    object_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    event = AuditEvent(
        chain=chain,
        seq=head_seq + 1,
        created_at=timezone.now(),
        actor=actor,
        actor_name=str(actor.get_username()) if actor else "",
        verb=verb,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=_jsonable(data),
        address=_normalised_address(address if address is not None else current_address.get()),
        prev_hash=head_hash,
    )
    # The very function verify_chain uses: what is written is what will be checked.
    event.hash = chain_hash(head_hash, content_of(event))
    insert_row(event)  # one plain INSERT (renda.plainsql): what save() would store
    _move_head(chain, event.seq, event.hash)
    for hook in _after_record:
        hook(obj)
    return event


# Called with each recorded event's object, inside its transaction (the home page's cache
# versions register here: renda.home.apps).
_after_record: list[Any] = []


def after_record(hook: Any) -> None:
    """Register `hook(obj)` to run after each event is recorded."""
    if hook not in _after_record:
        _after_record.append(hook)


def record_events(
    items: list[tuple[models.Model | None, str, dict[str, Any] | None]],
    *,
    by: Any = None,
    address: str | None = None,
) -> int:
    """Append many events at once (a roster import: one per deputyship), chained exactly as
    record_event chains them, in one insert and one head update; inside the caller's
    transaction. Returns how many were written."""
    if not items:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_events must run inside the action's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=MAIN_CHAIN)
    actor = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    where = _normalised_address(address if address is not None else current_address.get())
    now = timezone.now()
    seq, prev = head.seq, head.hash
    events = []
    for obj, verb, data in items:
        if not verb or len(verb) > MAX_VERB_LENGTH:
            raise ValueError(f"an audit verb has 1 to {MAX_VERB_LENGTH} characters: {verb!r}")
        seq += 1
        event = AuditEvent(
            seq=seq,
            created_at=now,
            actor=actor,
            actor_name=str(actor.get_username()) if actor else "",
            verb=verb,
            object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            data=_jsonable(data),
            address=where,
            prev_hash=prev,
        )
        event.hash = prev = chain_hash(prev, content_of(event))
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    AuditChainHead.objects.filter(id=1).update(seq=seq, hash=prev)
    for obj, _verb, _data in items:
        for hook in _after_record:
            hook(obj)
    return len(events)
