from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

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


class MarkReadIn(Schema):
    ids: list[int] | None = Field(default=None, max_length=1000)


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
    return MarkedOut(marked=actions.mark_read(request.user, payload.ids))
