"""Rate limits of the receiving part (renda.deputies.ratelimits' fixed windows, with limits
from settings): submissions per network address AND per phone number left; tracking look-ups
per address (a code guessed at scale is refused long before it could be found)."""

from __future__ import annotations

from django.conf import settings

from renda.deputies import ratelimits
from renda.deputies.ratelimits import Verdict

SUBMIT = "opinion-submit"
SUBMIT_PHONE = "opinion-submit-phone"
TRACK = "opinion-track"


def _submit_counters(address: str | None, phone: str) -> list[ratelimits.Counter]:
    counters: list[ratelimits.Counter] = [(SUBMIT, address, settings.RENDA_OPINION_SUBMIT_LIMITS)]
    if phone:
        counters.append((SUBMIT_PHONE, phone, settings.RENDA_OPINION_PHONE_LIMITS))
    return counters


def check_submit(address: str | None, phone: str = "") -> Verdict:
    """Whether one more submission from this address (and this phone, if one is left) is
    allowed; when not, the verdict of the limit that ends last. Redis: one round trip."""
    return ratelimits.check_all(_submit_counters(address, phone))


def count_submit(address: str | None, phone: str = "") -> None:
    ratelimits.count_all(_submit_counters(address, phone))


def take_submit(address: str | None, phone: str = "") -> Verdict:
    """`check_submit` and, when allowed, `count_submit` at once (Redis: one round trip, atomic);
    `give_back_submit` when the submission is then refused as invalid."""
    return ratelimits.take_all(_submit_counters(address, phone))


def give_back_submit(address: str | None, phone: str = "") -> None:
    ratelimits.give_back_all(_submit_counters(address, phone))


def check_track(address: str | None) -> Verdict:
    return ratelimits.check(TRACK, address, settings.RENDA_OPINION_TRACK_LIMITS)


def count_track(address: str | None) -> None:
    ratelimits.count(TRACK, address, settings.RENDA_OPINION_TRACK_LIMITS)


def hit_track(address: str | None) -> Verdict:
    """A tracking look-up (or rating) counted and judged at once: one Redis round trip."""
    return ratelimits.hit(TRACK, address, settings.RENDA_OPINION_TRACK_LIMITS)
