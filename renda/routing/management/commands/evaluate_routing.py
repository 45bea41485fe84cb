"""`manage.py evaluate_routing [--congress C] (--before DATE | --split 0.7 --seed N ...)`:
top-1/top-3 accuracy of the proposal model beside a plain character n-gram baseline trained
and measured in the same run on the same split (issue 7, "measured, not claimed")."""

from __future__ import annotations

import random
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.routing.classifier import evaluate
from renda.routing.training import samples

from ._congress import congress_arg


def _day(on: Any) -> date:
    return date(on, 1, 1) if isinstance(on, int) else on


class Command(BaseCommand):
    help = (
        "Measure the assignment proposals: train on past assignments before --before (or on a "
        "random --split share, per --seed), report top-1/top-3 on the rest, beside a plain "
        "character n-gram baseline measured in the same run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--congress", help="Id or division code (default: the only one).")
        parser.add_argument("--before", type=date.fromisoformat, help="Cut-off date (YYYY-MM-DD).")
        parser.add_argument("--split", type=float, default=0.7, help="Training share (0.7).")
        parser.add_argument(
            "--seed", type=int, action="append", help="Random split seed (repeat for several)."
        )
        parser.add_argument("--limit", type=int, help="Newest N samples only.")

    def handle(self, *args: Any, **o: Any) -> None:
        if not 0.05 <= o["split"] <= 0.95:
            raise CommandError("--split must be between 0.05 and 0.95.")
        congress = congress_arg(o["congress"])
        data = list(samples(congress.pk, o["limit"]))
        if len(data) < 10:
            raise CommandError(f"{congress}: only {len(data)} samples; nothing to measure.")
        runs: list[tuple[str, list[Any], list[Any]]] = []
        if o["before"]:
            train = [s for s in data if _day(s.on) < o["before"]]
            test = [s for s in data if _day(s.on) >= o["before"]]
            if not train or not test:
                raise CommandError("--before leaves nothing to train on or nothing to measure.")
            runs.append((f"before {o['before']}", train, test))
        else:
            for seed in o["seed"] or [0]:
                shuffled = data[:]
                random.Random(seed).shuffle(shuffled)  # noqa: S311 - a reproducible split
                cut = int(len(shuffled) * o["split"])
                runs.append((f"split {o['split']} seed {seed}", shuffled[:cut], shuffled[cut:]))
        self.stdout.write(f"{congress}: {len(data)} samples, {len({s.unit for s in data})} units.")
        self.stdout.write(f"{'run':<24} {'train':>8} {'test':>7}  model top-1/top-3   baseline")
        totals = {"model": [0.0, 0.0], "baseline": [0.0, 0.0]}
        for name, train, test in runs:
            started = time.monotonic()
            r = evaluate(
                ([s.text for s in train], [str(s.unit) for s in train]),
                ([s.text for s in test], [str(s.unit) for s in test]),
            )
            for k in totals:
                totals[k][0] += r[k]["top1"]
                totals[k][1] += r[k]["top3"]
            self.stdout.write(
                f"{name:<24} {len(train):>8} {len(test):>7}  "
                f"{r['model']['top1']:6.1%} / {r['model']['top3']:6.1%}   "
                f"{r['baseline']['top1']:6.1%} / {r['baseline']['top3']:6.1%}"
                f"   ({time.monotonic() - started:.1f} s)"
            )
        if len(runs) > 1:
            n = len(runs)
            m, b = totals["model"], totals["baseline"]
            self.stdout.write(
                f"{'mean':<24} {'':>8} {'':>7}  {m[0] / n:6.1%} / {m[1] / n:6.1%}   "
                f"{b[0] / n:6.1%} / {b[1] / n:6.1%}"
            )
