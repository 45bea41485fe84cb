"""The current request's address, so actions can audit it without passing the request around."""

from __future__ import annotations

from contextvars import ContextVar

current_address: ContextVar[str | None] = ContextVar("renda_current_address", default=None)
