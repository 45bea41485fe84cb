"""SMS backends: an interface, and a console backend for the embedded mode and development.

A deployment plugs in its provider by subclassing BaseSmsBackend and naming the class in
RENDA_SMS_BACKEND (settings.SMS_BACKEND).
"""

from __future__ import annotations

import logging
import sys
from abc import ABC, abstractmethod
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("renda.sms")


class BaseSmsBackend(ABC):
    """Send one text message to one mobile number; raise on failure so the task can retry."""

    @abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Deliver `text` to `phone` (a provider's API call, a gateway, ...)."""


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to standard output instead of sending them."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, phone: str, text: str) -> None:
        self.stream.write(f"[SMS to {phone}] {text}\n")
        self.stream.flush()


class MemorySmsBackend(BaseSmsBackend):
    """Keeps sent messages in `outbox` (like Django's locmem mail backend), for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))

    @classmethod
    def reset(cls) -> None:
        cls.outbox.clear()


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
