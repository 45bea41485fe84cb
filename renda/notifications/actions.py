"""Notifying people: inbox rows in the caller's transaction, email/SMS enqueued on commit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone

from renda.home.versions import touch_users

from .models import Notification
from .tasks import send_notification_email, send_notification_sms

TITLE_MAX = Notification._meta.get_field("title").max_length or 200
URL_MAX = Notification._meta.get_field("url").max_length or 300


# Set while the demo data is loaded: the demo mails and texts nobody, its messages stay in the
# inbox (renda.demo.seeding).
_inbox_only: ContextVar[bool] = ContextVar("renda_notify_inbox_only", default=False)


@contextmanager
def inbox_only() -> Iterator[None]:
    """Within this block notify() writes inbox rows only and queues no email or SMS."""
    token = _inbox_only.set(True)
    try:
        yield
    finally:
        _inbox_only.reset(token)


def _one_line(text: str) -> str:
    # Mail subjects and SMS previews must be one line (a newline in a subject is refused).
    return " ".join((text or "").split())


def _safe_url(url: str) -> str:
    """Only links inside the platform ("/..."): never another site, never javascript:."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url[:URL_MAX]
    if url:
        raise ValueError(f"a notification links only to a path inside the platform: {url!r}")
    return ""


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
    Delivery happens in background tasks (django-tasks, database queue) enqueued only once the
    transaction has committed, so a worker never looks for a row that is not there yet.
    """
    title = _one_line(title)[:TITLE_MAX]
    url = _safe_url(url)
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, title=title, body=body, url=url))
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]  # SQLite ≥ 3.35 and PostgreSQL both return the new ids.
    touch_users(seen)  # their inboxes and unread counts changed (renda.home.versions)

    def enqueue() -> None:
        with transaction.atomic():  # one write for the whole batch of queue rows
            for pk in ids:
                if email:
                    send_notification_email.enqueue(pk)
                if sms:
                    send_notification_sms.enqueue(pk)

    if ids and (email or sms) and not _inbox_only.get():
        # robust: the caller's work is already committed; a queue failure is logged, not raised.
        transaction.on_commit(enqueue, robust=True)
    return created


@transaction.atomic
def mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given).

    Others' ids are silently left alone (the count says how many were marked). Not audited:
    reading one's own messages changes no record anyone else relies on.
    """
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    marked = qs.update(read_at=timezone.now())
    if marked:
        touch_users([user.pk])
    return marked
