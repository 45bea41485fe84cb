"""HTML pages of the suggestions app for the deputy side (see urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
