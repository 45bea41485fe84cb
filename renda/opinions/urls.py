"""HTML pages of the opinions app, one module per part, all in the `opinions` namespace."""

from . import urls_handling, urls_receiving, urls_stats

app_name = "opinions"
urlpatterns = [
    *urls_receiving.urlpatterns,
    *urls_handling.urlpatterns,
    *urls_stats.urlpatterns,
]
