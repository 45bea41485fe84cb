"""The roster's columns written out: the empty template the office fills, and the registry's
(filtered) list as a workbook with the same columns, so an export can be imported again.

openpyxl in write-only mode into a spooled temporary file: rows stream out, memory stays flat.
Personal columns (出生年月, 身份证号码, 手机号码) are filled only for deputies whose private data
the viewer may see (their congress's office, administrators); otherwise left empty.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from .models import Deputyship
from .roster import GENDER_LABELS, HEADERS, PARTY_LABELS

SPOOL_BYTES = 2 * 1024 * 1024
WIDTHS = (10, 6, 8, 10, 22, 14, 32, 16, 16, 14)
PRIVATE = {"出生年月", "身份证号码", "手机号码"}
TEXT = "@"


def _sheet(wb: Workbook, title: str) -> Any:
    ws = wb.create_sheet(title)
    for letter, width in zip("ABCDEFGHIJ", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    return ws


def _text_cell(ws: Any, value: str) -> Any:
    """A cell stored and formatted as text, so Excel keeps an 18-digit number whole."""
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = TEXT
    return cell


def _spooled(wb: Workbook) -> IO[bytes]:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the response closes it)
    wb.save(out)
    out.seek(0)
    return out


def template_file() -> IO[bytes]:
    """The empty roster template (a small, ordinary workbook, so it can carry drop-down lists):
    the headers, the personal columns formatted as text, and a sheet of notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Roster")
    ws.append(HEADERS)
    for index, width in enumerate(WIDTHS, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        ws.column_dimensions[letter].width = width
        ws.cell(row=1, column=index).font = Font(bold=True)
    ws.freeze_panes = "A2"
    for letter in ("D", "E", "J"):  # 出生年月, 身份证号码, 手机号码: text, or Excel mangles them
        for row in range(2, 1002):
            ws[f"{letter}{row}"].number_format = TEXT
    party = DataValidation(
        type="list", formula1='"' + ",".join(PARTY_LABELS.values()) + '"', allow_blank=True
    )
    gender = DataValidation(type="list", formula1='"男,女"', allow_blank=True)
    ws.add_data_validation(party)
    ws.add_data_validation(gender)
    party.add("F2:F20001")
    gender.add("B2:B20001")
    notes = wb.create_sheet(_("Notes"))
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90
    for line in (
        (_("Column"), _("What to write")),
        ("姓名", _("Required.")),
        ("身份证号码", _("Required. The 18-character number; keep the column formatted as text.")),
        ("选举单位", _("Required (or a column named 选区).")),
        ("出生年月", _("E.g. 1975.06, 1975-06 or 1975年6月; must agree with the ID-card number.")),
        ("性别", _("男 or 女; must agree with the ID-card number.")),
        ("政治面貌", "、".join(PARTY_LABELS.values())),
        ("代表团", _("One of the term's delegations, as named in the registry.")),
        ("手机号码", _("11 digits; becomes the deputy's sign-in name when free.")),
    ):
        notes.append(list(line))
    return _spooled(wb)


def export_file(rows: Iterable[Deputyship], *, private_congresses: set[int] | None) -> IO[bytes]:
    """The deputies as a roster. `private_congresses`: the congresses whose deputies' personal
    data the viewer may see (None: all, an administrator)."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, _("Roster"))
    for d in rows:
        p = d.person
        private = private_congresses is None or d.congress_id in private_congresses
        ws.append(
            [
                p.name,
                GENDER_LABELS.get(p.gender, ""),
                p.ethnicity,
                _text_cell(ws, p.birth_month.strftime("%Y.%m"))
                if private and p.birth_month
                else "",
                _text_cell(ws, p.id_number or "") if private else "",
                PARTY_LABELS.get(p.party, ""),
                p.workplace,
                d.electoral_unit,
                d.delegation.name if d.delegation else "",
                _text_cell(ws, p.user.phone) if private and p.user.phone else "",
            ]
        )
    return _spooled(wb)
