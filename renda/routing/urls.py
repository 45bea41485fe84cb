from django.urls import path

from . import views

app_name = "routing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("suggestions/<int:pk>/proposals/", views.proposals, name="proposals"),
]
