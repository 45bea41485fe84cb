from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def inbox_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    """The number of unread notifications, counted once per request (the header and the home
    page's inbox panel both show it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(user, "_renda_unread", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._renda_unread = cached
    return cached
