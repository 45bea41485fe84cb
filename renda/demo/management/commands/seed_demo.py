"""`manage.py seed_demo [--if-new]`: load the demo world; never in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.demo.seeding import seed_demo
from renda.orgs.models import Congress


class Command(BaseCommand):
    help = "Load the demo data (a city congress, three district congresses, units, people)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="Do nothing when the database already has congresses (used by `make run`).",
        )

    def handle(self, *args: Any, if_new: bool = False, **options: Any) -> None:
        if settings.RENDA_ENV == "production":
            raise CommandError(
                "seed_demo refuses to run when RENDA_ENV=production: demo people share one "
                "published password. Unset RENDA_ENV or use a separate database for a demo."
            )
        if if_new and Congress.objects.exists():
            self.stdout.write("The database already has congresses: demo data not loaded.")
            return
        created = seed_demo(password=settings.RENDA_DEMO_PASSWORD)
        if not created:
            self.stdout.write("Demo data already present: nothing to do.")
            return
        summary = ", ".join(f"{n} {what}" for what, n in sorted(created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
