"""The internet-facing receiving paths stay cheap (issue 5, "Benchmark": ≥ 200 submissions/s,
tracking p95 < 50 ms on 2 cores): a fixed, small number of queries for an anonymous submission
and a tracking look-up (API and page), whatever the number of opinions already stored; and the
rate limits' Redis path (production) counts in one round trip with the windows' expiry."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from renda.audit.actions import lanes
from renda.audit.models import AuditEvent
from renda.audit.queries import verify_chain
from renda.deputies import ratelimits
from renda.opinions.actions.receiving import submit_opinion
from renda.opinions.models import Opinion
from renda.opinions.tests.receiving_builders import answer, category, station

# Queries an anonymous submission makes beside the transaction's own statements: the station,
# the category, the opinion, its search index row (one INSERT, issue 7) and its new words in the
# search vocabulary (one INSERT … ON CONFLICT DO NOTHING), its first event, the
# station's day figures (one upsert), a public audit lane's head (locked: the first free one),
# the audit event, the head's update, and the home page versions moved after the commit.
# Counted without SAVEPOINT/RELEASE (the test's transaction adds them).
SUBMIT_QUERIES = 11
# A tracking look-up: the opinion with its category, station and congress (one query), its
# history; once answered, the referral's answer and the legal calendar (the rating window).
TRACK_QUERIES = 2
TRACK_ANSWERED_QUERIES = 4


def _sql(ctx: CaptureQueriesContext) -> list[str]:
    """The queries, without the transaction's own statements and without the rate limits'
    counters (the database cache table here; Redis in production)."""
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
        and "renda_rate_limits" not in q["sql"]
    ]


MANY = [(10**6, 600)]
pytestmark = pytest.mark.usefixtures("raised_limits")


@pytest.fixture
def raised_limits() -> Any:
    with override_settings(RENDA_OPINION_SUBMIT_LIMITS=MANY, RENDA_OPINION_TRACK_LIMITS=MANY):
        yield


def _submit(api: Any, st: Any, i: int) -> str:
    body = {
        "category": category().pk,
        "text": f"路灯坏了一个多月（{i}）",
        "anonymous": True,
        "publish_consent": True,
        "station": st.pk,
    }
    response = api().post("/opinions", body)
    assert response.status_code == 201, response.content
    return response.json()["tracking_code"]


def _many(api: Any, st: Any, n: int) -> list[str]:
    """n opinions stored the quick way (the action itself, no HTTP)."""
    return [
        submit_opinion(
            category=category().pk, text=f"第{i}条", station=st, anonymous=True
        ).tracking_code
        for i in range(n)
    ]


def test_submit_makes_a_fixed_number_of_queries_whatever_is_stored(world: Any, api: Any) -> None:
    """OP-RECEIVE: durable, audited, counted — in SUBMIT_QUERIES queries, with 1 or 30 stored."""
    st = station(world)
    _submit(api, st, 0)  # warm (content types, profiles)
    with CaptureQueriesContext(connection) as first:
        _submit(api, st, 1)
    _many(api, st, 30)
    with CaptureQueriesContext(connection) as later:
        _submit(api, st, 99)
    assert len(_sql(first)) == SUBMIT_QUERIES, _sql(first)
    assert len(_sql(later)) == SUBMIT_QUERIES, _sql(later)


def test_a_submission_is_audited_on_a_public_lane_that_verifies(world: Any, api: Any) -> None:
    """OP-RECEIVE: opinion.received goes to a public lane (renda.audit.actions), in the same
    transaction, and the whole trail still verifies."""
    st = station(world)
    code = _submit(api, st, 0)
    opinion = Opinion.objects.get(tracking_code=code)
    event = AuditEvent.objects.get(verb="opinion.received", object_id=str(opinion.pk))
    assert event.chain in lanes()
    assert event.data["station"] == st.pk and event.data["congress"] == st.congress_id
    assert verify_chain()[1] is None


@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
def test_tracking_makes_a_fixed_number_of_queries(world: Any, api: Any, page: bool) -> None:
    """OP-TRACK: the tracking API and page read the opinion once (no personal data), its
    history, and the answer only when there is one; as many events as it may have."""
    st = station(world)
    codes = _many(api, st, 3)
    client = Client()

    def look(code: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            if page:
                response = client.get(f"/track/{code}/")
            else:
                response = api().get(f"/opinions/track/{code}")
        assert response.status_code == 200
        return _sql(ctx)

    look(codes[0])  # warm
    assert len(look(codes[1])) == TRACK_QUERIES, look(codes[1])
    from renda.opinions.models import Opinion

    answered = answer(Opinion.objects.get(tracking_code=codes[2]), world)
    sql = look(answered.tracking_code)
    # The page may also read the rule profile for the rating window (cached per process).
    assert len(sql) == TRACK_ANSWERED_QUERIES, [q[:150] for q in sql]


def test_tracking_shows_a_units_answer_only_with_answered_at(world: Any, api: Any) -> None:
    """The referral query is skipped before any answer: an answered opinion still shows it."""
    st = station(world)
    code = _submit(api, st, 0)
    from renda.opinions.models import Opinion

    assert api().get(f"/opinions/track/{code}").json()["answer"] is None
    answer(Opinion.objects.get(tracking_code=code), world, text="已修好。")
    data = api().get(f"/opinions/track/{code}").json()
    assert data["answer"]["text"] == "已修好。" and data["answer"]["by"] == world.transport.name


REDIS_URL = os.environ.get("RENDA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.3).ping())
    except Exception:  # noqa: BLE001 - any failure: no Redis here
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at RENDA_TEST_REDIS_URL")
def test_redis_limits_count_in_one_round_trip_with_expiry() -> None:
    """OP-ABUSE: the production path (Redis) refuses past the limit, keeps each window's
    expiry, and stays readable through the cache API."""
    prefix = f"renda-rl-test-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        cache = handler["ratelimit"]
        limits = [(3, 600), (100, 86400)]
        client = ratelimits._redis(cache)
        assert client is not None and ratelimits._redis(cache) is client  # reused
        try:
            for _ in range(3):
                assert ratelimits.check("t", "10.0.0.9", limits).allowed
                ratelimits.count("t", "10.0.0.9", limits)
            verdict = ratelimits.check("t", "10.0.0.9", limits)
            assert not verdict.allowed and 0 < verdict.retry_after_seconds <= 601
            assert ratelimits.check("t", "10.0.0.10", limits).allowed  # another address
            keys = ratelimits._keys("t", "10.0.0.9", __import__("time").time(), limits)
            assert cache.get_many([k for k, *_r in keys]) == {keys[0][0]: 3, keys[1][0]: 3}
            ttl = client.ttl(cache.make_and_validate_key(keys[0][0]))
            assert 0 < ttl <= 601
        finally:
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


@contextmanager
def _limits_cache(backend: str) -> Iterator[Any]:
    """The "ratelimit" cache on Redis (a key prefix of its own, removed afterwards) or on the
    database cache table (the embedded mode)."""
    if backend == "redis" and not _redis_up():
        pytest.skip("no Redis at RENDA_TEST_REDIS_URL")
    prefix = f"renda-rl-test-{uuid.uuid4().hex[:8]}"
    ratelimit = (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
        if backend == "redis"
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "renda_rate_limits",
        }
    )
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": ratelimit,
    }
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        cache = handler["ratelimit"]
        try:
            yield cache
        finally:
            client = ratelimits._redis(cache)
            if client is not None:
                for key in client.scan_iter(f"{prefix}:*"):
                    client.delete(key)


@pytest.mark.parametrize("backend", ["redis", "database"])
def test_a_tracking_hit_counts_and_judges_in_one_step(backend: str, db: Any) -> None:
    """OP-ABUSE, tracking: `hit` counts the look-up and refuses past the limit (Redis: one
    MULTI whose INCRs are the counts; the database cache: check, then count); the address and
    the phone limits of a submission are judged together (one MGET on Redis)."""
    with _limits_cache(backend):
        limits = [(2, 600), (100, 86400)]
        assert ratelimits.hit("h", "10.0.0.7", limits).allowed
        assert ratelimits.hit("h", "10.0.0.7", limits).allowed
        refused = ratelimits.hit("h", "10.0.0.7", limits)
        assert not refused.allowed and 0 < refused.retry_after_seconds <= 601
        assert ratelimits.hit("h", "10.0.0.8", limits).allowed  # another address
        both = [("a", "10.0.0.7", [(1, 600)]), ("p", "13700001111", [(1, 600)])]
        assert ratelimits.check_all(both).allowed
        ratelimits.count_all(both)
        assert not ratelimits.check_all(both).allowed
        assert not ratelimits.check_all([both[1]]).allowed  # the phone's own counter


@pytest.mark.parametrize("backend", ["redis", "database"])
def test_a_submission_takes_its_slot_in_one_step_and_can_give_it_back(
    backend: str, db: Any
) -> None:
    """OP-ABUSE, submissions: `take_all` judges the address and the phone and counts in both
    only when each has room (Redis: one script run, atomic); a refused take counts nothing;
    `give_back_all` returns the slot of a submission that was then refused as invalid."""
    with _limits_cache(backend):
        address = ("s", "10.0.0.7", [(2, 600), (100, 86400)])
        phone = ("sp", "13700001111", [(1, 600)])
        assert ratelimits.take_all([address, phone]).allowed
        refused = ratelimits.take_all([address, phone])  # the phone is full
        assert not refused.allowed and 0 < refused.retry_after_seconds <= 601
        assert ratelimits.take_all([address]).allowed  # the refusal counted nothing
        assert not ratelimits.take_all([address]).allowed  # now the address is full
        ratelimits.give_back_all([address])
        assert ratelimits.take_all([address]).allowed
        ratelimits.give_back_all([address, phone])
        ratelimits.give_back_all([address])
        assert ratelimits.check_all([address, phone]).allowed


@pytest.mark.parametrize("backend", ["redis", "database"])
def test_an_invalid_submission_does_not_use_up_the_limit(
    backend: str, world: Any, api: Any
) -> None:
    """OP-ABUSE: a submission refused with a 422 gives its slot back; the next valid one from
    the same address still passes, and the one after the limit is a 429."""
    with (
        _limits_cache(backend),
        override_settings(RENDA_OPINION_SUBMIT_LIMITS=[(1, 600)]),
    ):
        st = station(world)
        bad = {"category": category().pk, "text": "", "anonymous": True, "station": st.pk}
        assert api().post("/opinions", bad).status_code == 422
        assert api().post("/opinions", {**bad, "category": 10**9}).status_code == 422
        _submit(api, st, 1)
        assert api().post("/opinions", {**bad, "text": "又一条"}).status_code == 429


def test_the_plain_sql_look_up_reads_what_the_orm_reads(world: Any, api: Any) -> None:
    """renda.plainsql: the tracking look-up's joined read (and the history's) gives the same
    values, converted the same way (aware datetimes, booleans, decimals), as the ORM's
    select_related — on SQLite and PostgreSQL alike."""
    from renda.opinions.actions.receiving import get_by_tracking_code
    from renda.opinions.queries_receiving import public_history

    code = _submit(api, station(world), 1)
    raw = get_by_tracking_code(code)
    orm = Opinion.objects.select_related("category__parent", "station", "congress").get(
        tracking_code=code
    )

    def same(a: Any, b: Any) -> None:
        assert type(a) is type(b)
        for f in type(a)._meta.concrete_fields:
            assert getattr(a, f.attname) == getattr(b, f.attname), f.name
            assert type(getattr(a, f.attname)) is type(getattr(b, f.attname)), f.name

    same(raw, orm)
    same(raw.category, orm.category)
    same(raw.station, orm.station)
    same(raw.congress, orm.congress)
    if orm.category.parent_id:
        same(raw.category.parent, orm.category.parent)
    history = public_history(raw)
    expected = list(orm.events.order_by("at", "id"))
    assert len(history) == len(expected) == 1
    same(history[0], expected[0])
    assert history[0].at.tzinfo is not None


def test_the_tables_a_submission_writes_index_nothing_twice(db: Any) -> None:
    """A submission writes every index of its rows: after migrations (renda.dbindexes), the
    columns that lead a composite index have no index of their own, the links an opinion
    rarely has are indexed only where set (partial, named), no LIKE index on the tracking code;
    and on SQLite the audit trail's append-only trigger survived (no table rebuild)."""
    own = {
        "opinions_opinion": {
            "congress_id": set(),
            "station_id": set(),
            "deputy_id": set(),
            "tracking_code": set(),  # its unique index only
            **{
                f"{link}_id": {f"opinion_{link}_idx"}
                for link in (
                    "follow_up_deputy",
                    "merged_into",
                    "suggestion",
                    "passed_from",
                    "recorded_by",
                )
            },
        },
        "opinions_opinionevent": {"opinion_id": set()},
        "audit_auditevent": {"actor_id": {"audit_actor_idx"}, "object_type_id": set()},
    }
    with connection.cursor() as cursor:
        for table, columns in own.items():
            found = connection.introspection.get_constraints(cursor, table)
            for column, expected in columns.items():
                names = {
                    name
                    for name, info in found.items()
                    if info["index"] and info["columns"] == [column] and not info["unique"]
                }
                assert names == expected, (table, column, names)
        unique = connection.introspection.get_constraints(cursor, "opinions_opinion")
        assert any(i["unique"] and i["columns"] == ["tracking_code"] for i in unique.values())
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'audit_auditevent'"
            )
            assert "audit_event_no_update" in {r[0] for r in cursor.fetchall()}
