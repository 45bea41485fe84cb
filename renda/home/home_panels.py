"""The foundation's home-page panels: the inbox, the administrator's queue, and each role's
work queue, which later features fill (their empty states say what will appear)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from renda.accounts.choices import Role

from .panels import Panel, PanelItem, register


@register()
def inbox_panel(user: Any) -> Panel:
    from renda.notifications.models import Notification
    from renda.notifications.queries import unread_count

    unread = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).only(
            "title", "url", "created_at"
        )[:5]
    )
    if len(unread) < 5:
        # Fewer than a page: that is the count, and the header needs no COUNT query.
        user._renda_unread = len(unread)
    return Panel(
        key="inbox",
        title=_("Unread notifications"),
        empty_text=_(
            "Nothing unread. Assignments, deadline warnings and answers will reach you here."
        ),
        items=[
            PanelItem(
                title=n.title,
                url=n.url,
                meta=timezone.localtime(n.created_at).strftime("%Y-%m-%d %H:%M"),
            )
            for n in unread
        ],
        count=unread_count(user),
        more_url=reverse("notifications:inbox"),
        more_label=_("All notifications"),
        order=90,
    )


@register({Role.ADMIN})
def admin_panel(user: Any) -> Panel:
    from renda.accounts.models import User
    from renda.calendar.queries import calendar_gaps

    items = []
    for year in calendar_gaps():
        items.append(
            PanelItem(
                title=str(
                    _("Enter the State Council holiday schedule for %(year)s") % {"year": year}
                ),
                url=reverse("calendar:year", args=[year]),
                badge=str(_("provisional")),
                badge_class="text-bg-warning",
            )
        )
    pending = User.objects.filter(must_change_password=True, is_active=True).count()
    if pending:
        items.append(
            PanelItem(
                title=str(
                    _("%(n)d accounts have not yet replaced their initial password")
                    % {"n": pending}
                ),
                url=reverse("accounts:user_list") + "?pending=on",
            )
        )
    return Panel(
        key="admin",
        title=_("Administration"),
        empty_text=_("Nothing needs your attention: every year in use has its official calendar."),
        items=items,
        order=10,
    )


def _queue(key: str, title: Any, empty: Any) -> Panel:
    return Panel(key=key, title=title, empty_text=empty, items=[], count=0, order=20)


@register({Role.DEPUTY})
def deputy_panel(user: Any) -> Panel:
    """The deputy's queue: the five most recently changed own or co-signed suggestions and
    co-signature requests (one query), and how many in all only when there are five or more."""
    from renda.suggestions.queries import deputy_queue

    rows = list(deputy_queue(user)[:5])
    items = []
    for s in rows:
        if s.waiting_for_me:
            badge, badge_class = str(_("co-sign?")), "text-bg-warning"
        elif s.state == "answered" and s.lead_deputy_id == user.pk:
            badge, badge_class = str(_("to rate")), "text-bg-warning"
        else:
            badge, badge_class = str(s.get_state_display()), "text-bg-secondary"
        own_draft = s.state == "draft" and s.lead_deputy_id == user.pk
        items.append(
            PanelItem(
                title=s.title,
                url=reverse("suggestions:edit" if own_draft else "suggestions:detail", args=[s.pk]),
                meta=s.number,
                badge=badge,
                badge_class=badge_class,
            )
        )
    return Panel(
        key="deputy",
        title=_("My suggestions and duties"),
        empty_text=_(
            "Your suggestions, answers waiting for your rating, co-signature requests and "
            "activities to attend will appear here."
        ),
        items=items,
        count=deputy_queue(user).count() if len(rows) == 5 else None,
        more_url=reverse("suggestions:mine"),
        more_label=_("All my suggestions"),
        order=20,
        links=[(_("My deputy record"), reverse("deputies:my_record"))],
    )


@register({Role.UNIT_CLERK, Role.UNIT_HEAD})
def unit_panel(user: Any) -> Panel:
    """The unit's queue: still-handling assignments of its units, soonest due first (one query
    for the rows; the count only when there are more than shown)."""
    from renda.suggestions.queries import mark_due_and_overdue, unit_open_rows

    rows = list(unit_open_rows(user)[:5])
    mark_due_and_overdue(rows, timezone.localdate())
    return Panel(
        key="unit",
        title=_("Assigned to my unit"),
        empty_text=_(
            "Suggestions and citizens' opinions assigned to your unit, with their answer "
            "deadlines, will appear here."
        ),
        items=[
            PanelItem(
                title=f"{a.suggestion.number} {a.suggestion.title}",
                url=reverse("suggestions:detail", args=[a.suggestion_id]),
                meta=(a.due_deadline.due.isoformat() if a.due_deadline else ""),
                badge=str(_("overdue")) if a.is_overdue else "",
                badge_class="text-bg-danger",
            )
            for a in rows
        ],
        count=(unit_open_rows(user).count() if len(rows) == 5 else None),
        more_url=reverse("suggestions:unit_queue"),
        more_label=_("All assigned to my unit"),
        order=20,
        links=[(_("My unit's statistics"), reverse("suggestions:stats"))],
    )


@register({Role.DEPUTY_AFFAIRS})
def affairs_panel(user: Any) -> Panel:
    """The office's queue: the five oldest submitted or registered suggestions (one query) and
    how many wait in all (one COUNT); the inbox page has return requests and overdue answers."""
    from renda.suggestions.queries import office_suggestions

    waiting = (
        office_suggestions(user)
        .filter(state__in=("submitted", "registered"))
        .order_by("submitted_at", "id")
    )
    rows = list(waiting.only("id", "title", "number", "state", "submitted_at")[:5])
    return Panel(
        key="affairs",
        title=_("To register and assign"),
        empty_text=_(
            "Suggestions waiting for registration and assignment, return requests and overdue "
            "answers will appear here."
        ),
        items=[
            PanelItem(
                title=s.title,
                url=reverse("suggestions:detail", args=[s.pk]),
                meta=f"{s.number} · {timezone.localtime(s.submitted_at):%Y-%m-%d}"
                if s.submitted_at
                else s.number,
                badge=str(_("to register") if s.state == "submitted" else _("to assign")),
                badge_class="text-bg-primary" if s.state == "submitted" else "text-bg-info",
            )
            for s in rows
        ],
        count=waiting.count() if len(rows) == 5 else None,
        more_url=reverse("suggestions:office_inbox"),
        more_label=_("All suggestions to handle"),
        order=20,
        links=[
            (_("Suggestion statistics"), reverse("suggestions:stats")),
            (_("Deputy registry"), reverse("deputies:registry")),
            (_("Import roster"), reverse("deputies:import")),
        ],
    )


@register({Role.GOV_SUPERVISOR})
def overdue_panel(user: Any) -> Panel:
    """The government supervision office's overdue board (issue 3 point 9): the government
    units' overdue answers, longest overdue first (the office's overdue query)."""
    from renda.suggestions.queries import overdue_assignments

    board = overdue_assignments(user)
    rows = list(board[:5])
    return Panel(
        key="overdue",
        title=_("Overdue answers"),
        empty_text=_(
            "Government units' answers not sent by their deadline will appear here, the day "
            "after it."
        ),
        items=[
            PanelItem(
                title=f"{a.suggestion.number} {a.suggestion.title}",
                url=reverse("suggestions:detail", args=[a.suggestion_id]),
                meta=f"{a.unit.name} · {a.answer_deadline.due:%Y-%m-%d}",
                badge=str(_("escalated") if a.escalated_at else _("overdue")),
                badge_class="text-bg-danger",
            )
            for a in rows
        ],
        count=board.count() if len(rows) == 5 else None,
        more_url=reverse("suggestions:overdue_board"),
        more_label=_("All overdue answers"),
        order=15,
    )


@register({Role.COMMITTEE, Role.LEADER, Role.GOV_SUPERVISOR})
def supervision_panel(user: Any) -> Panel:
    """SUG-KEY: the five latest key suggestions the user supervises (the key-suggestion board's
    query, one query), with their progress-report count."""
    from renda.suggestions.queries import key_suggestions_board

    rows = list(key_suggestions_board(user)[:5])
    return Panel(
        key="supervision",
        title=_("Under my supervision"),
        empty_text=_("Key suggestions you supervise and their progress reports will appear here."),
        items=[
            PanelItem(
                title=k.suggestion.title,
                url=reverse("suggestions:detail", args=[k.suggestion_id]),
                meta=f"{k.year} · {k.suggestion.number} · "
                + str(
                    ngettext("%(n)d progress report", "%(n)d progress reports", k.report_count)
                    % {"n": k.report_count}
                ),
                badge=str(k.suggestion.get_state_display()),
            )
            for k in rows
        ],
        order=20,
    )


@register({Role.SC_MEMBER})
def sc_panel(user: Any) -> Panel:
    return _queue(
        "sc",
        _("Meetings and votes"),
        _(
            "Standing-committee meetings you are to attend, with their agendas and votes, will "
            "appear here."
        ),
    )
