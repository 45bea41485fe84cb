"""A small made-up archive for the routing tests: two units with their own vocabulary (school
matters → education, roads and buses → transport) and shared phrasing. Written as CSV/XLSX in
the test's temporary directory; nothing of any real archive."""

from __future__ import annotations

import csv
import random
from pathlib import Path

EDU = ("学校", "教师", "课后服务", "学前教育", "校园安全", "职业教育", "中小学", "教材")
ROAD = ("公交线路", "道路", "停车", "客运", "高速公路", "交通拥堵", "公路养护", "地铁")
FORMS = (
    "关于加强{x}的建议",
    "关于改善{w}{x}的建议",
    "关于进一步完善{x}管理的建议",
    "{w}{x}问题亟待解决",
)
WHERE = ("城区", "农村", "山区", "新区", "老城区")


def rows(n: int, *, seed: int = 1, year: int = 2024) -> list[tuple[str, str, int]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        edu = i % 2 == 0
        x = rng.choice(EDU if edu else ROAD)
        title = rng.choice(FORMS).format(x=x, w=rng.choice(WHERE)) + f"（{i}）"
        out.append((title, "市教育局" if edu else "市交通运输局", year - i % 3))
    return out


def write_csv(
    path: Path, data: list[tuple[str, str, int]], header=("标题", "主办单位", "年度")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for title, unit, year in data:
            w.writerow([title, unit, year])
    return path


def write_xlsx(
    path: Path, data: list[tuple[str, str, int]], header=("title", "lead_unit", "year")
) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for title, unit, year in data:
        sheet.append([title, unit, year])
    book.save(path)
    return path
