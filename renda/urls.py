from django.contrib import admin
from django.urls import include, path

from renda.api import api
from renda.home import views as home_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("bare", home_views.bare, name="bare"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("renda.accounts.urls")),
    path("orgs/", include("renda.orgs.urls")),
    path("calendar/", include("renda.calendar.urls")),
    path("notifications/", include("renda.notifications.urls")),
    path("suggestions/", include("renda.suggestions.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("opinions/", include("renda.opinions.urls")),
    path("livelihood/", include("renda.livelihood.urls")),
    path("minsheng/", include("renda.livelihood.urls_public")),
    path("votes/", include("renda.votes.urls")),
    path("search/", include("renda.search.urls")),
    path("routing/", include("renda.routing.urls")),
    path("topics/", include("renda.topics.urls")),
    path("d/", include("renda.deputies.urls_profile")),
    path("", include("renda.opinions.urls_public")),
    path("django-admin/", admin.site.urls),
    path("", include("renda.home.urls")),
]

handler404 = "renda.home.views.not_found"
handler500 = "renda.home.views.server_error"
handler403 = "renda.home.views.forbidden"
