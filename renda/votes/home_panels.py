"""Home-page panel of the votes app (imported from apps.py): a deputy's or standing-committee
member's open ballots not yet voted on, each with its vote link. ONE query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from renda.accounts.choices import Role
from renda.home.panels import Panel, PanelItem, register

from .queries import open_ballots_for

SHOWN = 5


@register({Role.DEPUTY, Role.SC_MEMBER})
def open_ballots_panel(user: Any) -> Panel | None:
    rows = [b for b in open_ballots_for(user)[:50] if not b.has_voted]
    if not rows:
        return None
    return Panel(
        key="votes-open",
        title=gettext_lazy("Open ballots: your vote is awaited"),
        empty_text="",
        items=[
            PanelItem(
                title=b.title,
                url=reverse("votes:vote", args=[b.pk]),
                meta=b.meeting.title,
                badge=str(gettext_lazy("Vote")),
                badge_class="text-bg-danger",
            )
            for b in rows[:SHOWN]
        ],
        count=len(rows),
        more_url=reverse("votes:mine"),
        more_label=gettext_lazy("My votes"),
        order=5,
    )
