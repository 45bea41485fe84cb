from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs
        from renda.calendar.signals import deadlines_moved

        from .facts import refresh_for_deadlines
        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)
        deadlines_moved.connect(refresh_for_deadlines, dispatch_uid="suggestion-facts")
