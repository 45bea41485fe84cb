"""A congress-year's scores as an Excel workbook (openpyxl write-only: rows stream to a temporary
file, memory stays flat for 10,000 deputies). Sheet 1: the ranked scores with points by kind;
sheet 2: the table they were computed with and when."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from renda.orgs.models import Congress

from .choices import DeputyshipStatus, DutyKind
from .models import DeputyScore, YearScoring
from .queries_scoring import with_ranks
from .scoring_rules import ALL_KINDS, grade_label

SPOOL_BYTES = 2 * 1024 * 1024


def _bold(ws: Any, values: list[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _points(value: Any) -> float:
    return float(Decimal(str(value)))


def write_workbook(
    congress: Congress,
    year: int,
    scores: QuerySet[DeputyScore],
    scoring: YearScoring | None,
    out: IO[bytes],
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Scores"))
    ws.freeze_panes = "C2"
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 20
    kinds = [str(DutyKind(k).label) for k in ALL_KINDS]
    ws.append(
        _bold(
            ws,
            [
                _("Rank"),
                _("Name"),
                _("Delegation"),
                _("Status"),
                _("Total"),
                _("Grade"),
                *kinds,
                _("ID"),
            ],
        )
    )
    statuses = dict(DeputyshipStatus.choices)
    for s in with_ranks(scores.iterator(chunk_size=2000)):
        d = s.deputyship
        by_kind = s.by_kind or {}
        ws.append(
            [
                s.rank,
                d.person.name,
                getattr(d.delegation, "name", ""),
                str(statuses.get(d.status, d.status)),
                float(s.total),
                grade_label(s.grade),
                *[_points(by_kind.get(k, {}).get("points", 0)) for k in ALL_KINDS],
                d.pk,
            ]
        )

    ws = wb.create_sheet(_("Score table"))
    ws.column_dimensions["A"].width = 30
    ws.append([_("Congress"), congress.name])
    ws.append([_("Year"), year])
    if scoring is not None:
        table = scoring.rule_table
        computed = timezone.localtime(scoring.computed_at).strftime("%Y-%m-%d %H:%M")
        ws.append([_("Computed at"), computed])
        ws.append([_("Score table"), f"{table.name} (#{table.pk})"])
        ws.append([_("Base score"), table.rules.get("base", 0)])
        ws.append([_("Highest total"), table.rules.get("max_total")])
        ws.append([])
        ws.append(_bold(ws, [_("Kind of duty"), _("Points per record"), _("Most points a year")]))
        for k in ALL_KINDS:
            ws.append(
                [str(DutyKind(k).label), table.rules["points"].get(k), table.rules["caps"].get(k)]
            )
        ws.append([])
        ws.append(_bold(ws, [_("Grade"), _("From")]))
        for band in table.rules["bands"]:
            ws.append([grade_label(band["grade"]), band["min"] if band["min"] is not None else ""])
    else:
        ws.append([_("Not computed yet.")])
    wb.save(out)


def workbook_file(*args: Any) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
    write_workbook(*args, out)
    out.seek(0)
    return out


def filename(congress: Congress, year: int) -> str:
    return f"deputy-scores-{congress.division_code}-{year}.xlsx"
