"""`manage.py train_routing [--congress C] [--if-due]`: train the assignment-proposal model."""

from __future__ import annotations

import resource
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renda.routing.actions import train_model
from renda.routing.tasks import is_due
from renda.routing.training import min_samples, min_units

from ._congress import congress_arg


class Command(BaseCommand):
    help = (
        "Train the congress's assignment-proposal model on its past assignments and imported "
        "archive (the file goes to the data directory). --if-due: only when enough new "
        "assignments have accumulated (ROUTING_RETRAIN_AFTER)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--congress", help="Id or division code (default: the only one).")
        parser.add_argument("--if-due", action="store_true")

    def handle(self, *args: Any, **o: Any) -> None:
        congress = congress_arg(o["congress"])
        if o["if_due"] and not is_due(congress.pk):
            self.stdout.write(f"{congress}: not due (too few new assignments since last time).")
            return
        r = train_model(congress)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        if r.trained is None:
            self.stdout.write(
                f"{congress}: too little history ({r.samples} samples, {r.units} units; at "
                f"least {min_samples()} samples and {min_units()} units needed): nothing trained, "
                "nothing will be proposed."
            )
            return
        t = r.trained
        self.stdout.write(
            f"{congress}: trained on {t.samples} samples ({t.units} units) in {t.seconds:.1f} s, "
            f"peak memory {peak} MB; held-out fifth: top-1 {t.top1:.1%}, top-3 {t.top3:.1%}. "
            f"File: {t.path}"
        )
