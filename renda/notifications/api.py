"""The inbox API: my notifications, and marking them read. Everyone signed in has one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, model_validator

from . import actions
from .queries import inbox_of, unread_count

router = Router()


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


class InboxOut(Schema):
    unread: int
    items: list[NotificationOut]


class InboxFilter(Schema):
    unread_only: bool = False
    limit: int = Field(default=50, ge=1, le=200)


# A notification id is a positive 64-bit integer; anything else is refused with 422.
NotificationId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class MarkReadIn(Schema):
    """Either {"ids": [...]} or {"all": true}: an empty or wrong body never marks everything."""

    ids: list[NotificationId] | None = Field(
        default=None, min_length=1, max_length=1000, description="ids of my notifications"
    )
    all: bool = Field(default=False, description="mark every unread notification of mine")

    @model_validator(mode="after")
    def _one_of(self) -> MarkReadIn:
        if (self.ids is None) == (not self.all):
            raise ValueError('send either "ids" (a list of notification ids) or "all": true')
        return self


class MarkedOut(Schema):
    marked: int


@router.get("", response=InboxOut, summary="My notifications, newest first")
def inbox(request: HttpRequest, filters: Query[InboxFilter]) -> InboxOut:
    qs = inbox_of(request.user)
    if filters.unread_only:
        qs = qs.filter(read_at__isnull=True)
    items = [
        NotificationOut(
            id=n.pk,
            title=n.title,
            body=n.body,
            url=n.url,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in qs[: filters.limit]
    ]
    return InboxOut(unread=unread_count(request.user), items=items)


@router.post("/read", response=MarkedOut, summary="Mark my notifications read")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> MarkedOut:
    return MarkedOut(marked=actions.mark_read(request.user, None if payload.all else payload.ids))
