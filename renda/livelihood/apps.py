from django.apps import AppConfig


class LivelihoodConfig(AppConfig):
    name = "renda.livelihood"
    label = "livelihood"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "livelihood projects"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs

        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)

        from . import home_panels  # noqa: F401  (registers the home panel)
