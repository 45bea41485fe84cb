"""HTML pages of the suggestions app for the public side (see urls.py): no sign-in."""

from django.urls import path

from . import views_public

urlpatterns: list = [
    path("public/", views_public.public_list, name="public_list"),
    path("public/<int:pk>/", views_public.public_detail, name="public_detail"),
]
