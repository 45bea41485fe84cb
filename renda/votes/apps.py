from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "renda.votes"
    label = "votes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs

        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)

        from . import home_panels  # noqa: F401  (registers the home panel)
