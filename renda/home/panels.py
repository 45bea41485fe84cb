"""The home page is a set of work-queue panels; each app contributes the panels for its roles.

A panel is a function (user) -> Panel | None. Later features (suggestions, opinions, votes)
register theirs here; until then a role's panel says what will appear in it.

The rendered panels are kept (renda.home.views, renda.home.versions) until something they show
changes: a panel shows records (each change to one writes an audit event, which moves the
versions) and links — no forms (a kept page would carry an old CSRF token) and nothing that
changes with the time of day alone (the day is part of the key; finer clocks are not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

PanelText = str | Promise


@dataclass
class PanelItem:
    title: str
    url: str = ""
    meta: str = ""
    badge: str = ""
    badge_class: str = "text-bg-secondary"


@dataclass
class Panel:
    key: str
    title: PanelText
    empty_text: PanelText
    items: list[PanelItem] = field(default_factory=list)
    count: int | None = None
    more_url: str = ""
    more_label: PanelText = ""
    order: int = 50
    # Further links in the panel's footer: (label, url).
    links: list[tuple[PanelText, str]] = field(default_factory=list)


PanelFactory = Callable[[Any], Panel | None]
_registry: list[tuple[frozenset[str] | None, PanelFactory]] = []


def register(
    roles: set[str] | frozenset[str] | None = None,
) -> Callable[[PanelFactory], PanelFactory]:
    """Register a panel for people holding any of `roles` (None: everyone signed in)."""

    def deco(fn: PanelFactory) -> PanelFactory:
        _registry.append((frozenset(roles) if roles is not None else None, fn))
        return fn

    return deco


def panels_for(user: Any, roles: set[str]) -> list[Panel]:
    out = []
    for wanted, factory in _registry:
        if wanted is None or wanted & roles:
            panel = factory(user)
            if panel is not None:
                out.append(panel)
    return sorted(out, key=lambda p: p.order)
