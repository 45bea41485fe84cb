"""`manage.py rebuild_search_index [--kind K] [--terms]`: rewrite the search index of every
suggestion, answer and opinion (issue 7 point 1), for rows written before the index existed or by
bulk loaders; then recount the words' document frequencies (similar suggestions). Streams in
batches by primary key: memory stays flat whatever the table size. Progress goes to stderr."""

from __future__ import annotations

import os
import resource
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from renda.search.index import rebuild, refresh_terms, source_count
from renda.search.models import Kind


class Command(BaseCommand):
    help = "Rewrite the search index (suggestions, answers, opinions) and the word counts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=Kind.values, action="append")
        parser.add_argument(
            "--terms", action="store_true", help="only recount the words (no reindexing)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="worker processes cutting the words (default: the cores, at most 4)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if not options["terms"]:
            for kind in options["kind"] or Kind.values:
                self._rebuild(kind, max(options["jobs"], 1))
        t0 = time.monotonic()
        total = refresh_terms()
        self.stdout.write(
            f"word counts: {total} suggestions counted in {time.monotonic() - t0:.1f} s"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s, peak memory {peak} MB")

    def _rebuild(self, kind: str, jobs: int) -> None:
        total = source_count(kind)
        t0 = time.monotonic()
        last = [0.0]

        def progress(done: int) -> None:
            now = time.monotonic()
            if now - last[0] >= 2 or done == total:
                last[0] = now
                rate = done / max(now - t0, 1e-6)
                left = (total - done) / rate if rate else 0
                sys.stderr.write(
                    f"\r{kind}: {done}/{total} ({rate:.0f}/s, about {left:.0f} s left)   "
                )
                sys.stderr.flush()

        done = rebuild(kind, progress, jobs=jobs)
        sys.stderr.write("\n")
        took = time.monotonic() - t0
        self.stdout.write(
            f"{kind}: {done} indexed in {took:.1f} s ({done / max(took, 1e-6):.0f}/s, {jobs} jobs)"
        )
