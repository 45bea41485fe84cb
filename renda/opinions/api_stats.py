"""JSON API of the opinions app: station performance (mounted at /api/v1/stats; issue 5 §5).

`GET /api/v1/stats/stations?from=&to=` (fixed contract; optional `congress`, `sort`): office
roles and administrators; anyone else 404. A bad date, `from` after `to` or an unknown sort is a
422 naming the field. The page and the Excel export call the same `station_performance`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from .queries_stats import COUNTS, RATES, period_for, station_performance
from .stats_export import filename, workbook_file

router = Router()

Figures = create_model(
    "StationFigures",
    __base__=Schema,
    **{key: (int, ...) for key in COUNTS},
    median_days=(float | None, Field(None, description="whole days; null when none answered")),
    **{key: (float | None, Field(None, description="per cent, one decimal")) for key in RATES},
)


class StationRow(Figures):  # type: ignore[misc, valid-type]
    id: int
    name: str
    kind: str
    active: bool


class StationStatsOut(Schema):
    congress: int
    from_: date = Field(..., alias="from")
    to: date
    as_of: date
    totals: Figures  # type: ignore[valid-type]
    stations: list[StationRow]


def _params(congress: str | None, start: str | None, end: str | None) -> dict[str, Any]:
    return {"congress": congress, "from": start, "to": end}


@router.get(
    "/stations",
    response=StationStatsOut,
    by_alias=True,
    summary="Station performance (运行绩效评价)",
)
def station_statistics(
    request: HttpRequest,
    start: str | None = Query(None, alias="from"),
    to: str | None = None,
    congress: str | None = None,
    sort: str = "received",
) -> Any:
    """Per station of the congress and in total, for the opinions received from `from` to `to`
    (YYYY-MM-DD, inclusive; default this year to today). Definitions: docs/opinions.md."""
    p = period_for(request.user, _params(congress, start, to))
    return station_performance(p, sort=sort).as_dict()


@router.get("/stations.xlsx", summary="Station performance as an Excel workbook")
def station_statistics_xlsx(
    request: HttpRequest,
    start: str | None = Query(None, alias="from"),
    to: str | None = None,
    congress: str | None = None,
    sort: str = "received",
) -> FileResponse:
    p = period_for(request.user, _params(congress, start, to))
    perf = station_performance(p, sort=sort)
    return FileResponse(workbook_file(perf), as_attachment=True, filename=filename(perf))
