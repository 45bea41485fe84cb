"""Hashes that make a ballot's papers reproducible and tamper-evident (issue 6 "Reproducible").

Each paper stores the hash of its own content (never a chain in arrival order: that order would
link papers to the register's times). At close the papers, sorted by their random key, are sealed
into one digest, recorded on the ballot and in the hash-chained audit trail; `recount` checks
every paper against its hash and the whole set against the seal.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from typing import Any

# Receipt codes: 15 characters from an alphabet without look-alikes (75 bits), shown in groups.
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 15


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, RECEIPT_LENGTH, 5))


def normalise_receipt(code: str) -> str:
    """What a person types back (any case, spaces, dashes or none) → the canonical form."""
    raw = "".join(ch for ch in (code or "").upper() if ch in RECEIPT_ALPHABET)
    if len(raw) != RECEIPT_LENGTH:
        return ""
    return "-".join(raw[i : i + 5] for i in range(0, RECEIPT_LENGTH, 5))


def receipt_hash(code: str) -> str:
    return hashlib.sha256(f"renda-receipt|{code}".encode()).hexdigest()


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def paper_hash(ballot_id: int, key: str, content: dict[str, Any], receipt: str) -> str:
    """The hash of one paper's own content (and which ballot, key and receipt it has)."""
    text = f"renda-paper|{ballot_id}|{key}|{canonical(content)}|{receipt}"
    return hashlib.sha256(text.encode()).hexdigest()


def seal_digest(ballot_id: int, papers: Iterable[tuple[str, str]]) -> str:
    """The seal over (key, content_hash) pairs in key order: any paper added, removed or
    changed gives another digest."""
    digest = hashlib.sha256(f"renda-seal|{ballot_id}".encode()).hexdigest()
    for key, content_hash in sorted(papers):
        digest = hashlib.sha256(f"{digest}|{key}|{content_hash}".encode()).hexdigest()
    return digest
