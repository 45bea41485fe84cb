"""Role-based navigation: each entry names the roles that see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from renda.accounts.choices import Role
from renda.accounts.permissions import is_admin, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: everyone signed in
    admin_only: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV: list[NavItem] = [
    NavItem(_("Home"), "home:home"),
    NavItem(
        _("Congresses and units"),
        "orgs:congress_list",
        roles=frozenset({Role.DEPUTY_AFFAIRS, Role.COMMITTEE, Role.LEADER, Role.GOV_SUPERVISOR}),
        admin_only=True,
    ),
    NavItem(
        _("Legal calendar"),
        "calendar:overview",
        roles=frozenset({Role.DEPUTY_AFFAIRS, Role.UNIT_HEAD, Role.UNIT_CLERK}),
        admin_only=True,
    ),
    NavItem(_("Notifications"), "notifications:inbox"),
]


def navigation_for(user: Any) -> list[NavItem]:
    roles = roles_of(user)
    admin = is_admin(user)
    return [
        item
        for item in NAV
        if item.roles is None or (admin and item.admin_only) or (roles & item.roles)
    ]
