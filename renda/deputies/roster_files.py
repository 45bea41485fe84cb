"""Reading an uploaded roster file: an Excel workbook (.xlsx) or a CSV text file, told apart by
its content (never by its name), into a header row and rows of cell values.

- .xlsx is read with openpyxl in read-only mode (rows stream from the zip: memory does not grow
  with the file); its XML goes through defusedxml. Only the first worksheet is read.
- CSV: UTF-8 (with or without the byte-order mark Excel writes) or GB18030 (a superset of GBK,
  which Chinese Excel writes by default).
- Refused with a clear sentence (RosterFileError): an empty file, one too large or with too many
  rows (settings RENDA_ROSTER_MAX_MB, RENDA_ROSTER_MAX_ROWS), an old .xls, a password-protected
  workbook, a corrupt or otherwise unreadable file, and anything that is neither.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import filetype
import olefile
from django.conf import settings
from django.utils.translation import gettext as _

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A real roster's parts unpack to a few MB; more is a zip bomb, not a roster.
UNPACKED_MAX = 200 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title row or two may sit above the header row


class RosterFileError(Exception):
    """Why a file cannot be read as a roster (a translated sentence)."""


@dataclass
class Sheet:
    """The header row and the data rows; `row` numbers as the office sees them in Excel."""

    kind: str  # "xlsx" | "csv"
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def max_bytes() -> int:
    return int(settings.RENDA_ROSTER_MAX_MB * 1024 * 1024)


def max_mb() -> str:
    return f"{settings.RENDA_ROSTER_MAX_MB:g}"


def max_rows() -> int:
    return int(settings.RENDA_ROSTER_MAX_ROWS)


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _ole_kind(fh: IO[bytes]) -> str:
    """'encrypted' (a password-protected OOXML workbook is an OLE2 file), 'xls' or ''."""
    try:
        ole = olefile.OleFileIO(fh)
    except (OSError, ValueError, EOFError, IndexError, TypeError, AttributeError):
        return ""
    try:
        names = {"/".join(entry).lower() for entry in ole.listdir()}
    except (OSError, ValueError, EOFError, IndexError, TypeError, AttributeError):
        return ""
    finally:
        ole.close()
    if "encryptedpackage" in names or "encryptioninfo" in names:
        return "encrypted"
    if "workbook" in names or "book" in names:
        return "xls"
    return ""


def _check_zip(fh: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > UNPACKED_MAX:
                raise RosterFileError(_("The workbook unpacks to far more than a roster can hold."))
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                raise RosterFileError(_("This zip file is not an Excel workbook (.xlsx)."))
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        raise RosterFileError(
            _("The workbook is damaged and cannot be read. Open it in Excel and save it again.")
        ) from None
    finally:
        fh.seek(0)
    if f'ContentType="{XLSX_MAIN}"' not in types:
        if "macroEnabled" in types:
            raise RosterFileError(
                _("Macro-enabled workbooks (.xlsm) are not accepted: save it as .xlsx.")
            )
        raise RosterFileError(_("This file is not an Excel workbook (.xlsx)."))


def _header_index(rows: list[tuple[int, list[Any]]], known: set[str], norm: Any) -> int:
    """The index of the first row that has at least two known headers (else the first row)."""
    for i, (_n, values) in enumerate(rows):
        if sum(1 for v in values if norm(v) in known) >= 2:
            return i
    return 0


def _sheet(kind: str, raw: Iterator[tuple[int, list[Any]]], known: set[str], norm: Any) -> Sheet:
    """Rows into a Sheet: blank rows dropped, the header row found, the row limit enforced."""
    limit = max_rows()
    head: list[tuple[int, list[Any]]] = []
    for number, values in raw:
        if _is_blank(values):
            continue
        head.append((number, values))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise RosterFileError(_("The file has no rows: it is empty."))
    index = _header_index(head, known, norm)
    header_row, header_values = head[index]
    header = ["" if v is None else str(v).strip() for v in header_values]
    sheet = Sheet(kind=kind, header_row=header_row, header=header)
    for number, values in head[index + 1 :]:
        sheet.rows.append((number, values))
    for number, values in raw:
        if _is_blank(values):
            continue
        if len(sheet.rows) >= limit:
            raise RosterFileError(
                _("The file has more than %(n)d rows; split it into smaller files.") % {"n": limit}
            )
        sheet.rows.append((number, values))
    if len(sheet.rows) > limit:
        raise RosterFileError(
            _("The file has more than %(n)d rows; split it into smaller files.") % {"n": limit}
        )
    return sheet


def _xlsx_rows(fh: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors…) for a broken file
        raise RosterFileError(
            _("The workbook is damaged and cannot be read. Open it in Excel and save it again.")
        ) from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise RosterFileError(_("The workbook has no worksheet."))
        ws.reset_dimensions()  # trust the rows, not a dimension record that may be wrong
        try:
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                yield number, list(row)
        except RosterFileError:
            raise
        except Exception:
            raise RosterFileError(
                _("The workbook is damaged and cannot be read. Open it in Excel and save it again.")
            ) from None
    finally:
        wb.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030/GBK; RosterFileError if neither fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or any(ord(c) < 32 and c not in "\t\r\n" for c in text[:65536]):
            break  # binary: not a text file
        return text
    raise RosterFileError(
        _(
            "This file is neither an Excel workbook (.xlsx) nor a CSV text file in UTF-8 or "
            "GBK. Save the roster from Excel as .xlsx and upload that."
        )
    )


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    try:
        sample = text[:4096]
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            yield number, list(row)
    except csv.Error:
        raise RosterFileError(_("The CSV file is malformed (e.g. an unclosed quote).")) from None


def read_roster_file(fh: IO[bytes], known: set[str], norm: Any) -> Sheet:
    """The roster's rows, or RosterFileError. `known` are the recognised (normalised) headers,
    used to find the header row below any title rows; `norm` normalises a header cell."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    if size == 0:
        raise RosterFileError(_("The file is empty."))
    if size > max_bytes():
        raise RosterFileError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": max_mb()}
        )
    head = fh.read(8192)
    fh.seek(0)
    if head.startswith(ZIP_MAGIC):
        _check_zip(fh)
        return _sheet("xlsx", _xlsx_rows(fh), known, norm)
    if head.startswith(OLE_MAGIC):
        kind = _ole_kind(fh)
        fh.seek(0)
        if kind == "encrypted":
            raise RosterFileError(
                _(
                    "The workbook is protected by a password. Remove the password in Excel "
                    "(File → Info → Protect Workbook) and upload it again."
                )
            )
        if kind == "xls":
            raise RosterFileError(
                _("Old Excel files (.xls) are not accepted: open it in Excel and save it as .xlsx.")
            )
        raise RosterFileError(_("This file is not an Excel workbook (.xlsx) or a CSV file."))
    guess = filetype.guess(head)
    if guess is not None:
        raise RosterFileError(
            _("This is a %(kind)s file, not an Excel workbook (.xlsx) or a CSV file.")
            % {"kind": guess.extension.upper()}
        )
    text = decode_text(fh.read())
    return _sheet("csv", _csv_rows(text), known, norm)
