from django.urls import path

from . import views

app_name = "livelihood"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plan/<int:pk>/", views.plan_detail, name="plan"),
    path("plan/<int:pk>/window", views.plan_window, name="plan_window"),
    path("plan/<int:pk>/close", views.plan_close, name="plan_close"),
    path("plan/<int:pk>/merge", views.plan_merge, name="plan_merge"),
    path("plan/<int:pk>/fix", views.plan_fix, name="plan_fix"),
    path("plan/<int:pk>/vote", views.plan_put_to_vote, name="plan_put_to_vote"),
    path("plan/<int:pk>/ballot/<str:which>/<str:op>", views.plan_ballot, name="plan_ballot"),
    path("plan/<int:pk>/adopt", views.plan_adopt, name="plan_adopt"),
    path("plan/<int:pk>/evaluation", views.plan_evaluation, name="plan_evaluation"),
    path(
        "plan/<int:pk>/evaluation/adopt",
        views.plan_evaluation_adopt,
        name="plan_evaluation_adopt",
    ),
    path("plan/<int:pk>/candidates.xlsx", views.plan_candidates_xlsx, name="candidates_xlsx"),
    path("plan/<int:pk>/propose/", views.deputy_propose, name="deputy_propose"),
    path("plan/<int:pk>/candidate/new/", views.candidate_new, name="candidate_new"),
    path("project/<int:pk>/", views.project_detail, name="project"),
    path("project/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("project/<int:pk>/submit", views.project_submit, name="project_submit"),
    path("project/<int:pk>/approve", views.project_approve, name="project_approve"),
    path("project/<int:pk>/return", views.project_return, name="project_return"),
    path("project/<int:pk>/milestone", views.project_milestone, name="project_milestone"),
    path(
        "project/<int:pk>/milestone/<int:milestone>/done",
        views.milestone_done,
        name="milestone_done",
    ),
    path("project/<int:pk>/complete", views.project_complete, name="project_complete"),
    path("project/<int:pk>/report", views.project_report, name="project_report"),
    path("project/<int:pk>/supervisors", views.project_supervisors, name="project_supervisors"),
    path("project/<int:pk>/inspection", views.project_inspection, name="project_inspection"),
]
