from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renda.opinions.tasks import check_opinion_deadlines


class Command(BaseCommand):
    help = (
        "The daily deadline job for citizens' opinions: warnings before a referred unit's "
        "answer is due, overdue marking, escalation to the unit's head, the station and the "
        "office."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="run as of this date (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today: give a date as YYYY-MM-DD") from exc
        run = check_opinion_deadlines(today)
        self.stdout.write(
            f"warned {run.warned}, overdue {run.overdue}, escalated {run.escalated}, "
            f"failed {run.failed}"
        )
        if run.failed:
            raise CommandError(f"{run.failed} item(s) failed; see the log.")
