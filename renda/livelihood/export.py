"""Excel workbooks (openpyxl, write-only): the candidate list for the vote and the public
progress board. Headers in the active language; money as numbers in yuan; shares as Excel
percentages."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from renda.suggestions.stats_export import PERCENT, header_cells

from .models import Plan, Project
from .queries import Board

SPOOL_BYTES = 2 * 1024 * 1024
YUAN = "#,##0.00"


def _money(ws: Any, value: Any) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = YUAN
    return cell


def _percent(ws: Any, value: float | None) -> Any:
    cell = WriteOnlyCell(ws, value=None if value is None else value / 100)
    cell.number_format = PERCENT
    return cell


def _spool(wb: Workbook) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
    wb.save(out)
    out.seek(0)
    return out


def candidates_workbook(plan: Plan, rows: list[Project]) -> IO[bytes]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Candidates"))
    ws.column_dimensions["B"].width = 30
    ws.append([f"{plan.congress.name} · {plan.title} · M = {plan.max_choices}, N = {len(rows)}"])
    ws.append(
        header_cells(
            ws,
            [
                _("No."),
                _("Title"),
                _("Content"),
                _("Lead unit"),
                _("Budget (yuan)"),
                _("Funding source"),
                _("Timeline"),
                _("Expected outcome"),
                _("State"),
                _("Votes"),
                _("Rank"),
            ],
        )
    )
    for p in rows:
        ws.append(
            [
                p.position or p.pk,
                p.title,
                p.content,
                p.lead_unit.name,
                _money(ws, p.budget),
                p.funding_source,
                p.timeline,
                p.expected_outcome,
                p.get_state_display(),
                p.votes,
                p.rank,
            ]
        )
    return _spool(wb)


def board_workbook(board: Board) -> IO[bytes]:
    plan = board.plan
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Progress"))
    ws.column_dimensions["A"].width = 30
    ws.append([f"{plan.congress.name} · {plan.title}"])
    ws.append(
        header_cells(
            ws,
            [
                _("Project"),
                _("Lead unit"),
                _("Progress"),
                _("Budget (yuan)"),
                _("Spent (yuan)"),
                _("Budget spent"),
                _("Latest report"),
                _("Percent complete"),
                _("Satisfied"),
                _("Basically satisfied"),
                _("Dissatisfied"),
            ],
        )
    )
    for r in board.rows:
        ev = r.evaluation or {}
        ws.append(
            [
                r.project.title,
                r.project.lead_unit.name,
                r.progress_label,
                _money(ws, r.project.budget),
                _money(ws, r.spent),
                _percent(ws, r.spent_percent),
                f"{r.latest.month:%Y-%m}" if r.latest else "",
                _percent(ws, float(r.latest.percent)) if r.latest else None,
                _percent(ws, ev.get("satisfied")),
                _percent(ws, ev.get("basic")),
                _percent(ws, ev.get("dissatisfied")),
            ]
        )
    return _spool(wb)


def filename(plan: Plan, what: str) -> str:
    return f"livelihood-{what}-{plan.congress.division_code}-{plan.year}.xlsx"
