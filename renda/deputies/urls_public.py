"""HTML pages of the deputies app: the public part (included by urls.py, namespace `deputies`)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
