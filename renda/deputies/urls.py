"""HTML pages of the deputies app, one module per part, all in the `deputies` namespace."""

from . import urls_activities, urls_public, urls_registry, urls_scoring

app_name = "deputies"
urlpatterns = [
    *urls_registry.urlpatterns,
    *urls_activities.urlpatterns,
    *urls_scoring.urlpatterns,
    *urls_public.urlpatterns,
]
