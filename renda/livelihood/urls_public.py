from django.urls import path

from . import views_public

app_name = "livelihood_public"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<int:pk>/propose/", views_public.propose_page, name="propose"),
    path("<int:pk>/thanks/", views_public.thanks, name="thanks"),
    path("<int:pk>/", views_public.board_page, name="board"),
    path("<int:pk>/board.xlsx", views_public.board_xlsx, name="board_xlsx"),
    path("photo/<int:pk>", views_public.photo, name="photo"),
]
