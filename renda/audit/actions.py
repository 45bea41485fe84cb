"""Writing to the audit trail. Every action calls record_event inside its own transaction."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .chain import chain_hash, event_content
from .context import current_address
from .models import AuditChainHead, AuditEvent


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip so the stored value and the hashed value are the same (dates, decimals → str).
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def record_event(
    obj: models.Model | None,
    verb: str,
    *,
    by: Any = None,
    data: dict[str, Any] | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Append one event to the hash chain; must run inside the caller's transaction.

    The chain head row is locked (select_for_update) so concurrent appends are serialised: two
    events never share a predecessor. On SQLite the IMMEDIATE transaction mode does the same.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    actor = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    object_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    now = timezone.now()
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=now,
        actor=actor,
        actor_name=str(actor.get_username()) if actor else "",
        verb=verb,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=_jsonable(data),
        address=address if address is not None else current_address.get(),
        prev_hash=head.hash,
    )
    event.hash = chain_hash(
        head.hash,
        event_content(
            seq=event.seq,
            created_at=now.isoformat(timespec="microseconds"),
            actor_id=actor.pk if actor else None,
            actor_name=event.actor_name,
            verb=verb,
            object_type_id=object_type.pk if object_type else None,
            object_id=event.object_id,
            object_repr=event.object_repr,
            data=event.data,
            address=event.address,
        ),
    )
    event.save(force_insert=True)
    AuditChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event
