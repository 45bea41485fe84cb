"""HTML pages of the votes app (namespace `votes`, under /votes/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views, views_voting

app_name = "votes"

urlpatterns: list[URLPattern] = [
    path("", views_voting.mine, name="mine"),
    path("receipt/", views_voting.check_receipt, name="check_receipt"),
    path("ballots/<int:pk>/vote/", views_voting.vote, name="vote"),
    path("ballots/<int:pk>/", views.result, name="result"),
    path("ballots/<int:pk>/projector/", views.projector, name="projector"),
    path("ballots/<int:pk>/open/", views.open_ballot, name="open"),
    path("ballots/<int:pk>/close/", views.close_ballot, name="close"),
    path("ballots/<int:pk>/runoff/", views.runoff, name="runoff"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/ballots/", views.create_ballot, name="create_ballot"),
    path("meetings/<int:pk>/roll/<int:user_id>/", views.attendance, name="attendance"),
]
