"""The embedded mode's session store: Django's database sessions, with the one read every
request makes in plain SQL (`hot_reads.session_data`). Writes are Django's own."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

from .hot_reads import session_data

# Decoding checks the data's signature (an HMAC) on every request; the same stored data decodes
# to the same values, so each distinct encoded text is decoded once per process.
_decoded: dict[str, dict[str, Any]] = {}
DECODED_MAX = 4096


class SessionStore(DbSessionStore):
    def load(self) -> dict[str, Any]:
        key = self.session_key
        data = session_data(key, timezone.now()) if key else None
        if data is None:
            self._session_key = None
            return {}
        decoded = _decoded.get(data)
        if decoded is None:
            decoded = self.decode(data)
            if len(_decoded) >= DECODED_MAX:
                _decoded.clear()
            _decoded[data] = decoded
        return copy.deepcopy(decoded)  # the request may change its session, never the kept one
