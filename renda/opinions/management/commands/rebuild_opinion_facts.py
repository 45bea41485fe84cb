"""`manage.py rebuild_opinion_facts`: rewrite the station performance facts (StationDayFact)
from the base tables — all of them, or only the days of receipt of the last N days."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from renda.opinions.stats import BATCH, rebuild_opinion_facts, refresh_station_days


class Command(BaseCommand):
    help = (
        "Rewrite the station performance facts from the opinions: every row (INSERT … SELECT "
        "in batches of opinion ids, one transaction each, flat memory), or with --days N only "
        "the station-days received in the last N days (the nightly safety net)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help=f"Opinion ids ({BATCH}).")
        parser.add_argument(
            "--days", type=int, default=None, help="Only the last N days of receipt."
        )

    def handle(self, *args: Any, **o: Any) -> None:
        started = time.monotonic()
        if o["days"] is not None:
            if o["days"] < 0:
                raise CommandError("--days must be at least 0.")
            since = timezone.localdate() - timedelta(days=o["days"])
            rows = refresh_station_days(since)
            what = f"station-days since {since}"
        else:

            def progress(done: int, top: int) -> None:
                if o["verbosity"] >= 2:
                    self.stdout.write(f"{done:>10,} / {top:,} opinion ids")

            rows = rebuild_opinion_facts(batch=max(1, o["batch"]), progress=progress)
            what = "station-days"
        self.stdout.write(
            self.style.SUCCESS(
                f"Station facts rebuilt: {rows:,} {what}, in {time.monotonic() - started:.1f} s."
            )
        )
