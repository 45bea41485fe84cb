"""Background delivery of notifications: load by id, re-check, claim, send, mark as sent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification
from .sms import get_sms_backend


def _load(notification_id: int) -> Notification | None:
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or not note.recipient.is_active:
        return None
    return note


@task()
def send_notification_email(notification_id: int) -> bool:
    """Mail one notification; a second run (retry, duplicate enqueue) sends nothing."""
    note = _load(notification_id)
    if note is None or not note.recipient.email:
        return False
    # Claim the row with a conditional update so two workers never mail twice.
    claimed = Notification.objects.filter(pk=notification_id, email_sent_at__isnull=True).update(
        email_sent_at=timezone.now()
    )
    if not claimed:
        return False
    body = note.body + (f"\n\n{note.url}" if note.url else "")
    try:
        send_mail(note.title, body, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
    except Exception:
        # Release the claim so a retry can send it; the task is recorded as failed.
        Notification.objects.filter(pk=notification_id).update(email_sent_at=None)
        raise
    return True


@task()
def send_notification_sms(notification_id: int) -> bool:
    """Text one notification's title; a second run sends nothing."""
    note = _load(notification_id)
    if note is None or not note.recipient.phone:
        return False
    claimed = Notification.objects.filter(pk=notification_id, sms_sent_at__isnull=True).update(
        sms_sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        get_sms_backend().send(note.recipient.phone, note.title)
    except Exception:
        Notification.objects.filter(pk=notification_id).update(sms_sent_at=None)
        raise
    return True
