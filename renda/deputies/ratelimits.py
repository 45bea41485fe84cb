"""Per-address limits on citizens' messages (fixed windows counted in the "ratelimit" cache).

Why not django-ratelimit: its own system checks refuse the caches of the embedded mode (LocMem
is not shared between workers, the database cache has no atomic increment), so the platform
would have to silence them. The algorithm is the same fixed-window counter and fits here: the
counters live in Redis in production (atomic INCR) and in a database table otherwise, which
every web server worker shares; two posts racing in the same instant may both pass the last slot
there, which a limit against floods can afford.

A window is keyed by its number (now // seconds), so the moment it ends — when to retry — is
known without storing it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_at: datetime | None = None  # when the fullest window ends (only when refused)

    @property
    def retry_after_seconds(self) -> int:
        if self.retry_at is None:
            return 0
        return max(1, int((self.retry_at - timezone.now()).total_seconds()) + 1)


Limits = list[tuple[int, int]]  # (count, seconds) windows


def _limits() -> Limits:
    return list(getattr(settings, "RENDA_MESSAGE_LIMITS", [(5, 600), (20, 86400)]))


def _keys(
    scope: str, address: str, now: float, limits: Limits | None = None
) -> list[tuple[str, int, int, float]]:
    out = []
    for count, seconds in limits if limits is not None else _limits():
        window = int(now // seconds)
        key = f"{scope}:{address}:{seconds}:{window}"
        out.append((key, count, seconds, (window + 1) * seconds))
    return out


def _redis(cache: Any) -> Any:
    """A redis-py client for the "ratelimit" cache when it is Redis, else None. Reused: Django's
    RedisCache builds a new client object (≈ 0.5 ms of CPU) for every call it makes."""
    if not isinstance(cache, RedisCache):
        return None
    backend = cache._cache  # the per-thread cache object's RedisCacheClient (and its pool)
    client = getattr(backend, "_renda_client", None)
    if client is None:
        client = backend._renda_client = backend.get_client(write=True)
    return client


Counter = tuple[str, str | None, Limits | None]  # (scope, address or key, limits)


def _all_keys(counters: list[Counter], now: float) -> list[tuple[str, int, int, float]]:
    return [k for scope, who, lim in counters for k in _keys(scope, who or "unknown", now, lim)]


def check(scope: str, address: str | None, limits: Limits | None = None) -> Verdict:
    """Whether one more message from this address is within every limit (counts nothing).
    `limits` (a setting of the caller's) replaces RENDA_MESSAGE_LIMITS for this scope; `address`
    may be any key (a network address, a phone number). Redis: one MGET."""
    return check_all([(scope, address, limits)])


def check_all(counters: list[Counter]) -> Verdict:
    """`check` for several counters at once (a submission's address AND phone): allowed when
    every one is; refused, with the time the fullest window ends. Redis: one MGET for all."""
    now = time.time()
    cache = caches["ratelimit"]
    keys = _all_keys(counters, now)
    client = _redis(cache)
    if client is not None:
        values = client.mget([cache.make_and_validate_key(k) for k, *_rest in keys])
        used = {k: int(v) for (k, *_rest), v in zip(keys, values, strict=True) if v is not None}
    else:
        used = cache.get_many([k for k, *_rest in keys])
    ends = [end for key, count, _s, end in keys if used.get(key, 0) >= count]
    if not ends:
        return Verdict(True)
    return Verdict(False, datetime.fromtimestamp(max(ends), tz=timezone.get_current_timezone()))


def count(scope: str, address: str | None, limits: Limits | None = None) -> None:
    """Count one message from this address in every window. Redis: one round trip, a MULTI of
    SET NX EX (starts the window's counter with its expiry) and INCR (atomic, keeps the expiry)
    per window."""
    count_all([(scope, address, limits)])


def count_all(counters: list[Counter]) -> None:
    """`count` for several counters at once; Redis: one round trip for all."""
    now = time.time()
    cache = caches["ratelimit"]
    keys = _all_keys(counters, now)
    client = _redis(cache)
    if client is not None:
        pipe = client.pipeline(transaction=True)
        for key, _count, _seconds, end in keys:
            full = cache.make_and_validate_key(key)
            pipe.set(full, 0, ex=int(end - now) + 1, nx=True)
            pipe.incr(full)
        pipe.execute()
        return
    for key, _count, _seconds, end in keys:
        timeout = int(end - now) + 1  # the counter lives until its window ends
        # Other backends' incr() is a get and a set that resets the expiry: set it ourselves.
        cache.set(key, int(cache.get(key, 0)) + 1, timeout=timeout)


def hit(scope: str, address: str | None, limits: Limits | None = None) -> Verdict:
    """Count one more and say whether it was within every limit — a look-up that is counted
    whether it is allowed or not (a refused one counts too: it moves no window's end, so the
    time to retry is the same). Redis: ONE round trip (the MULTI of `count`, whose INCRs give
    the counts); elsewhere `check` then `count`."""
    now = time.time()
    cache = caches["ratelimit"]
    keys = _all_keys([(scope, address, limits)], now)
    client = _redis(cache)
    if client is None:
        verdict = check(scope, address, limits)
        if verdict.allowed:
            count(scope, address, limits)
        return verdict
    pipe = client.pipeline(transaction=True)
    for key, _count, _seconds, end in keys:
        full = cache.make_and_validate_key(key)
        pipe.set(full, 0, ex=int(end - now) + 1, nx=True)
        pipe.incr(full)
    counts = pipe.execute()[1::2]  # each window's count, this one included
    ends = [end for (_k, n, _s, end), used in zip(keys, counts, strict=True) if used > n]
    if not ends:
        return Verdict(True)
    return Verdict(False, datetime.fromtimestamp(max(ends), tz=timezone.get_current_timezone()))


# Check every window and, only when each has room, count one in each: atomic in Redis (no two
# posts racing for the last slot both pass). Returns the 1-based indices of the full windows
# (none: allowed and counted). KEYS: the windows; ARGV: their limits, then their lifetimes.
_TAKE_LUA = """
local n = #KEYS
local full = {}
for i = 1, n do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
    full[#full + 1] = i
  end
end
if #full > 0 then return full end
for i = 1, n do
  redis.call('SET', KEYS[i], 0, 'EX', ARGV[n + i], 'NX')
  redis.call('INCR', KEYS[i])
end
return full
"""


def _take_script(client: Any) -> Any:
    script = getattr(client, "_renda_take", None)
    if script is None:
        script = client._renda_take = client.register_script(_TAKE_LUA)
    return script


def take_all(counters: list[Counter]) -> Verdict:
    """`check_all` and, when allowed, `count_all` — in ONE Redis round trip (a script run
    where the server keeps it: EVALSHA), atomic there. Give the count back with `give_back_all`
    when what was counted did not happen (a submission refused as invalid)."""
    now = time.time()
    cache = caches["ratelimit"]
    keys = _all_keys(counters, now)
    client = _redis(cache)
    if client is None:
        verdict = check_all(counters)
        if verdict.allowed:
            count_all(counters)
        return verdict
    full = _take_script(client)(
        keys=[cache.make_and_validate_key(k) for k, *_rest in keys],
        args=[n for _k, n, _s, _e in keys] + [int(end - now) + 1 for *_rest, end in keys],
    )
    if not full:
        return Verdict(True)
    ends = [keys[int(i) - 1][3] for i in full]
    return Verdict(False, datetime.fromtimestamp(max(ends), tz=timezone.get_current_timezone()))


def give_back_all(counters: list[Counter]) -> None:
    """Undo `take_all`'s count (the windows it counted in, if they still exist)."""
    now = time.time()
    cache = caches["ratelimit"]
    keys = _all_keys(counters, now)
    client = _redis(cache)
    if client is not None:
        pipe = client.pipeline(transaction=False)
        for key, *_rest in keys:
            pipe.decr(cache.make_and_validate_key(key))
        pipe.execute()
        return
    for key, _count, _seconds, end in keys:
        used = int(cache.get(key, 0))
        if used > 0:
            cache.set(key, used - 1, timeout=int(end - now) + 1)
