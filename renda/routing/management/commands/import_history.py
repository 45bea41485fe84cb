"""`manage.py import_history FILE [--congress C] [--map FIELD=COLUMN ...] [--create-units]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.errors import DomainError
from renda.routing.actions import import_history
from renda.routing.history import HEADERS

from ._congress import congress_arg


class Command(BaseCommand):
    help = (
        "Import past years' suggestions (CSV or .xlsx) as closed records with their lead unit, "
        "for the assignment proposals. Columns: "
        + "; ".join(f"{f}: {' / '.join(a)}" for f, a in HEADERS.items())
        + ". Unit names are matched to the registry; rows of unmatched units are reported "
        "and not loaded. Importing the same file again adds nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--congress", help="Id or division code (default: the only one).")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="Read FIELD (title, body, lead_unit, year) from COLUMN, e.g. "
            "--map lead_unit=category.",
        )
        parser.add_argument(
            "--create-units",
            action="store_true",
            help="Create the units the registry lacks (to try an archive out) instead of "
            "skipping their rows.",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        mapping: dict[str, str] = {}
        for item in o["map"]:
            field, sep, column = item.partition("=")
            if not sep or field.strip() not in HEADERS or not column.strip():
                raise CommandError(
                    f"--map {item!r}: write FIELD=COLUMN with FIELD one of {', '.join(HEADERS)}."
                )
            mapping[field.strip()] = column.strip()
        congress = congress_arg(o["congress"])
        try:
            r = import_history(
                congress, Path(o["file"]), mapping=mapping, create_units=o["create_units"]
            )
        except DomainError as exc:
            raise CommandError(str(exc.detail)) from None
        self.stdout.write(
            f"{congress}: {r.rows} rows read, {r.added} added, {r.already} already there."
        )
        if r.created_units:
            self.stdout.write(
                f"Units created ({len(r.created_units)}): {', '.join(r.created_units)}"
            )
        if r.empty:
            lines = ", ".join(map(str, r.empty[:20]))
            self.stdout.write(f"Rows without a title or unit, not loaded: line(s) {lines}")
        if r.unmatched:
            self.stdout.write(
                f"Units not in the registry ({sum(r.unmatched.values())} rows not loaded; "
                "add them to the registry or use --create-units):"
            )
            for name, n in r.unmatched.most_common():
                self.stdout.write(f"  {name}: {n}")
