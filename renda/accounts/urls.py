from django.urls import path

from . import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/setup/qr.svg", views.otp_qr, name="otp_qr"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    # Account administration: administrators only (404 for everyone else).
    path("admin/users/", admin_views.user_list, name="user_list"),
    path("admin/users/new/", admin_views.user_create, name="user_create"),
    path("admin/users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path(
        "admin/users/<int:pk>/password/",
        admin_views.user_password_reset,
        name="user_password_reset",
    ),
    path("admin/users/<int:pk>/roles/", admin_views.user_role_add, name="user_role_add"),
    path(
        "admin/users/<int:pk>/roles/<int:assignment_pk>/remove/",
        admin_views.user_role_remove,
        name="user_role_remove",
    ),
    path(
        "admin/users/<int:pk>/2fa/reset/",
        admin_views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("admin/users/<int:pk>/unlock/", admin_views.user_unlock, name="user_unlock"),
    path("admin/security/", admin_views.security_policy, name="security_policy"),
]
