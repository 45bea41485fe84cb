from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "renda.home"
    label = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.actions import after_record

        from . import home_panels  # noqa: F401  (registers the foundation's panels)
        from .versions import touch

        after_record(touch)
