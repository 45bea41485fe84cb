"""One coverage list as an Excel workbook (openpyxl write-only: rows go to a temporary file as
they are written, so memory stays flat however many deputies). Headers in the active language.
No personal data: names, delegations and electoral units only."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .queries_coverage import (
    DUTY_LISTS,
    LIST_TITLES,
    CoverageFilter,
    flagged_deputies,
    iter_rows,
    missing_duty,
    sc_below_target,
    sc_target,
)

SPOOL_BYTES = 2 * 1024 * 1024


def _header(ws: Any, values: list[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=str(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def write_coverage(f: CoverageFilter, key: str, out: IO[bytes]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(LIST_TITLES[key])[:31])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 30
    ws.append([_("Congress"), f.congress.name])
    ws.append([_("Term"), f.term.number])
    ws.append([_("Delegation"), f.delegation.name if f.delegation else _("All delegations")])
    ws.append([_("Deputy group"), f.group.name if f.group else _("All groups")])
    ws.append([_("Counted from"), f.since.isoformat(), _("to"), f.until.isoformat()])
    ws.append([])
    if key in DUTY_LISTS:
        ws.append(_header(ws, [_("ID"), _("Name"), _("Delegation"), _("Electoral unit")]))
        for d in iter_rows(missing_duty(f, key)):
            ws.append(
                [d.pk, d.person.name, d.delegation.name if d.delegation else "", d.electoral_unit]
            )
    elif key == "sc_contacts":
        target = sc_target(f.congress)
        ws.append([_("Target"), target])
        ws.append(
            _header(ws, [_("ID"), _("Name"), _("Position"), _("Fixed contacts"), _("Missing")])
        )
        for m in sc_below_target(f):
            ws.append(
                [
                    m.pk,
                    m.user.display_name,
                    str(m.get_position_display()),
                    m.contacts,
                    target - m.contacts,
                ]
            )
    else:
        ws.append(
            _header(ws, [_("ID"), _("Name"), _("Delegation"), _("Sessions absent without leave")])
        )
        for row in flagged_deputies(f):
            d = row.deputyship
            ws.append(
                [
                    d.pk,
                    d.person.name,
                    d.delegation.name if d.delegation else "",
                    "; ".join(str(s) for s in row.sessions),
                ]
            )
        ws.append([])
        ws.append([_("The platform never ends a deputyship: the standing committee decides.")])
    wb.save(out)


def coverage_workbook(f: CoverageFilter, key: str) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
    write_coverage(f, key, out)
    out.seek(0)
    return out


def export_filename(f: CoverageFilter, key: str) -> str:
    parts = ["coverage", key, f.congress.division_code, f"term{f.term.number}"]
    if f.delegation is not None:
        parts.append(f"delegation{f.delegation.pk}")
    if f.group is not None:
        parts.append(f"group{f.group.pk}")
    return "-".join(parts) + ".xlsx"
