"""HTML pages of the opinions app: the receiving part's staff pages (namespace `opinions`, under
/opinions/). The citizens' pages live at short public addresses (urls_public.py)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path, re_path

from . import views_receiving

urlpatterns: list[URLPattern | Any] = [
    path("record/", views_receiving.record, name="record"),
    path("recorded/<int:pk>/", views_receiving.recorded, name="recorded"),
    path("images/<int:pk>", views_receiving.image, name="image"),
    path("stations/<int:pk>/code/", views_receiving.station_code, name="station_code"),
    re_path(
        r"^stations/(?P<pk>[0-9]+)/code\.(?P<kind>svg|png)$",
        views_receiving.station_code_file,
        name="station_code_file",
    ),
]
