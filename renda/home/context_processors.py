"""What the page shell needs: the navigation for this person's roles and the unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}

    from renda.notifications.queries import unread_count

    # Lazy: pages that never render the header don't pay for the count.
    class _Unread:
        _value: int | None = None

        def __int__(self) -> int:
            if self._value is None:
                self._value = unread_count(user)
            return self._value

        def __str__(self) -> str:
            return str(int(self))

        def __bool__(self) -> bool:
            return int(self) > 0

    return {"nav_items": navigation_for(user), "unread_count": _Unread()}
