"""The demo's clock: the demo suggestions are played through the real actions on the days they
happen in the story, so their dates, deadlines and audit trail read as a real year's work.

The actions take the time from `django.utils.timezone.now()` (and `localdate()`, which calls
it); while a step runs, that function returns the step's moment. Used only by `seed_demo`, in
its own management command process, never while serving requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(day: date, minute: int = 0) -> datetime:
    """`minute` minutes after 9:00 on `day`, Beijing time (steps of one day keep their order)."""
    return datetime.combine(day, time(9), tzinfo=SHANGHAI) + timedelta(minutes=minute)


@contextmanager
def clock_at(when: datetime) -> Iterator[None]:
    """While inside, timezone.now() is `when`, in UTC as Django's own now() gives it (the audit
    trail hashes the moment as the database gives it back)."""
    if timezone.is_naive(when):
        raise ValueError("the demo clock needs an aware datetime")
    with mock.patch.object(timezone, "now", return_value=when.astimezone(UTC)):
        yield
