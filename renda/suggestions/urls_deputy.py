"""HTML pages of the suggestions app for the deputy side (see urls.py)."""

from django.urls import path

from . import views_attachments, views_deputy

urlpatterns: list = [
    path("<int:pk>/", views_deputy.detail, name="detail"),
    path("<int:pk>/answers/<int:answer_pk>/rate/", views_deputy.rate, name="rate"),
    path("<int:pk>/attachments/", views_attachments.add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views_attachments.download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        views_attachments.remove,
        name="attachment_remove",
    ),
    path("mine/", views_deputy.mine, name="mine"),
    path("new/", views_deputy.new, name="new"),
    path("<int:pk>/edit/", views_deputy.edit, name="edit"),
    path("autosave/", views_deputy.autosave, name="autosave"),
    path(
        "<int:pk>/cosigners/<int:deputy_pk>/remove/",
        views_deputy.remove_cosigner,
        name="cosigner_remove",
    ),
    path(
        "<int:pk>/cosign/<str:verb>/",
        views_deputy.answer_cosign,
        name="cosign",
    ),
]
