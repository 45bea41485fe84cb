"""Home-page panel of the receiving part (imported from apps.py), ONE query: for station staff
and the office, the stations they record opinions for, each with its station code (联络站码),
and the link to record a visit or a call."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from renda.accounts.choices import Role
from renda.home.panels import Panel, PanelItem, register

from .permissions_receiving import stations_for_recording

SHOWN = 5


@register({Role.STATION_STAFF, Role.DEPUTY_AFFAIRS, Role.ADMIN})
def receiving_panel(user: Any) -> Panel | None:
    stations = list(stations_for_recording(user).order_by("name")[: SHOWN + 1])
    if not stations:
        return None
    return Panel(
        key="opinions-receiving",
        title=gettext_lazy("Liaison stations: receiving opinions"),
        empty_text="",
        items=[
            PanelItem(
                title=s.name,
                url=reverse("opinions:station_code", args=[s.pk]),
                meta=str(gettext_lazy("Station code (print)")),
            )
            for s in stations[:SHOWN]
        ],
        links=[
            (gettext_lazy("Record a visit or a call"), reverse("opinions:record")),
            (gettext_lazy("Public station pages"), reverse("opinion_public:stations")),
        ],
        order=24,
    )
