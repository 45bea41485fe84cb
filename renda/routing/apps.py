from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "renda.routing"
    label = "routing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs

        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)
