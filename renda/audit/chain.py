"""How an audit event's hash is computed: the same function writes and verifies the chain."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def event_content(
    *,
    seq: int,
    created_at: str,
    actor_id: int | None,
    actor_name: str,
    verb: str,
    object_type_id: int | None,
    object_id: str,
    object_repr: str,
    data: Any,
    address: str | None,
    chain: int = 1,
) -> dict[str, Any]:
    content = {
        "seq": seq,
        "created_at": created_at,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "verb": verb,
        "object_type_id": object_type_id,
        "object_id": object_id,
        "object_repr": object_repr,
        "data": data,
        "address": address,
    }
    if chain != 1:
        # A lane's events name their chain, so an event moved to another chain no longer
        # verifies; the main chain's content is what it always was (old events still verify).
        content["chain"] = chain
    return content


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """sha256(previous hash + canonical JSON of this event's content)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def content_of(event: Any) -> dict[str, Any]:
    """What is hashed for one event: every stored field except the two hashes themselves."""
    return event_content(
        seq=event.seq,
        created_at=event.created_at.isoformat(timespec="microseconds"),
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        verb=event.verb,
        object_type_id=event.object_type_id,
        object_id=event.object_id,
        object_repr=event.object_repr,
        data=event.data,
        address=event.address,
        chain=event.chain,
    )
