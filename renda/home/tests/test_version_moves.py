"""A congress's home-page version moved after each commit (renda.home.versions): on PostgreSQL
a move that finds another move of the same congress in flight skips it instead of queueing on
the row (the one in flight commits later, so it covers this commit too)."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection, connections

from renda.home.versions import BUMP_LOCK, _Pending
from renda.orgs.models import Congress

pytestmark = pytest.mark.django_db(transaction=True)


def _version(pk: int) -> int:
    return Congress.objects.values_list("home_version", flat=True).get(pk=pk)


def _other_connection() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
    )


def test_a_move_moves_the_version_once_per_commit():
    congress = Congress.objects.create(name="测试人大", level="city", region_name="测试市")
    before = _version(congress.pk)
    pending = _Pending()
    pending.congresses = {congress.pk}
    pending()
    assert _version(congress.pk) == before + 1


def test_a_move_in_flight_covers_another_and_nobody_waits():
    if connection.vendor != "postgresql":
        pytest.skip("the skip is PostgreSQL's (advisory locks); SQLite moves it always")
    congress = Congress.objects.create(name="测试人大", level="city", region_name="测试市")
    before = _version(congress.pk)
    with _other_connection() as other:  # a move in flight: its lock taken, not committed
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BUMP_LOCK, congress.pk])
        other.execute(
            "UPDATE orgs_congress SET home_version = home_version + 1 WHERE id = %s",
            [congress.pk],
        )
        done = threading.Event()

        def ours() -> None:
            try:
                pending = _Pending()
                pending.congresses = {congress.pk}
                pending()  # must not wait for the row the other move holds
                done.set()
            finally:
                connections.close_all()

        thread = threading.Thread(target=ours)
        thread.start()
        thread.join(timeout=10)
        assert done.is_set(), "the move waited for the one in flight"
        other.commit()  # the move in flight commits after ours: it covers our commit
    assert _version(congress.pk) == before + 1
    pending = _Pending()
    pending.congresses = {congress.pk}
    pending()  # nothing in flight now: it moves
    assert _version(congress.pk) == before + 2
