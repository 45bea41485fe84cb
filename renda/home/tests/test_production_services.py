"""Production services: Redis as cache and session store (REDIS_URL).

Runs when RENDA_TEST_REDIS_URL names a Redis database (CI sets it); skipped otherwise.
"""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

REDIS = os.environ.get("RENDA_TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS, reason="RENDA_TEST_REDIS_URL is not set")

REDIS_SETTINGS = {
    "CACHES": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"renda-test-{uuid.uuid4().hex[:8]}",
        }
    },
    "SESSION_ENGINE": "django.contrib.sessions.backends.cache",
}


def test_cache_round_trips_through_redis():
    with override_settings(**REDIS_SETTINGS):
        cache.set("probe", {"张": 1}, 30)
        assert cache.get("probe") == {"张": 1}
        import redis

        keys = redis.Redis.from_url(REDIS).keys(
            f"{REDIS_SETTINGS['CACHES']['default']['KEY_PREFIX']}*"
        )
        assert keys, "the value must really be stored in Redis"
        cache.delete("probe")


def test_signed_in_session_lives_in_redis(client, world):
    from conftest import PASSWORD

    with override_settings(**REDIS_SETTINGS):
        response = client.post("/accounts/login/", {"username": "deputy", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        from django.contrib.sessions.models import Session

        assert not Session.objects.exists(), "sessions must not be written to the database"
