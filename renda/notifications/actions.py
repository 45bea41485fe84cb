"""Notifying people: inbox rows in the caller's transaction, email/SMS enqueued on commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Notification
from .tasks import send_notification_email, send_notification_sms


def notify(
    recipients: Iterable[Any],
    *,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    sms: bool = False,
) -> list[Notification]:
    """Put a message in each recipient's inbox; deliver by email/SMS after the commit.

    Runs inside the calling action's transaction: if it rolls back, nobody is told anything.
    """
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, title=title[:200], body=body, url=url[:300]))
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]  # SQLite ≥ 3.35 and PostgreSQL both return the new ids.

    def enqueue() -> None:
        for pk in ids:
            if email:
                send_notification_email.enqueue(pk)
            if sms:
                send_notification_sms.enqueue(pk)

    if email or sms:
        transaction.on_commit(enqueue)
    return created


def mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
