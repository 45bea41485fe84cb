"""HTML pages of the opinions app: station registry, reception days and station performance
(namespace `opinions`; office pages under office/ so they never meet the public station pages)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_stations as v

urlpatterns: list[URLPattern] = [
    path("office/stations/", v.station_list, name="station_manage_list"),
    path("office/stations/new/", v.station_create, name="station_manage_create"),
    path("office/stations/<int:pk>/edit/", v.station_edit, name="station_manage_edit"),
    path(
        "office/stations/<int:pk>/receptions/",
        v.reception_days,
        name="station_manage_receptions",
    ),
    path("office/receptions/<int:pk>/edit/", v.reception_edit, name="reception_manage_edit"),
    path("office/receptions/<int:pk>/held/", v.reception_held, name="reception_manage_held"),
    path("office/receptions/<int:pk>/cancel/", v.reception_cancel, name="reception_manage_cancel"),
    path("office/station-stats/", v.station_stats, name="station_stats"),
    path("office/station-stats.xlsx", v.station_stats_xlsx, name="station_stats_xlsx"),
]
