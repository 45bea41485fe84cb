"""Roster files for the import tests: workbooks written with openpyxl, CSV in UTF-8 and GBK."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from renda.deputies.idcards import check_char
from renda.deputies.roster import HEADERS


def card(first17: str) -> str:
    return first17 + check_char(first17)


def id_for(n: int, *, year: int = 1975, month: int = 6, male: bool = True) -> str:
    """A valid 18-character number, different for each n (order code 000–999)."""
    order = (n * 2 + (1 if male else 0)) % 1000
    day = 1 + n // 500 % 28
    return card(f"330302{year:04d}{month:02d}{day:02d}{order:03d}")


def person_row(n: int = 1, **kw: Any) -> dict[str, Any]:
    row = {
        "姓名": f"代表{n}",
        "性别": "男",
        "民族": "汉族",
        "出生年月": "1975.06",
        "身份证号码": id_for(n),
        "政治面貌": "中共党员",
        "工作单位及职务": "示范市第一中学校长",
        "选举单位": "示范区",
        "代表团": "",
        "手机号码": f"139{n:08d}",
    }
    row.update(kw)
    return row


def xlsx_bytes(
    rows: list[dict[str, Any]], headers: list[str] | None = None, title: str = ""
) -> bytes:
    headers = headers or list(HEADERS)
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[dict[str, Any]], encoding: str = "utf-8-sig", headers: list[str] | None = None
) -> bytes:
    headers = headers or list(HEADERS)
    lines = [",".join(headers)]
    for row in rows:
        lines.append(",".join(str(row.get(h) or "") for h in headers))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
