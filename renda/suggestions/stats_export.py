"""The suggestion statistics as an Excel workbook (openpyxl, write-only: rows go to a temporary
file as they are written, so memory stays flat however many deputies or units there are).

One sheet for the totals, one per breakdown, one with the definitions. Headers in the active
language (Simplified Chinese by default); rates are numbers with a % format (66.7 % is stored as
0.667), an empty cell where the API gives null ("—")."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .stats import COUNTS, DEFINITIONS, FIGURES, RATE_NOTE, RATES, SuggestionStats, figure_label

PERCENT = "0.0%"
SPOOL_BYTES = 2 * 1024 * 1024


def sheet_titles() -> dict[str, str]:
    return {
        "totals": _("Totals"),
        "by_year": _("By year"),
        "by_session": _("By session"),
        "by_unit": _("By unit"),
        "by_topic": _("By topic"),
        "by_deputy": _("By deputy"),
        "definitions": _("Definitions"),
    }


def header_cells(ws: Any, values: list[Any]) -> list[Any]:
    """A bold, wrapped header row (shared with the stations' export)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def figure_cells(
    ws: Any, row: dict[str, Any], figures: Any = FIGURES, rates: Any = RATES
) -> list[Any]:
    """A row's figures in `figures`' order, the rates (percent values) as Excel percentages."""
    cells: list[Any] = []
    for key in figures:
        value = row[key]
        if key in rates:
            cell = WriteOnlyCell(ws, value=None if value is None else value / 100)
            cell.number_format = PERCENT
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _filter_lines(stats: SuggestionStats) -> list[list[Any]]:
    f = stats.filter
    return [
        [_("Congress"), f.congress.name],
        [_("Year"), f.year if f.year is not None else _("All years")],
        [_("Session"), str(f.session) if f.session is not None else _("All sessions")],
        [_("Unit"), f.unit.name if f.unit is not None else _("All units")],
        [_("As of"), f.today.isoformat()],
    ]


def write_workbook(stats: SuggestionStats, out: IO[bytes]) -> None:
    """Write the workbook for `stats` to `out` (a binary file)."""
    wb = Workbook(write_only=True)
    titles = sheet_titles()
    labels = [figure_label(key) for key in FIGURES]

    ws = wb.create_sheet(titles["totals"])
    ws.column_dimensions["A"].width = 28
    for line in _filter_lines(stats):
        ws.append(line)
    ws.append([])
    ws.append(header_cells(ws, [_("Figure"), _("Value")]))
    totals = stats.totals
    for key in FIGURES:
        if key in RATES:
            cell = WriteOnlyCell(ws, value=None if totals[key] is None else totals[key] / 100)
            cell.number_format = PERCENT
            ws.append([str(figure_label(key)), cell])
        else:
            ws.append([str(figure_label(key)), totals[key]])

    for name in ("by_year", "by_session", "by_unit", "by_topic", "by_deputy"):
        ws = wb.create_sheet(titles[name])
        ws.column_dimensions["B"].width = 24
        ws.freeze_panes = "C2"
        ws.append(header_cells(ws, [_("ID"), _("Name"), *labels]))
        for row in getattr(stats, name):
            ws.append([row["id"], str(row["name"]), *figure_cells(ws, row)])

    ws = wb.create_sheet(titles["definitions"])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 90
    ws.append(header_cells(ws, [_("Figure"), _("Key"), _("Definition")]))
    for key in FIGURES:
        kind = _("count") if key in COUNTS else _("per cent")
        ws.append([str(figure_label(key)), f"{key} ({kind})", str(DEFINITIONS[key])])
    ws.append([])
    ws.append([str(RATE_NOTE)])
    wb.save(out)


def workbook_file(stats: SuggestionStats) -> IO[bytes]:
    """The workbook in a temporary file (in memory up to 2 MB, then on disk), rewound."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
    write_workbook(stats, out)
    out.seek(0)
    return out


def filename(stats: SuggestionStats) -> str:
    f = stats.filter
    parts = ["suggestion-stats", f.congress.division_code]
    if f.year is not None:
        parts.append(str(f.year))
    if f.unit is not None:
        parts.append(f"unit{f.unit.pk}")
    return "-".join(parts) + ".xlsx"
