"""`manage.py verify_stats`: the statistics from the fact rows equal the aggregate over the
base tables (docs/statistics.md, "How the figures are kept"), and the office's list counts equal
a count of the suggestions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from renda.orgs.models import Congress, HandlingUnit
from renda.suggestions import counts
from renda.suggestions.models import AssignmentFact, Suggestion
from renda.suggestions.stats import StatsFilter, suggestion_stats
from renda.suggestions.stats_reference import first_difference, reference_stats


class Command(BaseCommand):
    help = (
        "Compare the suggestion statistics read from the fact rows with the same figures "
        "computed from the base tables (every congress with suggestions, all years, every "
        "breakdown, every lead deputy), and the office's list counts with a count of the "
        "suggestions; exit 1 naming the first difference. Slow at scale "
        "(the reference aggregate: about a minute at 1M suggestions on SQLite)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--congress", type=int, help="Only this congress (id).")
        parser.add_argument("--year", type=int, help="Only this year.")
        parser.add_argument(
            "--units", action="store_true", help="Also each unit's own view (one pair per unit)."
        )
        parser.add_argument("--today", type=date.fromisoformat, help="As of (YYYY-MM-DD).")

    def handle(self, *args: Any, **o: Any) -> None:
        today = o["today"] or timezone.localdate()
        # The lists' counts (counts.py) against a count of the suggestions and assignments.
        off = counts.difference()
        if off:
            key, (kept, counted) = next(iter(off.items()))
            raise CommandError(
                f"List counts differ from the suggestions and assignments ({len(off)} keys; "
                f"first: {key}: {kept} ≠ {counted}). Run `manage.py rebuild_stats_facts`."
            )
        congresses = Congress.objects.filter(
            pk__in=Suggestion.objects.values("congress_id")
        ).order_by("pk")
        if o["congress"]:
            congresses = congresses.filter(pk=o["congress"])
        checked = 0
        for congress in congresses:
            filters = [StatsFilter(congress=congress, year=o["year"], today=today)]
            if o["units"]:
                units = (
                    AssignmentFact.objects.filter(congress_id=congress.pk)
                    .values_list("unit_id", flat=True)
                    .distinct()
                )
                filters += [
                    StatsFilter(congress=congress, year=o["year"], unit=unit, today=today)
                    for unit in HandlingUnit.objects.filter(pk__in=list(units)).order_by("pk")
                ]
            for f in filters:
                difference = first_difference(
                    suggestion_stats(f, deputy_limit=None), reference_stats(f, deputy_limit=None)
                )
                if difference is not None:
                    where = f"congress {congress.pk}" + (f", unit {f.unit.pk}" if f.unit else "")
                    # CommandError: exit status 1, this message on stderr.
                    raise CommandError(
                        f"Statistics differ from the base tables ({where}): {difference}. "
                        "Run `manage.py rebuild_stats_facts`."
                    )
                checked += 1
        self.stdout.write(
            self.style.SUCCESS(f"Statistics consistent: {checked} views compared as of {today}.")
        )
