from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "renda.calendar"
    label = "legal_calendar"
    default_auto_field = "django.db.models.BigAutoField"
