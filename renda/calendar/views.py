"""The legal calendar's pages: the list of years, and one year with its schedule form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from renda.audit.queries import history_of
from renda.errors import DomainError

from .actions import enter_schedule
from .forms import ScheduleForm, saved_message
from .periods import MAX_START, MIN_START
from .permissions import can_edit_calendar, can_view_calendar
from .queries import year_detail, year_overview

# Column heads of the month grid, Monday first (一 二 三 … in Chinese).
WEEKDAY_LETTERS = [
    pgettext_lazy("weekday, column head of a month grid", "Mo"),
    pgettext_lazy("weekday, column head of a month grid", "Tu"),
    pgettext_lazy("weekday, column head of a month grid", "We"),
    pgettext_lazy("weekday, column head of a month grid", "Th"),
    pgettext_lazy("weekday, column head of a month grid", "Fr"),
    pgettext_lazy("weekday, column head of a month grid", "Sa"),
    pgettext_lazy("weekday, column head of a month grid", "Su"),
]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not can_view_calendar(request.user):
        raise Http404
    wanted = request.GET.get("year", "").strip()
    if wanted:
        if wanted.isdigit() and MIN_START.year <= int(wanted) <= MAX_START.year:
            return redirect("calendar:year", int(wanted))
        messages.error(request, _("Give a year between 1900 and 2999, e.g. 2027."))
    rows = year_overview()
    return render(
        request,
        "calendar/overview.html",
        {
            "rows": rows,
            "gaps": [row for row in rows if row.missing_in_use],
            "can_edit": can_edit_calendar(request.user),
        },
    )


@login_required
def year(request: HttpRequest, year: int) -> HttpResponse:
    if not can_view_calendar(request.user) or not (MIN_START.year <= year <= MAX_START.year):
        raise Http404
    can_edit = can_edit_calendar(request.user)
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ScheduleForm(year, request.POST)
        if form.is_valid():
            try:
                done = enter_schedule(
                    year, form.parsed_holidays, form.parsed_workdays, by=request.user
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(
                    request, saved_message(year, done.changed, done.recomputed, done.moved)
                )
                return redirect("calendar:year", year)
    detail = year_detail(year)
    if can_edit and form is None:
        form = ScheduleForm(
            year, initial=ScheduleForm.initial_for(detail.holidays, detail.workdays)
        )
    return render(
        request,
        "calendar/year.html",
        {
            "detail": detail,
            "form": form,
            "weekdays": WEEKDAY_LETTERS,
            "history": history_of(detail.calendar_year) if detail.calendar_year else [],
        },
    )
