"""The citizens' pages of the opinions app at short public addresses (no sign-in; namespace
`opinion_public`): the opinion form, a station's code (联络站码) /s/<code>/, the tracking page
/track/<code>/, the stations' list and each station's page."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_receiving

app_name = "opinion_public"
urlpatterns: list[URLPattern] = [
    path("opinion/", views_receiving.opinion_form, name="form"),
    path("s/<str:code>/", views_receiving.station_form, name="station_form"),
    path("track/", views_receiving.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views_receiving.track, name="track"),
    path("track/<str:code>/rate/", views_receiving.rate, name="rate"),
    path("stations/", views_receiving.station_list, name="stations"),
    path("stations/<str:code>/", views_receiving.station_page, name="station"),
]
