"""HTML pages of the deputies app: the activities part (namespace `deputies`): activities and
their code, check-in, leave, the deputy's duty record and the office's hand-entered records."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_activities as a
from . import views_duties as d

urlpatterns: list[URLPattern] = [
    path("activities/", a.activity_list, name="activity_list"),
    path("activities/new/", a.activity_new, name="activity_new"),
    path("activities/deputies/", a.deputy_search, name="activity_deputy_search"),
    path("activities/<int:pk>/", a.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", a.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/invite/", a.activity_invite, name="activity_invite"),
    path(
        "activities/<int:pk>/invitees/<int:deputyship_pk>/remove/",
        a.activity_uninvite,
        name="activity_uninvite",
    ),
    path("activities/<int:pk>/cancel/", a.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/attendance/", a.activity_mark, name="activity_mark"),
    path("activities/<int:pk>/close/", a.activity_close, name="activity_close"),
    path("activities/<int:pk>/code/", a.activity_code, name="activity_code"),
    path("activities/<int:pk>/code.png", a.activity_code_png, name="activity_code_png"),
    path("activities/<int:pk>/code.svg", a.activity_code_svg, name="activity_code_svg"),
    path("activities/<int:pk>/leave/", a.leave_request, name="leave_request"),
    path("leave-requests/<int:pk>/decide/", a.leave_decide, name="leave_decide"),
    path("leave-requests/<int:pk>/withdraw/", a.leave_withdraw, name="leave_withdraw"),
    path("checkin/<str:code>/", a.checkin, name="checkin"),
    path("duties/", d.my_duties, name="my_duties"),
    path("duty-records/", d.office_duty_list, name="office_duty_list"),
    path("duty-records/new/", d.office_duty_new, name="office_duty_new"),
    path("duty-records/<int:pk>/remove/", d.office_duty_remove, name="office_duty_remove"),
]
