"""Compare the duty tallies with the duty records (they are kept together by the actions; a
record written or deleted behind their back — a manual SQL fix, a restore of one table — shows
here), and with --rebuild recount them from the records.

    python manage.py check_duty_tallies              # exit status 1 when any disagree
    python manage.py check_duty_tallies --rebuild    # recount every tally, in one transaction
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from renda.deputies import tallies


class Command(BaseCommand):
    help = "Check the duty tallies against the duty records; --rebuild recounts them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recount from the records")

    def handle(self, *args: Any, rebuild: bool = False, **options: Any) -> None:
        if rebuild:
            with transaction.atomic():
                rows = tallies.rebuild()
            self.stdout.write(self.style.SUCCESS(f"Recounted: {rows:,} tally rows."))
            return
        wrong = tallies.check()
        if not wrong:
            self.stdout.write(self.style.SUCCESS("The duty tallies agree with the records."))
            return
        for deputyship, kind, year, kept, counted in wrong[:50]:
            self.stdout.write(
                f"deputyship {deputyship} {kind} {year}: tally {kept}, records {counted}"
            )
        raise CommandError(f"{len(wrong):,} tallies disagree with the records: run with --rebuild.")
