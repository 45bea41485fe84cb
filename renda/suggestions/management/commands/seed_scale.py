"""`manage.py seed_scale --suggestions N`: synthetic province-scale data for the load benchmark."""

from __future__ import annotations

import resource
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.suggestions.scale import (
    BENCH_CLERK,
    BENCH_DEPUTY,
    BENCH_HEAD,
    BENCH_OFFICE,
    DEFAULT_PASSWORD,
    Options,
    seed_scale,
)


class Command(BaseCommand):
    help = (
        "Benchmark data: a province-scale congress (handling units, topics, deputies, ten years "
        "of sessions) and N suggestions with assignments, deadlines, answers, ratings, "
        "commitments and contacts. SYNTHETIC: rows are written straight into the tables, not "
        "through the actions; no notifications and no audit events (the audit chain is left "
        "as it was). Never in production. See docs/performance.md, 'Seeding at scale'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--suggestions", type=int, help="How many (e.g. 1000000).")
        parser.add_argument("--years", type=int, default=10, help="Years back from this one (10).")
        parser.add_argument("--units", type=int, default=300, help="Handling units (300).")
        parser.add_argument("--deputies", type=int, default=5000, help="Deputies (5000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument(
            "--congress",
            default=None,
            help="Seed into this congress (id or division code); default: create or reuse "
            "示范省人民代表大会 (530000).",
        )
        parser.add_argument(
            "--opinions",
            type=int,
            default=0,
            help="Also liaison stations and N citizens' opinions (renda/opinions/scale.py).",
        )
        parser.add_argument("--batch", type=int, default=5000, help="Suggestions per batch (5000).")
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of the seeded accounts (default {DEFAULT_PASSWORD}).",
        )

        # The deputies' registry at scale (issue 4): renda/deputies/scale.py. (--deputies above
        # is the suggestions' own number of deputies.)
        parser.add_argument(
            "--deputyships",
            type=int,
            help="Seed the deputies' registry instead: N deputyships (e.g. 100000) with their "
            "duty records (docs/performance.md, 'Deputies at scale').",
        )
        parser.add_argument("--duty-records", type=int, default=5_000_000)
        parser.add_argument("--big", type=int, default=10_000, help="The largest congress.")

    def handle(self, *args: Any, **o: Any) -> None:
        if settings.RENDA_ENV == "production":
            raise CommandError(
                "seed_scale refuses to run when RENDA_ENV=production: it writes synthetic "
                "suggestions and accounts with one published password."
            )
        if o["deputyships"] is not None:
            self._deputies(o)
            return
        if o["suggestions"] is None:
            raise CommandError("Give --suggestions N (or --deputyships N).")
        for name, low in (("suggestions", 0), ("years", 1), ("units", 2), ("deputies", 20)):
            if o[name] < low:
                raise CommandError(f"--{name} must be at least {low}.")
        if o["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        opts = Options(
            suggestions=o["suggestions"],
            years=o["years"],
            units=o["units"],
            deputies=o["deputies"],
            seed=o["seed"],
            congress=o["congress"],
            batch=o["batch"],
            password=o["password"],
        )
        try:
            result = seed_scale(opts, progress=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{n:,} {model}" for model, n in sorted(result.rows.items()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.congress} (id {result.congress.pk}) in {result.seconds:.1f} s: "
                f"{rows}. Peak RSS {peak:.0f} MB."
            )
        )
        if o["opinions"] > 0:
            self._opinions(result.congress, o)
        self.stdout.write(
            f"Bench accounts (password {opts.password!r}): {BENCH_DEPUTY} (deputy), "
            f"{BENCH_OFFICE} (deputy-affairs office), {BENCH_CLERK} and {BENCH_HEAD} "
            f"(clerk and head of {result.busiest_unit}, id {result.busiest_unit.pk})."
        )

    def _opinions(self, congress: Any, o: dict[str, Any]) -> None:
        from renda.opinions.scale import BENCH_STATION_STAFF, OpinionOptions, seed_opinions

        opts = OpinionOptions(opinions=o["opinions"], congress=congress, seed=o["seed"])
        result = seed_opinions(opts, progress=self.stdout.write, password=o["password"])
        rows = ", ".join(f"{n:,} {model}" for model, n in sorted(result.rows.items()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Opinions seeded in {result.seconds:.1f} s: {rows}; {result.facts:,} station-day "
                f"facts. Peak RSS {peak:.0f} MB. Station staff account: {BENCH_STATION_STAFF} "
                f"({result.busiest_station}, id {result.busiest_station.pk})."
            )
        )

    def _deputies(self, o: dict[str, Any]) -> None:
        from renda.deputies.scale import OFFICE, seed_deputies
        from renda.deputies.scale import Options as DeputyOptions

        opts = DeputyOptions(
            deputyships=o["deputyships"],
            records=o["duty_records"],
            big=min(o["big"], o["deputyships"]),
            seed=o["seed"],
            batch=o["batch"],
            password=o["password"],
        )
        try:
            result = seed_deputies(opts, progress=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{n:,} {model}" for model, n in sorted(result.rows.items()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded deputies in {result.seconds:.1f} s: {rows}. Peak RSS {peak:.0f} MB. "
                f"The largest congress: {result.big} (id {result.big.pk})."
            )
        )
        self.stdout.write(f"Office account: {OFFICE} (password {opts.password!r}).")
