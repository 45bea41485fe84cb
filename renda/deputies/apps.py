from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "renda.deputies"
    label = "deputies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs

        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)

        from . import (
            home_panels_activities,  # noqa: F401 - registers the home-page panels
            home_panels_public,  # noqa: F401  (registers the home panels)
        )
