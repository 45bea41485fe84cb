"""The embedded mode's session store: Django's database sessions, with the one read every
request makes in plain SQL (`hot_reads.session_data`). Writes are Django's own."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.utils import timezone

from .hot_reads import session_data


class SessionStore(DbSessionStore):
    def load(self) -> dict[str, Any]:
        key = self.session_key
        data = session_data(key, timezone.now()) if key else None
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)
