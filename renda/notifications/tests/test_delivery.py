"""Delivery through the real task queue: enqueued after commit, run by the real db_worker."""

from __future__ import annotations

import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from renda.home.versions import _Pending as HomeVersions
from renda.notifications.actions import inbox_only, notify
from renda.notifications.models import Notification
from renda.notifications.sms import ConsoleSmsBackend, MemorySmsBackend
from renda.notifications.tasks import send_notification_email

SMS_MEMORY = "renda.notifications.sms.MemorySmsBackend"


class FailingEmailBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def run_worker() -> None:
    """Run the real worker until the queue is empty, then put the signal handlers back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = SMS_MEMORY
    MemorySmsBackend.reset()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.reset()


@pytest.mark.django_db(transaction=True)
def test_email_and_sms_go_out_from_the_worker_after_commit(world, mailoutbox, sms_outbox):
    with transaction.atomic():
        notify(
            [world["deputy"], world["deputy2"], world["deputy"]],
            title="建议已交办\n请查看",
            body="您的建议已交办给市教育局。",
            url="/notifications/",
            sms=True,
        )
        # Nothing is queued, let alone sent, before the transaction commits.
        assert DBTaskResult.objects.count() == 0
    assert DBTaskResult.objects.count() == 4  # two people (deduplicated) × email and SMS
    assert mailoutbox == []
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == ["deputy2@example.org", "deputy@example.org"]
    assert mailoutbox[0].subject == "建议已交办 请查看"
    assert "/notifications/" in mailoutbox[0].body
    assert sorted(sms_outbox) == [("13800138000", "建议已交办 请查看")] * 2
    assert Notification.objects.filter(email_sent_at__isnull=False).count() == 2
    assert Notification.objects.filter(sms_sent_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing(world, mailoutbox, sms_outbox):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notify([world["deputy"]], title="不会发送", sms=True)
        raise Boom
    assert Notification.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    run_worker()
    assert mailoutbox == [] and sms_outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_task_run_twice_sends_once(world, mailoutbox):
    with transaction.atomic():
        (note,) = notify([world["deputy"]], title="一次")
    send_notification_email.enqueue(note.pk)  # a duplicate in the queue
    run_worker()
    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    # And once more by hand, as a retry would.
    assert send_notification_email.call(note.pk) is False
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_failed_email_releases_the_claim_for_a_retry(world, settings, mailoutbox):
    settings.EMAIL_BACKEND = "renda.notifications.tests.test_delivery.FailingEmailBackend"
    with transaction.atomic():
        (note,) = notify([world["deputy"]], title="重试")
    run_worker()
    assert DBTaskResult.objects.get().status == "FAILED"
    note.refresh_from_db()
    assert note.email_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_notification_email.enqueue(note.pk)
    run_worker()
    assert len(mailoutbox) == 1


def test_delivery_is_queued_by_a_commit_callback(world, django_capture_on_commit_callbacks):
    """Queued only by the commit callback (the worker itself is run by the tests above: it
    closes a connection held inside a transaction, as the test transaction is here)."""
    with django_capture_on_commit_callbacks() as callbacks:
        (note,) = notify([world["affairs"]], title="新的建议待审查")
        assert DBTaskResult.objects.count() == 0
    queueing = [c for c in callbacks if not isinstance(c, HomeVersions)]
    assert len(queueing) == 1
    queueing[0]()
    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": [note.pk], "kwargs": {}}


@pytest.mark.django_db(transaction=True)
def test_people_without_address_or_inactive_get_only_the_inbox(world, mailoutbox, sms_outbox):
    deputy = world["deputy"]
    deputy.email, deputy.phone = "", ""
    deputy.save()
    world["deputy2"].is_active = False
    world["deputy2"].save()
    with transaction.atomic():
        notify([deputy, world["deputy2"]], title="仅站内", sms=True)
    run_worker()
    assert mailoutbox == [] and sms_outbox == []
    assert Notification.objects.count() == 2


def test_notify_without_delivery_enqueues_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify([world["deputy"]], title="仅站内", email=False)
    assert [c for c in callbacks if not isinstance(c, HomeVersions)] == []


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_notify_links_only_inside_the_platform(world, url):
    with pytest.raises(ValueError):
        notify([world["deputy"]], title="x", url=url)
    assert not Notification.objects.exists()


def test_console_sms_backend_writes_the_message():
    out = StringIO()
    ConsoleSmsBackend(stream=out).send("13800000001", "您有新的待办")
    assert out.getvalue() == "[SMS to 13800000001] 您有新的待办\n"


def test_sms_backend_is_chosen_by_setting(settings):
    from renda.notifications.sms import get_sms_backend

    assert isinstance(get_sms_backend(), ConsoleSmsBackend)
    settings.SMS_BACKEND = SMS_MEMORY
    assert isinstance(get_sms_backend(), MemorySmsBackend)


@pytest.mark.django_db(transaction=True)
def test_inbox_only_writes_the_inbox_and_queues_no_delivery(world, mailoutbox):
    """The demo data's messages (seed_demo) stay in the inbox: nobody is mailed or texted."""
    with inbox_only(), transaction.atomic():
        notify([world["deputy"]], title="演示数据", sms=True)
    assert Notification.objects.filter(recipient=world["deputy"], title="演示数据").exists()
    assert DBTaskResult.objects.count() == 0
    # Outside the block delivery is queued as usual.
    with transaction.atomic():
        notify([world["deputy"]], title="正常消息")
    assert DBTaskResult.objects.count() == 1
