"""Station performance as an Excel workbook (openpyxl, write-only: rows go to a temporary file
as they are written; the response streams that file). One sheet for the ranking, one for the
definitions; headers in the active language; rates are numbers with a % format (an empty cell
where the API gives null, "—")."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .choices import StationKind
from .queries_stats import DEFINITIONS, FIGURES, RATES, StationPerformance

PERCENT = "0.0%"
SPOOL_BYTES = 2 * 1024 * 1024


def _header(ws: Any, values: list[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def _cells(ws: Any, row: dict[str, Any]) -> list[Any]:
    cells: list[Any] = []
    for key in FIGURES:
        value = row[key]
        if key in RATES:
            cell = WriteOnlyCell(ws, value=None if value is None else value / 100)
            cell.number_format = PERCENT
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def write_workbook(perf: StationPerformance, out: IO[bytes]) -> None:
    p = perf.period
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Stations"))
    ws.column_dimensions["B"].width = 28
    ws.freeze_panes = "D3"
    ws.append(
        [
            f"{p.congress.name} · {p.start.isoformat()} – {p.end.isoformat()} · "
            + _("as of %(day)s") % {"day": p.today.isoformat()}
        ]
    )
    ws.append(_header(ws, [_("ID"), _("Station"), _("Kind"), *FIGURES.values()]))
    kinds = dict(StationKind.choices)
    for row in perf.stations:
        ws.append(
            [row["id"], row["name"], str(kinds.get(row["kind"], row["kind"])), *_cells(ws, row)]
        )
    ws.append(["", pgettext("stats", "Total"), "", *_cells(ws, perf.totals)])
    ws = wb.create_sheet(_("Definitions"))
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    ws.append(_header(ws, [_("Figure"), _("Definition")]))
    for key, label in FIGURES.items():
        ws.append([str(label), str(DEFINITIONS[key])])
    wb.save(out)


def workbook_file(perf: StationPerformance) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
    write_workbook(perf, out)
    out.seek(0)
    return out


def filename(perf: StationPerformance) -> str:
    p = perf.period
    return f"station-stats-{p.congress.division_code}-{p.start:%Y%m%d}-{p.end:%Y%m%d}.xlsx"
