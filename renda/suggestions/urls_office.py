"""HTML pages of the suggestions app for the office side (see urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
