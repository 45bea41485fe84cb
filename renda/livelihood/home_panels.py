"""Home-page panel (imported from apps.py), ONE query: the livelihood plans of the person's
congresses with their state, for the office, the government side and lead units (deputies
reach the plans from the header: their home page keeps its query budget).
None when there is no plan (no empty panel on every home page)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from renda.accounts.choices import Role
from renda.home.panels import Panel, PanelItem, register

from .permissions import plans_visible_to

SHOWN = 3


@register(
    {
        Role.DEPUTY_AFFAIRS,
        Role.GOV_SUPERVISOR,
        Role.UNIT_CLERK,
        Role.UNIT_HEAD,
        Role.ADMIN,
    }
)
def livelihood_panel(user: Any) -> Panel | None:
    plans = list(plans_visible_to(user).order_by("-year", "congress_id")[:SHOWN])
    if not plans:
        return None
    return Panel(
        key="livelihood",
        title=gettext_lazy("Livelihood projects"),
        empty_text="",
        items=[
            PanelItem(
                title=p.title,
                url=reverse("livelihood:plan", args=[p.pk]),
                meta=p.congress.name,
                badge=str(p.get_state_display()),
                badge_class="text-bg-primary",
            )
            for p in plans
        ],
        more_url=reverse("livelihood:plans"),
        more_label=gettext_lazy("All plans"),
        links=[(gettext_lazy("Public progress boards"), reverse("livelihood_public:index"))],
        order=60,
    )
