"""Home-page panels of the activities part: the deputy's upcoming activities (with their leave
requests awaiting a decision), and the organiser's activities to close and leave to decide.
One query each (sliced), plus a COUNT only when the panel is full (docs/ui.md budget)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from renda.accounts.choices import Role
from renda.home.panels import Panel, PanelItem, register

from .choices import ActivityState, LeaveState
from .queries_activities import managed_activities, upcoming_for_deputy

SIZE = 5


@register({Role.DEPUTY})
def deputy_activities_panel(user: Any) -> Panel:
    now = timezone.now()
    rows = list(upcoming_for_deputy(user, now)[:SIZE])
    items = []
    for row in rows:
        a = row.activity
        if row.checked_in_at:
            badge, css = str(_("checked in")), "text-bg-success"
        elif row.leave_state == LeaveState.REQUESTED:
            badge, css = str(_("leave: awaiting decision")), "text-bg-warning"
        elif row.leave_state == LeaveState.APPROVED:
            badge, css = str(_("leave approved")), "text-bg-success"
        elif a.checkin_opens_at <= now:
            badge, css = str(_("check-in open")), "text-bg-primary"
        else:
            badge, css = "", "text-bg-secondary"
        items.append(
            PanelItem(
                title=a.title,
                url=reverse("deputies:activity_detail", args=[a.pk]),
                meta=f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M} · {a.location}".rstrip(
                    " ·"
                ),
                badge=badge,
                badge_class=css,
            )
        )
    return Panel(
        key="deputy-activities",
        title=_("My upcoming activities"),
        empty_text=_(
            "Activities you are invited to will appear here, with check-in times and the "
            "decisions on your leave requests."
        ),
        items=items,
        count=upcoming_for_deputy(user, now).count() if len(rows) == SIZE else None,
        more_url=reverse("deputies:my_duties"),
        more_label=_("My duties"),
        order=25,
    )


@register({Role.DEPUTY_AFFAIRS, Role.STATION_STAFF})
def organiser_activities_panel(user: Any) -> Panel:
    now = timezone.now()
    waiting = (
        managed_activities(user)
        .filter(state=ActivityState.PLANNED)
        .annotate(
            pending_leave=Count(
                "leave_requests", filter=Q(leave_requests__state=LeaveState.REQUESTED)
            )
        )
        .filter(Q(starts_at__lte=now) | Q(pending_leave__gt=0))
        .order_by("starts_at", "id")
    )
    rows = list(waiting.only("id", "title", "starts_at", "state")[:SIZE])
    items = []
    for a in rows:
        if a.pending_leave:
            badge = ngettext("%(n)d leave request", "%(n)d leave requests", a.pending_leave) % {
                "n": a.pending_leave
            }
            css = "text-bg-warning"
        else:
            badge, css = str(_("to close")), "text-bg-primary"
        items.append(
            PanelItem(
                title=a.title,
                url=reverse("deputies:activity_detail", args=[a.pk]),
                meta=f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M}",
                badge=badge,
                badge_class=css,
            )
        )
    return Panel(
        key="organiser-activities",
        title=_("Activities to close, leave to decide"),
        empty_text=_(
            "Activities that have started, waiting for you to confirm attendance and close "
            "them, and leave requests to decide will appear here."
        ),
        items=items,
        count=waiting.count() if len(rows) == SIZE else None,
        more_url=reverse("deputies:activity_list"),
        more_label=_("All activities"),
        order=22,
    )
