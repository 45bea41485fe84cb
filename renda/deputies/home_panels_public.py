"""Home-page panels of the public part (imported from apps.py). Each costs ONE query: the home
page is performance-critical (issue 2's benchmark).

- The deputy: the citizens' opinions addressed to them waiting for a first look, those they
  follow up, and the congress's current deputy-work plan (DEP-PLAN).
- The office: the DEP-TERMINATE flag count, and the coverage counts the dashboard last computed
  (kept in the cache for ten minutes; no query at all).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from renda.accounts.choices import Role
from renda.accounts.permissions import office_congress_ids, role_assignments
from renda.home.panels import Panel, PanelItem, register
from renda.opinions.choices import OpinionState

from .queries_coverage import cached_summary, flagged_count_for_offices
from .queries_public import deputy_home_rows


@register({Role.DEPUTY})
def deputy_public_panel(user: Any) -> Panel | None:
    rows = deputy_home_rows(user)
    if not rows:
        return None
    items: list[PanelItem] = []
    several = len({r.congress_id for r in rows}) > 1
    waiting = sum(r.waiting or 0 for r in rows)
    following = sum(r.following or 0 for r in rows)
    if waiting:
        items.append(
            PanelItem(
                title=ngettext(
                    "%(n)d new citizen's opinion addressed to you",
                    "%(n)d new citizens' opinions addressed to you",
                    waiting,
                )
                % {"n": waiting},
                url=reverse("deputies:messages"),
                badge=str(waiting),
                badge_class="text-bg-danger",
            )
        )
    if following:
        items.append(
            PanelItem(
                title=ngettext(
                    "%(n)d opinion waiting for your follow-up",
                    "%(n)d opinions waiting for your follow-up",
                    following,
                )
                % {"n": following},
                url=reverse("opinions:handling_queue") + f"?state={OpinionState.WITH_DEPUTY}",
                badge=str(following),
                badge_class="text-bg-warning",
            )
        )
    seen: set[int] = set()
    for r in rows:
        if r.plan_id and r.plan_id not in seen:
            seen.add(r.plan_id)
            items.append(
                PanelItem(
                    title=r.plan_title,
                    url=reverse("deputies:plan", args=[r.plan_id]),
                    meta=(
                        _("Deputy-work plan %(year)d") % {"year": r.plan_year}
                        + (f" · {r.congress_name}" if several else "")
                    ),
                    badge=str(_("work plan")),
                    badge_class="text-bg-info",
                )
            )
    return Panel(
        key="deputy-public",
        title=gettext_lazy("Citizens' messages and the work plan"),
        empty_text=gettext_lazy(
            "Opinions citizens address to you (on your public profile or at a station), and "
            "the year's deputy-work plan once the office publishes it, will appear here."
        ),
        items=items,
        more_url=reverse("deputies:messages"),
        more_label=gettext_lazy("All citizens' messages"),
        order=25,
        links=[(gettext_lazy("My deputy code"), reverse("deputies:my_code"))],
    )


@register({Role.DEPUTY_AFFAIRS})
def coverage_panel(user: Any) -> Panel | None:
    offices = office_congress_ids(user)
    if offices is not None and not offices:
        return None
    today = timezone.localdate()
    items: list[PanelItem] = []
    flagged = flagged_count_for_offices(offices, today)
    coverage_url = reverse("deputies:coverage")
    if flagged:
        items.append(
            PanelItem(
                title=ngettext(
                    "%(n)d deputy absent from two sessions without leave",
                    "%(n)d deputies absent from two sessions without leave",
                    flagged,
                )
                % {"n": flagged},
                url=f"{coverage_url}?list=flagged",
                meta=str(_("for the standing committee's decision")),
                badge=str(flagged),
                badge_class="text-bg-danger",
            )
        )
    names = {
        ra.congress_id: ra.congress.name
        for ra in role_assignments(user)
        if ra.role == Role.DEPUTY_AFFAIRS and ra.congress_id
    }
    for congress_id, name in sorted(names.items()):
        summary = cached_summary(congress_id)
        if summary is None:
            continue
        missing = summary["missing"]
        items.append(
            PanelItem(
                title=_("Not reported back: %(r)d · not trained: %(t)d · not sat in: %(s)d")
                % {
                    "r": missing["report_back"],
                    "t": missing["training"],
                    "s": missing["sc_sitting"],
                },
                url=f"{coverage_url}?congress={congress_id}",
                meta=_("%(congress)s · %(n)d deputies · as of %(time)s")
                % {
                    "congress": name,
                    "n": summary["deputies"],
                    "time": timezone.localtime(summary["computed_at"]).strftime("%H:%M"),
                },
            )
        )
    return Panel(
        key="coverage",
        title=gettext_lazy("Deputies' duties"),
        empty_text=gettext_lazy(
            "Open the coverage dashboard for who has not yet reported back to voters, been "
            "trained or sat in; deputies absent from two sessions without leave appear here."
        ),
        items=items,
        more_url=coverage_url,
        more_label=gettext_lazy("Coverage dashboard"),
        order=30,
        links=[
            (gettext_lazy("Absent from two sessions"), f"{coverage_url}?list=flagged"),
            (gettext_lazy("Work plans"), reverse("deputies:office_plans")),
        ],
    )
