"""HTML pages of the deputies app: the scoring part (included by urls.py, namespace `deputies`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_scoring as views

urlpatterns: list[URLPattern] = [
    path("my-score/", views.my_score, name="my_score"),
    path("<int:pk>/score/", views.deputy_score, name="deputy_score"),
    path("scores/", views.scores_list, name="scores"),
    path("scores.xlsx", views.scores_xlsx, name="scores_xlsx"),
    path("scores/status/", views.scores_status, name="score_status"),
    path("scores/recompute/", views.scores_recompute, name="score_recompute"),
    path("scores/rules/", views.score_rules, name="score_rules"),
    path("scores/rules/<int:pk>/", views.score_rule_table, name="score_rule_table"),
    path("scores/history/", views.score_history, name="score_history"),
]
