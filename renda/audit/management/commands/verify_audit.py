from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renda.audit.queries import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit non-zero naming the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            # CommandError: the process exits with status 1 and this message on stderr.
            raise CommandError(f"Audit chain broken at event #{broken.seq}: {broken.reason}.")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
