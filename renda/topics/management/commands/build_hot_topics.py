"""`manage.py build_hot_topics [--congress C] [--since YYYY-MM-DD]`: recount the keywords."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renda.orgs.models import Congress
from renda.routing.management.commands._congress import congress_arg
from renda.topics.build import rebuild


class Command(BaseCommand):
    help = (
        "Count keywords per month, source and lead unit for the hot-topics dashboard (streamed). "
        "Run nightly with --since the first of last month; everything without it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--congress", help="Id or division code (default: every congress).")
        parser.add_argument("--since", type=date.fromisoformat)

    def handle(self, *args: Any, **o: Any) -> None:
        congresses = [congress_arg(o["congress"])] if o["congress"] else Congress.objects.all()
        for congress in congresses:
            started = time.monotonic()
            n = rebuild(congress, o["since"])
            self.stdout.write(f"{congress}: {n} keyword rows in {time.monotonic() - started:.1f} s")
