from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renda.suggestions.tasks import check_deadlines


class Command(BaseCommand):
    help = (
        "The daily deadline job for suggestions: warnings before answer deadlines, overdue "
        "marking and escalation, co-units' opinion warnings and late marks, no feedback after "
        "the rating window, closing."
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
        run = check_deadlines(today)
        self.stdout.write(
            f"warned {run.warned}, overdue {run.overdue}, escalated {run.escalated}, "
            f"co-opinions warned {run.co_warned}, co-opinions late {run.co_late}, "
            f"no feedback {run.no_feedback}, closed {run.closed}, failed {run.failed}"
        )
        if run.failed:
            raise CommandError(f"{run.failed} item(s) failed; see the log.")
