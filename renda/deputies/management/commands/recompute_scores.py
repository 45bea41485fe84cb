"""Recompute deputies' performance points (DEP-SCORE) as the platform, e.g. nightly from cron,
so the stored scores follow the duty records recorded during the day.

    python manage.py recompute_scores                  # every congress, this year
    python manage.py recompute_scores --congress 330300 --year 2025
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.deputies.actions.scoring import clean_year, recompute_scores
from renda.deputies.models import Deputyship
from renda.errors import InvalidInput
from renda.orgs.models import Congress


class Command(BaseCommand):
    help = "Recompute deputies' performance points for a year (every congress with deputies)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--congress", help="division code (default: every congress)")
        parser.add_argument("--year", help="default: this year")

    def handle(
        self, *args: Any, congress: str | None = None, year: str | None = None, **options: Any
    ) -> None:
        from django.utils import timezone

        try:
            y = clean_year(year) if year else timezone.localdate().year
        except InvalidInput as err:
            raise CommandError(err.detail) from None
        congresses = Congress.objects.filter(
            pk__in=Deputyship.objects.values("congress_id")
        ).order_by("division_code")
        if congress:
            congresses = Congress.objects.filter(division_code=congress)
            if not congresses.exists():
                raise CommandError(f"No congress with division code {congress}.")
        for c in congresses:
            scoring = recompute_scores(c, y, by=None)
            self.stdout.write(f"{c.division_code} {c.name} {y}: {scoring.deputies} deputies")
