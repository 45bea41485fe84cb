"""JSON API for the suggestion statistics (mounted at /api/v1/stats): the same figures as the
dashboard and the Excel export (all three call renda.suggestions.stats.suggestion_stats).

Query parameters are taken as text and checked by stats_filters (422 naming the field for a
bad year, unit, session, congress or deputies; 404 for a congress or unit the caller may not
see). Deputies and people without an office or unit role get 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, Router, Schema
from pydantic import create_model

from .stats import COUNTS, DEPUTY_LIMIT_DEFAULT, RATES, suggestion_stats
from .stats_export import filename, workbook_file
from .stats_filters import int_param, stats_filter_for

router = Router()
DEPUTY_LIMIT_MAX = 1000

Figures = create_model(
    "StatsFigures",
    __base__=Schema,
    **{key: (int, ...) for key in COUNTS},
    **{key: (float | None, Field(None, description="per cent, one decimal")) for key in RATES},
)


class StatsRow(Figures):  # type: ignore[misc, valid-type]
    id: int | None
    name: str


class StatsOut(Schema):
    congress: int
    year: int | None
    session: int | None
    unit: int | None
    as_of: date
    totals: Figures  # type: ignore[valid-type]
    by_year: list[StatsRow]
    by_session: list[StatsRow]
    by_unit: list[StatsRow]
    by_topic: list[StatsRow]
    by_deputy: list[StatsRow]
    by_deputy_count: int


def _params(
    congress: str | None, year: str | None, session: str | None, unit: str | None
) -> dict[str, Any]:
    return {"congress": congress, "year": year, "session": session, "unit": unit}


@router.get("/suggestions", response=StatsOut, summary="Suggestion statistics")
def suggestion_statistics(
    request: HttpRequest,
    year: str | None = None,
    unit: str | None = None,
    session: str | None = None,
    congress: str | None = None,
    deputies: str | None = None,
) -> Any:
    """Totals and breakdowns by year, session, unit, topic and lead deputy (the `deputies`
    with most suggestions, default 50, at most 1000). Definitions: docs/statistics.md."""
    f = stats_filter_for(request.user, _params(congress, year, session, unit))
    limit = int_param(deputies, "deputies", 1, DEPUTY_LIMIT_MAX) or DEPUTY_LIMIT_DEFAULT
    return suggestion_stats(f, deputy_limit=limit).as_dict()


@router.get("/suggestions.xlsx", summary="Suggestion statistics as an Excel workbook")
def suggestion_statistics_xlsx(
    request: HttpRequest,
    year: str | None = None,
    unit: str | None = None,
    session: str | None = None,
    congress: str | None = None,
) -> FileResponse:
    """The same figures as an Excel workbook (every deputy, one sheet per breakdown)."""
    f = stats_filter_for(request.user, _params(congress, year, session, unit))
    stats = suggestion_stats(f, deputy_limit=None)
    return FileResponse(workbook_file(stats), as_attachment=True, filename=filename(stats))
