from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:year>/", views.year, name="year"),
]
