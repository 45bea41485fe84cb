"""Role-based navigation: the header shows each person only the pages they may use.

Each entry carries a predicate on the request: the same predicate the page's own view uses
(``can_browse_orgs``, ``can_view_calendar``, ``can_manage_accounts``, the admin site's
``has_permission``), so the menu and the page can never disagree; the browser and view tests
check that every entry shown opens with 200 and that hidden pages are refused.

A predicate may look at the person's roles (role_assignments) and account flags (is_active,
is_staff, is_superuser) only: the header keeps each navigation under exactly those and the page
(renda.home.shell), so anything else a predicate read would go stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

Visible = Callable[[HttpRequest], bool]


def _everyone(request: HttpRequest) -> bool:
    return True


def _can_browse_orgs(request: HttpRequest) -> bool:
    from renda.orgs.permissions import can_browse_orgs

    return can_browse_orgs(request.user)


def _can_view_calendar(request: HttpRequest) -> bool:
    from renda.calendar.permissions import can_view_calendar

    return can_view_calendar(request.user)


def _can_manage_accounts(request: HttpRequest) -> bool:
    from renda.accounts.permissions import can_manage_accounts

    return can_manage_accounts(request.user)


def _can_use_office_inbox(request: HttpRequest) -> bool:
    from renda.suggestions.permissions import can_use_office_inbox

    return can_use_office_inbox(request.user)


def _can_use_unit_queue(request: HttpRequest) -> bool:
    from renda.suggestions.permissions import can_use_unit_queue

    return can_use_unit_queue(request.user)


def _can_view_stats(request: HttpRequest) -> bool:
    from renda.suggestions.permissions import can_view_stats

    return can_view_stats(request.user)


def _can_write_suggestions(request: HttpRequest) -> bool:
    from renda.suggestions.permissions import can_write_suggestions

    return can_write_suggestions(request.user)


def _manages_deputy_scores(request: HttpRequest) -> bool:
    from renda.deputies.permissions import can_manage_any_scores

    return can_manage_any_scores(request.user)


def _can_organise_activities(request: HttpRequest) -> bool:
    from renda.deputies.permissions_activities import can_organise_activities

    return can_organise_activities(request.user)


def _is_deputy(request: HttpRequest) -> bool:
    from renda.deputies.permissions_activities import is_deputy

    return is_deputy(request.user)


def _can_use_registry(request: HttpRequest) -> bool:
    from renda.deputies.permissions import can_use_registry

    return can_use_registry(request.user)


def _can_use_deputies_office_pages(request: HttpRequest) -> bool:
    from renda.deputies.permissions_public import can_use_office_pages

    return can_use_office_pages(request.user)


def _can_open_station_pages(request: HttpRequest) -> bool:
    from renda.opinions.permissions_stations import can_open_station_pages

    return can_open_station_pages(request.user)


def _can_view_station_stats(request: HttpRequest) -> bool:
    from renda.opinions.permissions_stations import can_view_station_stats

    return can_view_station_stats(request.user)


def _may_open_opinion_queue(request: HttpRequest) -> bool:
    from renda.opinions.permissions import may_open_queue

    return may_open_queue(request.user)


def _can_open_livelihood(request: HttpRequest) -> bool:
    from renda.livelihood.permissions import can_open_staff_pages

    return can_open_staff_pages(request.user)


def _may_run_meetings(request: HttpRequest) -> bool:
    from renda.votes.permissions import may_run_meetings

    return may_run_meetings(request.user)


def _may_vote(request: HttpRequest) -> bool:
    from renda.votes.permissions import may_vote_somewhere

    return may_vote_somewhere(request.user)


def _can_use_routing(request: HttpRequest) -> bool:
    from renda.routing.permissions import can_use_routing

    return can_use_routing(request.user)


def _can_view_hot_topics(request: HttpRequest) -> bool:
    from renda.topics.permissions import can_view_hot_topics

    return can_view_hot_topics(request.user)


def _can_use_admin_site(request: HttpRequest) -> bool:
    from django.contrib import admin

    return bool(admin.site.has_permission(request))


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    visible: Visible = _everyone
    # Entries of one group sit together in a drop-down menu (when a person sees two or more).
    group: str = ""

    @property
    def url(self) -> str:
        return _url(self.url_name)


@dataclass(frozen=True)
class NavLink:
    """One entry as the template sees it; ``current`` is the aria-current value or ""."""

    key: str
    label: str | Promise
    url: str
    current: str
    group: str = ""
    group_label: str | Promise = ""


# Drop-down menus, so a header with many entries still fits a desktop screen on one line.
GROUPS: dict[str, str | Promise] = {
    "suggestions": _("Suggestions"),
    "my_duty": _("My duties"),
    "deputy_work": _("Deputies' work"),
    "stations": _("Liaison stations"),
}


@cache
def _url(url_name: str) -> str:
    # URLs are fixed at start-up (no script prefix in this deployment); reverse once.
    return reverse(url_name)


NAV: list[NavItem] = [
    NavItem("home", _("My work"), "home:home"),
    NavItem("orgs", _("Congresses and units"), "orgs:congress_list", _can_browse_orgs),
    NavItem("calendar", _("Legal calendar"), "calendar:overview", _can_view_calendar),
    NavItem("accounts", _("Accounts"), "accounts:user_list", _can_manage_accounts),
    NavItem("mine", _("My suggestions"), "suggestions:mine", _can_write_suggestions),
    NavItem("my_duties", _("My duty record"), "deputies:my_duties", _is_deputy, "my_duty"),
    NavItem("my_score", _("My performance points"), "deputies:my_score", _is_deputy, "my_duty"),
    NavItem("my_votes", _("My votes"), "votes:mine", _may_vote, "my_duty"),
    NavItem("citizen_messages", _("Citizens' messages"), "deputies:messages", _is_deputy),
    NavItem("notifications", _("Notifications"), "notifications:inbox"),
    NavItem("search", _("Search"), "search:page"),
    NavItem(
        "office_inbox",
        _("Suggestions to handle"),
        "suggestions:office_inbox",
        _can_use_office_inbox,
        "suggestions",
    ),
    NavItem(
        "stats", _("Suggestion statistics"), "suggestions:stats", _can_view_stats, "suggestions"
    ),
    NavItem(
        "routing",
        _("Assignment proposals"),
        "routing:overview",
        _can_use_routing,
        "suggestions",
    ),
    NavItem(
        "hot_topics",
        _("Hot topics"),
        "topics:dashboard",
        _can_view_hot_topics,
        "suggestions",
    ),
    NavItem(
        "unit_queue",
        _("Assigned to my unit"),
        "suggestions:unit_queue",
        _can_use_unit_queue,
        "suggestions",
    ),
    NavItem(
        "deputies",
        pgettext_lazy("nav", "Deputies"),
        "deputies:registry",
        _can_use_registry,
        "deputy_work",
    ),
    NavItem(
        "activities",
        _("Activities"),
        "deputies:activity_list",
        _can_organise_activities,
        "deputy_work",
    ),
    NavItem(
        "deputy_scores",
        _("Deputies' points"),
        "deputies:scores",
        _manages_deputy_scores,
        "deputy_work",
    ),
    NavItem(
        "coverage",
        _("Deputies' coverage"),
        "deputies:coverage",
        _can_use_deputies_office_pages,
        "deputy_work",
    ),
    NavItem(
        "meetings",
        _("Meetings and votes"),
        "votes:meetings",
        _may_run_meetings,
        "deputy_work",
    ),
    NavItem(
        "opinions",
        _("Citizens' opinions"),
        "opinions:handling_queue",
        _may_open_opinion_queue,
        "stations",
    ),
    NavItem(
        "stations",
        _("Liaison stations"),
        "opinions:station_manage_list",
        _can_open_station_pages,
        "stations",
    ),
    NavItem(
        "station_stats",
        _("Station performance"),
        "opinions:station_stats",
        _can_view_station_stats,
        "stations",
    ),
    NavItem("livelihood", _("Livelihood projects"), "livelihood:plans", _can_open_livelihood),
    NavItem("admin", _("Administration"), "admin:index", _can_use_admin_site),
]


def _current_url(urls: list[str], path: str) -> tuple[str, str]:
    """(the entry's url, "page" | "true") of the entry this page belongs to, or ("", "").

    The page itself is "page"; a page inside a section (/orgs/congress/3/) marks the section
    "true" — the entry with the longest url the path starts with, so /deputies/activities/3/
    marks Activities, not the registry at /deputies/."""
    if path in urls:
        return path, "page"
    inside = [url for url in urls if url != "/" and path.startswith(url)]
    if inside:
        return max(inside, key=len), "true"
    return "", ""


def navigation_for(request: HttpRequest) -> list[NavLink]:
    """The header's entries for this request's user, in order, with the current one marked."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [item for item in NAV if item.visible(request)]
    current_url, mark = _current_url([item.url for item in items], request.path)
    return [
        NavLink(
            item.key,
            item.label,
            item.url,
            mark if item.url == current_url else "",
            item.group,
            GROUPS.get(item.group, ""),
        )
        for item in items
    ]
