from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "renda.opinions"
    label = "opinions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs

        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)

        from . import (
            home_panels_handling,  # noqa: F401  (registers the home panel)
            home_panels_receiving,  # noqa: F401  (registers the home panel)
        )
