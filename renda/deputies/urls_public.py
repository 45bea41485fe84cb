"""HTML pages of the deputies app: the public part (included by urls.py, namespace `deputies`):
the deputy code, citizens' messages, coverage, fixed contacts and work plans. The profile itself
lives at the short address /d/<code>/ (urls_profile.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_codes, views_coverage, views_messages, views_plans, views_public

urlpatterns: list[URLPattern] = [
    # The deputy: their code and their citizens' messages.
    path("me/code/", views_codes.my_code, name="my_code"),
    path("me/messages/", views_messages.inbox, name="messages"),
    path("messages/<int:pk>/read/", views_messages.mark_read, name="message_read"),
    # A deputy's code (the deputy or the office).
    path("<int:pk>/code.svg", views_codes.code_svg, name="code_svg"),
    path("<int:pk>/code.png", views_codes.code_png, name="code_png"),
    # The office.
    path("office/codes/", views_codes.code_sheet, name="code_sheet"),
    path("office/messages/", views_messages.office_inbox, name="office_messages"),
    path("office/coverage/", views_coverage.coverage, name="coverage"),
    path("office/coverage/export.xlsx", views_coverage.coverage_xlsx, name="coverage_xlsx"),
    path("office/contacts/", views_coverage.contacts, name="contacts"),
    path("office/contacts/<int:pk>/", views_coverage.member_contacts, name="member_contacts"),
    path("office/contacts/<int:pk>/add/", views_coverage.contact_add, name="contact_add"),
    path(
        "office/contact-links/<int:pk>/remove/",
        views_coverage.contact_remove,
        name="contact_remove",
    ),
    path("office/plans/", views_plans.office_plans, name="office_plans"),
    path("office/plans/new/", views_plans.plan_new, name="plan_new"),
    path("office/plans/<int:pk>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("office/plans/<int:pk>/correct/", views_plans.plan_correct, name="plan_correct"),
    path("office/plans/<int:pk>/publish/", views_plans.plan_publish, name="plan_publish"),
    # Plans: published ones for everyone (no sign-in), drafts for the office.
    path("plans/<int:pk>/", views_public.plan, name="plan"),
    path("plans/congress/<int:congress>/", views_public.public_plans, name="public_plans"),
]
