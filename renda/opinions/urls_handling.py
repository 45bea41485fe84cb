"""HTML pages of the opinions app: the handling part (namespace `opinions`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_handling

urlpatterns: list[URLPattern] = [
    path("handling/", views_handling.queue, name="handling_queue"),
    path("handling/<int:pk>/", views_handling.detail, name="handling_detail"),
    path("handling/<int:pk>/triage/", views_handling.triage, name="handling_triage"),
    path("handling/<int:pk>/answer/", views_handling.answer, name="handling_answer"),
]
