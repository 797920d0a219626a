from django.apps import AppConfig


class RollerSessionsConfig(AppConfig):
    """Sessions with a roller: the check before each one, the check-ins after, reminders
    (rulebook section 6)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "roller_sessions"
    verbose_name = "Sessions"
