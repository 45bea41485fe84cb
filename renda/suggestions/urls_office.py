"""HTML pages of the suggestions app for the office side (see urls.py)."""

from django.urls import path

from . import views_office as v
from . import views_stats

urlpatterns: list = [
    path("office/", v.office_inbox, name="office_inbox"),
    path("overdue/", v.overdue_board, name="overdue_board"),
    path("office/stats/", views_stats.stats_page, name="stats"),
    path("office/stats.xlsx", views_stats.stats_xlsx, name="stats_xlsx"),
    path("<int:pk>/office/units/", v.unit_search, name="office_unit_search"),
    path("<int:pk>/office/register/", v.register_view, name="office_register"),
    path("<int:pk>/office/reject/", v.reject_view, name="office_reject"),
    path("<int:pk>/office/convert/", v.convert_view, name="office_convert"),
    path("<int:pk>/office/assign/", v.assign_view, name="office_assign"),
    path("<int:pk>/office/key/", v.mark_key_view, name="office_mark_key"),
    path("<int:pk>/office/merge/", v.merge_view, name="office_merge"),
    path("<int:pk>/office/unmerge/", v.unmerge_view, name="office_unmerge"),
    path("return-requests/<int:pk>/decide/", v.decide_return_view, name="office_decide_return"),
]
