"""HTML pages of the deputies app: the activities part (namespace `deputies`)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
