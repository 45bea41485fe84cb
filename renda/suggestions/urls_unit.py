"""HTML pages of the suggestions app for the unit side (see urls.py)."""

from django.urls import path

from . import views_unit

urlpatterns: list = [
    path("unit/", views_unit.unit_queue, name="unit_queue"),
    path(
        "<int:pk>/unit/<int:assignment_id>/contacts/",
        views_unit.log_contact,
        name="unit_contact",
    ),
    path(
        "<int:pk>/unit/<int:assignment_id>/co-opinion/",
        views_unit.send_co_opinion,
        name="unit_co_opinion",
    ),
    path(
        "<int:pk>/unit/<int:assignment_id>/return/",
        views_unit.request_return,
        name="unit_return",
    ),
    path("<int:pk>/unit/<int:assignment_id>/sign-off/", views_unit.sign_off, name="unit_sign_off"),
    path("<int:pk>/unit/<int:assignment_id>/answer/", views_unit.send_answer, name="unit_answer"),
    path(
        "<int:pk>/commitments/<int:commitment_id>/met/",
        views_unit.commitment_met,
        name="unit_commitment_met",
    ),
    path(
        "<int:pk>/answers/<int:answer_id>/letter.docx",
        views_unit.reply_letter,
        name="reply_letter",
    ),
]
