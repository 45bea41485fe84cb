"""The deputy's public profile at a short address, /d/<code>/ — what the deputy code (代表码)
carries (DEP-PUBLIC). No sign-in."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_public

app_name = "deputy_public"
urlpatterns: list[URLPattern] = [
    path("<str:code>/", views_public.profile, name="profile"),
    path("<str:code>/message/", views_public.message, name="message"),
    path("<str:code>/photo", views_public.photo, name="photo"),
]
