"""The nightly safety net of the station performance facts: recompute the station-days of the
last days of receipt (default 2), so a change that did not call `refresh_opinion_facts` is
corrected by the next morning. Enqueue `refresh_recent_station_facts` daily (cron or a
scheduler, for the django-tasks worker `manage.py db_worker`), or run `manage.py
rebuild_opinion_facts --days 2`. Each station-day is recomputed under its row lock, so two
runs at once, or a run beside the actions, give the same rows."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .stats import refresh_station_days

RECENT_DAYS = 2


@task()
def refresh_recent_station_facts(days: int = RECENT_DAYS) -> int:
    return refresh_station_days(timezone.localdate() - timedelta(days=max(0, days)))
