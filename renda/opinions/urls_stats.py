"""HTML pages of the opinions app: the stats part (namespace `opinions`)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
