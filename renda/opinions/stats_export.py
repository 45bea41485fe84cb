"""Station performance as an Excel workbook (openpyxl, write-only: rows go to a temporary file
as they are written; the response streams that file). One sheet for the ranking, one for the
definitions; headers in the active language; rates are numbers with a % format (an empty cell
where the API gives null, "—")."""

from __future__ import annotations

import tempfile
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from renda.suggestions.stats_export import figure_cells, header_cells

from .choices import StationKind
from .queries_stats import DEFINITIONS, FIGURES, RATES, StationPerformance

SPOOL_BYTES = 2 * 1024 * 1024


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
    ws.append(header_cells(ws, [_("ID"), _("Station"), _("Kind"), *FIGURES.values()]))
    kinds = dict(StationKind.choices)
    for row in perf.stations:
        ws.append(
            [
                row["id"],
                row["name"],
                str(kinds.get(row["kind"], row["kind"])),
                *figure_cells(ws, row, FIGURES, RATES),
            ]
        )
    ws.append(["", pgettext("stats", "Total"), "", *figure_cells(ws, perf.totals, FIGURES, RATES)])
    ws = wb.create_sheet(_("Definitions"))
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    ws.append(header_cells(ws, [_("Figure"), _("Definition")]))
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
