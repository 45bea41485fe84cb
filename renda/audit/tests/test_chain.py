"""The audit trail: append-only, hash-chained, verified by `manage.py verify_audit`.

Tests that tamper with stored events first drop the append-only trigger, as an attacker with
direct database access could; the test's transaction puts it back afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from renda.audit.actions import record_event
from renda.audit.models import AuditChainHead, AuditEvent
from renda.audit.queries import history_of, verify_chain

BASE_DIR = Path(settings.BASE_DIR)


def _drop_append_only_guard() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


def _three_events(world) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record_event(world.city, "test.first", by=world["admin"], data={"n": 1}),
            record_event(world.edu, "test.second", by=world["affairs"], data={"n": 2}),
            record_event(world.transport, "test.third", by=world["admin"], data={"n": 3}),
        ]


def _verify_fails_at(seq: int) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    message = str(excinfo.value)
    assert f"event #{seq}" in message, message
    return message


def test_untouched_chain_verifies(world, capsys):
    _three_events(world)
    call_command("verify_audit")
    assert "3 events verified" in capsys.readouterr().out


def test_events_are_chained_in_order(world):
    first, second, third = _three_events(world)
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = AuditChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (3, third.hash)


@pytest.mark.parametrize(
    "field, value",
    [
        ("data", {"n": 99}),
        ("verb", "test.forged"),
        ("actor_name", "someone-else"),
        ("object_id", "12345"),
        ("address", "10.0.0.1"),
    ],
)
def test_changing_a_middle_event_is_detected(world, field, value):
    _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=2).update(**{field: value})
    message = _verify_fails_at(2)
    assert "changed" in message


def test_changing_the_actor_of_a_middle_event_is_detected(world):
    _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=2).update(actor=world["deputy"])
    _verify_fails_at(2)


def test_changing_the_time_of_a_middle_event_is_detected(world):
    events = _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=2).update(created_at=events[0].created_at)
    _verify_fails_at(2)


def test_deleting_a_middle_event_is_detected(world):
    _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=2).delete()
    message = _verify_fails_at(2)
    assert "missing" in message


def test_deleting_the_first_event_is_detected(world):
    _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=1).delete()
    _verify_fails_at(1)


def test_deleting_the_last_event_is_detected(world):
    _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=3).delete()
    message = _verify_fails_at(3)
    assert "removed" in message


def test_deleting_and_renumbering_is_detected(world):
    """Delete #2 and renumber #3 to #2 so there is no gap: the hashes no longer follow."""
    _three_events(world)
    _drop_append_only_guard()
    AuditEvent.objects.filter(seq=2).delete()
    AuditEvent.objects.filter(seq=3).update(seq=2)
    _verify_fails_at(2)


def test_rewriting_the_last_event_with_a_fresh_hash_is_detected(world):
    """An attacker who recomputes the last event's hash still disagrees with the chain head."""
    from renda.audit.chain import chain_hash, content_of

    _three_events(world)
    _drop_append_only_guard()
    event = AuditEvent.objects.get(seq=3)
    event.data = {"n": 300}
    forged = chain_hash(event.prev_hash, content_of(event))
    AuditEvent.objects.filter(seq=3).update(data={"n": 300}, hash=forged)
    _verify_fails_at(3)


def test_removing_the_chain_head_is_detected(world):
    _three_events(world)
    AuditChainHead.objects.all().delete()
    _verify_fails_at(3)


def test_database_refuses_to_update_an_event(world):
    _three_events(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(verb="test.forged")
    assert AuditEvent.objects.get(seq=2).verb == "test.second"


def test_database_refuses_to_delete_an_event_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot refuse DELETE without breaking flush (see migration 0002)")
    _three_events(world)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    assert AuditEvent.objects.filter(seq=2).exists()


def test_rolled_back_action_leaves_no_event(world):
    from renda.orgs.actions import create_unit
    from renda.orgs.models import HandlingUnit

    _three_events(world)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        create_unit(world.city, name="市测试局", kind="government", by=world["admin"])
        raise Boom

    assert not HandlingUnit.objects.filter(name="市测试局").exists()
    assert AuditEvent.objects.count() == 3
    assert AuditChainHead.objects.get(id=1).seq == 3
    assert verify_chain() == (3, None)
    record_event(world.city, "test.after", by=world["admin"])
    assert verify_chain() == (4, None)


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        record_event(None, "test.outside")
    assert not AuditEvent.objects.exists()


def test_values_the_database_rewrites_still_verify(world):
    """IPv6 addresses are stored compressed, floats and dates as text: the hash must match."""
    from datetime import date
    from decimal import Decimal

    with transaction.atomic():
        record_event(world.city, "test.ipv6", address="2001:DB8:0:0:0:0:0:1")
        record_event(world.city, "test.mapped", address="::ffff:192.0.2.1")
        record_event(world.city, "test.junk-address", address="not an address")
        record_event(
            world.city,
            "test.values",
            data={"f": 1e20, "g": 0.1, "d": date(2026, 2, 10), "m": Decimal("1.50"), "z": "温州"},
        )
    assert verify_chain() == (4, None)
    assert AuditEvent.objects.get(verb="test.junk-address").address is None


def test_history_lists_an_objects_events_newest_first(world):
    _three_events(world)
    with transaction.atomic():
        record_event(world.city, "test.again", by=world["admin"])
    assert [e.verb for e in history_of(world.city)] == ["test.again", "test.first"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    """Threads appending at once on their own connections never share a predecessor."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("the in-memory SQLite test database serialises threads on one shared cache")
    threads_n, per_thread = 8, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)

    def work(i: int) -> None:
        try:
            barrier.wait()
            for j in range(per_thread):
                with transaction.atomic():
                    record_event(None, "test.concurrent", data={"thread": i, "n": j})
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
    assert verify_chain() == (threads_n * per_thread, None)


def test_verify_audit_exits_non_zero_naming_the_broken_event(tmp_path):
    """The real command in a real process: exit status 0 when intact, 1 and the event when not."""
    env = {**os.environ, "RENDA_DATA_DIR": str(tmp_path), "RENDA_ENV": "test"}
    env.pop("DATABASE_URL", None)
    env.pop("RENDA_TEST_SQLITE_NAME", None)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [*manage, *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120
        )

    assert run("migrate", "--noinput", "-v", "0").returncode == 0
    script = (
        "from django.db import transaction, connection\n"
        "from renda.audit.actions import record_event\n"
        "with transaction.atomic():\n"
        "    for i in range(3): record_event(None, 'test.cli', data={'i': i})\n"
    )
    assert run("shell", "-c", script).returncode == 0
    intact = run("verify_audit")
    assert intact.returncode == 0, intact.stderr
    tamper = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('DROP TRIGGER audit_event_no_update')\n"
        "    c.execute(\"UPDATE audit_auditevent SET data='{}' WHERE seq=2\")\n"
    )
    assert run("shell", "-c", tamper).returncode == 0
    broken = run("verify_audit")
    assert broken.returncode == 1
    assert "event #2" in broken.stderr
