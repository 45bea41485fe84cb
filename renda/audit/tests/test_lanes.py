"""The audit trail's public lanes: citizens' submissions are chained on parallel chains (2 …)
so they do not queue behind one locked head; every lane verifies and shows tampering exactly
as the main chain does (renda.audit.actions.record_event(lane=True); docs/security.md)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from renda.audit.actions import lanes, record_event
from renda.audit.chain import chain_hash, content_of
from renda.audit.models import MAIN_CHAIN, AuditChainHead, AuditEvent
from renda.audit.queries import verify_chain


def _drop_append_only_guard() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


def _lane_events(n: int = 3) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            record_event(None, "test.main", data={"i": i})  # the main chain between them
        with transaction.atomic():
            events.append(record_event(None, "test.public", data={"i": i}, lane=True))
    return events


def _fails(text: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    message = str(excinfo.value)
    assert text in message, message
    return message


@pytest.mark.django_db
def test_lane_events_are_chained_on_their_own_lane_and_verify():
    events = _lane_events()
    assert {e.chain for e in events} <= set(lanes())
    lane = events[0].chain
    assert [e.seq for e in events] == [1, 2, 3]  # one thread: the first lane each time
    assert events[1].prev_hash == events[0].hash
    assert AuditChainHead.objects.get(id=lane).hash == events[-1].hash
    main = AuditEvent.objects.filter(chain=MAIN_CHAIN).order_by("seq")
    assert [e.seq for e in main] == [1, 2, 3]
    assert verify_chain() == (6, None)


@pytest.mark.django_db
def test_a_lane_event_hashes_its_chain_number():
    (event,) = _lane_events(1)
    assert content_of(event)["chain"] == event.chain
    main = AuditEvent.objects.get(chain=MAIN_CHAIN)
    assert "chain" not in content_of(main)  # the main chain's content as it always was


@pytest.mark.django_db
def test_changing_a_lane_event_is_detected():
    events = _lane_events()
    _drop_append_only_guard()
    AuditEvent.objects.filter(pk=events[1].pk).update(data={"i": 99})
    _fails(f"event #2 of public lane {events[1].chain} was changed")


@pytest.mark.django_db
def test_deleting_a_middle_lane_event_is_detected():
    events = _lane_events()
    _drop_append_only_guard()
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    _fails("is missing")


@pytest.mark.django_db
def test_deleting_the_last_lane_event_is_detected():
    events = _lane_events()
    _drop_append_only_guard()
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    _fails(f"event #3 of public lane {events[2].chain} (the last one) was removed")


@pytest.mark.django_db
def test_deleting_a_whole_lane_is_detected_by_its_head():
    events = _lane_events()
    _drop_append_only_guard()
    AuditEvent.objects.filter(chain=events[0].chain).delete()
    _fails("were removed")


@pytest.mark.django_db
def test_moving_a_lane_event_to_the_main_chain_is_detected():
    """Renumbered onto the main chain's end with a fresh hash and head: its old lane breaks."""
    events = _lane_events()
    _drop_append_only_guard()
    last = events[-1]
    head = AuditChainHead.objects.get(id=MAIN_CHAIN)
    last.chain, last.seq, last.prev_hash = MAIN_CHAIN, head.seq + 1, head.hash
    last.hash = chain_hash(last.prev_hash, content_of(last))
    AuditEvent.objects.filter(pk=last.pk).update(
        chain=last.chain, seq=last.seq, prev_hash=last.prev_hash, hash=last.hash
    )
    AuditChainHead.objects.filter(id=MAIN_CHAIN).update(seq=last.seq, hash=last.hash)
    _fails(f"of public lane {events[0].chain}")


@pytest.mark.django_db
def test_no_lanes_puts_public_events_on_the_main_chain(settings):
    settings.RENDA_AUDIT_LANES = 0
    (event,) = _lane_events(1)
    assert event.chain == MAIN_CHAIN
    assert verify_chain() == (2, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_public_appends_use_several_lanes_and_verify():
    """Threads holding a lane until a barrier: each takes another lane (SKIP LOCKED) instead of
    waiting; every lane verifies afterwards. PostgreSQL (SQLite has one writer at a time)."""
    if connection.vendor != "postgresql":
        pytest.skip("lanes are taken side by side only where rows can be locked (PostgreSQL)")
    threads_n, per_thread = 4, 5
    errors: list[BaseException] = []
    chains: set[int] = set()
    barrier = threading.Barrier(threads_n, timeout=30)
    # The lane heads as migration 0003 leaves them: an earlier transactional test's flush may have
    # emptied the table, and lanes created on demand make the four threads wait on each other.
    for chain in lanes():
        AuditChainHead.objects.get_or_create(id=chain)

    def work(i: int) -> None:
        try:
            for j in range(per_thread):
                with transaction.atomic():
                    event = record_event(None, "test.public", data={"t": i, "j": j}, lane=True)
                    chains.add(event.chain)
                    if j == 0:
                        barrier.wait()  # all four hold a lane at once
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(chains) >= threads_n
    assert verify_chain() == (threads_n * per_thread, None)
