from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.congress_list, name="congress_list"),
    path("congress/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
]
