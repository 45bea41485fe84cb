"""`manage.py rebuild_stats_facts`: rewrite every statistics fact row, and the office's list
counts, from the base tables."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renda.suggestions.counts import rebuild_counts
from renda.suggestions.facts import BATCH, rebuild_facts


class Command(BaseCommand):
    help = (
        "Rewrite the suggestion statistics' fact rows, and the office's list counts, from the "
        "base tables (after a restore, or when verify_stats finds a difference): INSERT … "
        "SELECT in batches of suggestion ids, one transaction each, flat memory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help=f"Suggestion ids ({BATCH}).")

    def handle(self, *args: Any, **o: Any) -> None:
        started = time.monotonic()

        def progress(done: int, top: int) -> None:
            if o["verbosity"] >= 2:
                self.stdout.write(f"{done:>10,} / {top:,} suggestion ids")

        suggestions, assignments = rebuild_facts(batch=max(1, o["batch"]), progress=progress)
        rows = rebuild_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Statistics facts rebuilt: {suggestions:,} suggestions, {assignments:,} "
                f"assignments; list counts: {rows:,} rows; in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
