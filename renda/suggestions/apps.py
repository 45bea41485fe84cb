from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renda.audit.verbs import register_verbs
        from renda.calendar.signals import deadlines_moved

        from .actions.common import follow_moved_deadlines
        from .verbs import EVENT_LABELS

        register_verbs(EVENT_LABELS)
        # Moved deadlines: the assignments' due copies and the statistics' facts follow, in the
        # calendar action's transaction.
        deadlines_moved.connect(follow_moved_deadlines, dispatch_uid="suggestion-due-copies")
