"""HTML pages of the suggestions app, one module per side (deputy, office, unit, public), all in
the `suggestions` namespace."""

from . import urls_deputy, urls_office, urls_public, urls_unit

app_name = "suggestions"
urlpatterns = [
    *urls_deputy.urlpatterns,
    *urls_office.urlpatterns,
    *urls_unit.urlpatterns,
    *urls_public.urlpatterns,
]
