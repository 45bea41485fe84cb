from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="page"),
    path("quick/", views.quick, name="quick"),
    path("similar/", views.similar, name="similar"),
]
