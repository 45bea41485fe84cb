"""What the page shell needs: the navigation for this person's roles and the unread count, and
the shell itself (renda.home.shell: drawn once per distinct input, kept in the process).

Both are lazy, so a template that does not draw the header (an htmx fragment, the 500 page)
costs no query at all; a page that does reads the roles already cached on the request's user and
runs one indexed COUNT for the unread notifications, at most once per request.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


class LazyUnreadCount:
    """The user's unread notification count, counted on first use and at most once."""

    __slots__ = ("_user", "_value")

    def __init__(self, user: Any) -> None:
        self._user = user
        self._value: int | None = None

    def __int__(self) -> int:
        if self._value is None:
            from renda.notifications.queries import unread_count

            self._value = unread_count(self._user)
        return self._value

    def __str__(self) -> str:
        return str(int(self))

    def __bool__(self) -> bool:
        return int(self) > 0

    def __eq__(self, other: object) -> bool:
        return int(self) == other

    __hash__ = None  # type: ignore[assignment]


def shell(request: HttpRequest) -> dict[str, Any]:
    from .shell import Shell

    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": [], "unread_count": 0, "shell": Shell(request)}
    return {
        "nav_items": SimpleLazyObject(lambda: navigation_for(request)),
        "unread_count": LazyUnreadCount(user),
        "shell": Shell(request),
    }
