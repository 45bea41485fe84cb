"""HTML pages of the suggestions app for the deputy side (see urls.py)."""

from django.urls import path

from . import views_deputy

urlpatterns: list = [
    path("<int:pk>/", views_deputy.detail, name="detail"),
]
