"""JSON API of the opinions app: the stations' public face (mounted at /api/v1/stations; GET
only, no sign-in). Managing stations and reception days belongs to the office's part."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from renda.orgs.permissions import MAX_PK

from .queries_receiving import public_stations, station_row

router = Router()

Id = Annotated[int, Field(ge=1, le=MAX_PK)]
Offset = Annotated[int, Field(ge=0, le=10_000_000)]
Limit = Annotated[int, Field(ge=1, le=500)]


class CongressRef(Schema):
    id: int
    name: str


class ReceptionOut(Schema):
    starts_at: datetime
    ends_at: datetime
    deputies: list[str]


class StationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    congress: CongressRef
    address: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    phone: str
    deputies: list[str]
    reception_days: list[ReceptionOut]


class StationPage(Schema):
    count: int
    items: list[StationOut]


@router.get(
    "",
    response=StationPage,
    auth=None,
    summary="Public list of liaison stations: hours, deputies, upcoming reception days",
)
def list_stations(
    request: HttpRequest, congress: Id | None = None, offset: Offset = 0, limit: Limit = 100
) -> Any:
    qs = public_stations(congress)
    return {"count": qs.count(), "items": [station_row(s) for s in qs[offset : offset + limit]]}
