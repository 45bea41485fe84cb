from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renda.votes.choices import ANSWER_LABELS
from renda.votes.models import Ballot
from renda.votes.recount import recount


class Command(BaseCommand):
    help = (
        "Recount a closed ballot from its stored papers and print the result; exit 1 naming "
        "every paper changed, added or deleted since close."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ballot", type=int, help="the ballot's id")

    def handle(self, *args: Any, **options: Any) -> None:
        ballot = Ballot.objects.filter(pk=options["ballot"]).first()
        if ballot is None:
            raise CommandError(f"No ballot {options['ballot']}.")
        try:
            result = recount(ballot)
        except ValueError as exc:
            raise CommandError(f"Ballot {ballot.pk}: {exc}.") from None
        labels = dict(ballot.choices.values_list("pk", "label"))
        w = self.stdout.write
        w(f"Ballot {ballot.pk}: {ballot.title}")
        w(f"Rule {ballot.rule}; {ballot.eligible} members; {result.papers} papers")
        for cid, row in result.tally["counts"].items():
            passed = result.tally["passed"].get(cid)
            verdict = {True: "passed", False: "not passed", None: "-"}[passed]
            answers = ", ".join(f"{ANSWER_LABELS[a]} {n}" for a, n in row["answers"].items())
            extra = f" ({answers})" if answers else ""
            w(f"  {labels.get(int(cid), cid)}: {row['votes']}{extra} — {verdict}")
        if result.tally["runoff"]:
            tied = ", ".join(labels.get(int(c), c) for c in result.tally["runoff"])
            w(f"  tie at the cut-off, run-off among: {tied}")
        if result.problems:
            raise CommandError(
                f"Ballot {ballot.pk} does not recount: " + "; ".join(result.problems) + "."
            )
        w(
            self.style.SUCCESS(
                f"Recount matches the seal and the result stored at close ({ballot.seal[:16]}…)."
            )
        )
