"""Reading an archive of past suggestions (issue 7 point 3): CSV or Excel (.xlsx), streamed
row by row (memory stays flat for a million rows: csv reader, openpyxl read-only), headers in
English or Chinese, and matching unit names to the registry.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renda.errors import InvalidInput
from renda.search.segment import normalize

# Each field's accepted headers (compared normalised: case, full-width, traditional).
HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "标题", "题目", "建议标题", "案由"),
    "body": ("body", "内容", "正文", "建议内容"),
    "lead_unit": ("lead_unit", "主办单位", "承办单位", "主办"),
    "year": ("year", "年度", "年份"),
}
REQUIRED = ("title", "lead_unit", "year")
FIRST_YEAR = 1954  # the first people's congresses


@dataclass
class Row:
    line: int
    title: str
    body: str
    unit: str
    year: str


def _norm_header(text: Any) -> str:
    return normalize(str(text or "")).strip().replace(" ", "_")


def columns(header: list[Any], mapping: dict[str, str]) -> dict[str, int]:
    """Field → column index; `mapping` (field → header, from --map) wins over the aliases."""
    found = {_norm_header(h): i for i, h in enumerate(header) if h not in (None, "")}
    out: dict[str, int] = {}
    for field, aliases in HEADERS.items():
        if field in mapping:
            name = _norm_header(mapping[field])
            if name not in found:
                raise InvalidInput(
                    f"--map {field}={mapping[field]}: the file has no column {mapping[field]!r} "
                    f"(its columns: {', '.join(str(h) for h in header if h)})."
                )
            out[field] = found[name]
            continue
        for alias in aliases:
            if _norm_header(alias) in found:
                out[field] = found[_norm_header(alias)]
                break
    missing = [f for f in REQUIRED if f not in out]
    if missing:
        wanted = "; ".join(f"{f} ({' / '.join(HEADERS[f])})" for f in missing)
        raise InvalidInput(
            f"Missing columns: {wanted}. The file's columns: "
            f"{', '.join(str(h) for h in header if h) or '(none)'}. "
            "Name them so, or map them with --map FIELD=COLUMN."
        )
    return out


def _cells(path: Path) -> Iterator[list[Any]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise InvalidInput(f"{path.name}: not a readable Excel (.xlsx) file ({exc}).") from None
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield list(values)
        finally:
            book.close()
        return
    if suffix not in (".csv", ".txt"):
        raise InvalidInput(f"{path.name}: give a .csv or .xlsx file.")
    raw = path.open("rb")
    try:
        head = raw.read(4)
        raw.seek(0)
        encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") or _utf8(path) else "gb18030"
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield from csv.reader(text)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InvalidInput(f"{path.name}: not a readable CSV file ({exc}).") from None
    finally:
        raw.close()


def _utf8(path: Path) -> bool:
    """Whether the first 64 KB decode as UTF-8 (else the file is read as GB18030)."""
    with path.open("rb") as f:
        chunk = f.read(65536)
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(chunk) - 4  # a character cut at the chunk's end
    return True


def rows(path: Path, mapping: dict[str, str] | None = None) -> Iterator[Row]:
    """The file's rows as Row, the header checked first."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file.")
    cells = _cells(path)
    header = next(cells, None)
    if header is None:
        raise InvalidInput(f"{path.name}: the file is empty.")
    cols = columns(header, mapping or {})

    def cell(values: list[Any], field: str) -> str:
        i = cols.get(field)
        if i is None or i >= len(values) or values[i] is None:
            return ""
        return str(values[i]).strip()

    for line, values in enumerate(cells, start=2):
        if not values or all(v in (None, "") for v in values):
            continue
        yield Row(
            line,
            cell(values, "title"),
            cell(values, "body"),
            cell(values, "lead_unit"),
            cell(values, "year"),
        )


def parse_year(text: str, last: int) -> int | None:
    """A year such as 2019, 2019.0 (Excel) or 2019年; None when it is not one."""
    m = re.fullmatch(r"(\d{4})(?:\.0+)?\s*年?(度)?", text.strip())
    if not m:
        return None
    year = int(m.group(1))
    return year if FIRST_YEAR <= year <= last else None


def unit_key(name: str) -> str:
    """A unit name compared: normalised, without spaces and punctuation."""
    return re.sub(r"[\W_]+", "", normalize(name))


def row_key(year: int, title: str, unit: str) -> str:
    """The row's stable identity: the same row imported twice is the same record."""
    compact = re.sub(r"\s+", "", normalize(title))
    raw = f"{year}\x1f{compact}\x1f{unit_key(unit)}"
    return hashlib.sha256(raw.encode()).hexdigest()


class UnitMatcher:
    """Unit names → registry units: exact (normalised), then one unambiguous fuzzy match (the
    name contained in exactly one unit's name or the reverse, else one close spelling)."""

    def __init__(self, units: dict[str, int]) -> None:
        self.by_key = {unit_key(name): pk for name, pk in units.items()}
        self.cache: dict[str, int | None] = {}

    def add(self, name: str, pk: int) -> None:
        self.by_key[unit_key(name)] = pk
        self.cache.clear()

    def match(self, name: str) -> int | None:
        key = unit_key(name)
        if key in self.cache:
            return self.cache[key]
        found = self.by_key.get(key) if key else None
        if found is None and len(key) >= 2:
            inside = {pk for k, pk in self.by_key.items() if key in k or (len(k) >= 2 and k in key)}
            if len(inside) == 1:
                found = inside.pop()
            elif not inside:
                close = difflib.get_close_matches(key, list(self.by_key), n=2, cutoff=0.8)
                if len(close) == 1:
                    found = self.by_key[close[0]]
        self.cache[key] = found
        return found
