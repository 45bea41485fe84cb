"""Home-page panel of the handling part (imported from apps.py): for station staff, the
opinions at their stations waiting for a look (received, passed down to them or reopened after
a dissatisfied rating), the five newest, and how many in all. Two queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from renda.accounts.choices import Role
from renda.home.panels import Panel, PanelItem, register

from .actions.handling import TO_TRIAGE, opinion_url
from .choices import OpinionState
from .models import Opinion
from .permissions import station_ids_of

SHOWN = 5


@register({Role.STATION_STAFF})
def station_panel(user: Any) -> Panel:
    waiting = Opinion.objects.filter(station_id__in=station_ids_of(user), state__in=TO_TRIAGE)
    rows = list(
        waiting.select_related("category", "station").order_by("-created_at", "-id")[:SHOWN]
    )
    count = len(rows) if len(rows) < SHOWN else waiting.count()
    return Panel(
        key="station",
        title=_("Citizens' opinions at my station"),
        empty_text=_("No opinion is waiting for you. New ones appear here as citizens send them."),
        items=[
            PanelItem(
                title=Truncator(o.text).chars(40),
                url=opinion_url(o),
                meta=f"{o.station.name} · {o.category.name} · {o.created_at:%Y-%m-%d}",
                badge=str(_("second look") if o.state == OpinionState.REOPENED else _("new")),
                badge_class="text-bg-warning",
            )
            for o in rows
        ],
        count=count,
        more_url=reverse("opinions:handling_queue") + "?state=to_triage",
        more_label=_("All opinions to handle"),
        order=20,
    )
