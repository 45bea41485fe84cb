"""Who sees hot topics: the deputy-affairs office (its congresses) and administrators —
role-only, so the nav entry and the page agree."""

from __future__ import annotations

from typing import Any

from renda.routing.permissions import can_use_routing, get_routing_congress, routing_congresses


def can_view_hot_topics(user: Any) -> bool:
    return can_use_routing(user)


__all__ = ["can_view_hot_topics", "get_routing_congress", "routing_congresses"]
