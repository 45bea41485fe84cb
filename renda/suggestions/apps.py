from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "renda.suggestions"
    label = "suggestions"
    default_auto_field = "django.db.models.BigAutoField"
