from django.apps import AppConfig


class ScalpSafeConfig(AppConfig):
    name = "scalpsafe"
    verbose_name = "ScalpSafe"

    def ready(self) -> None:
        # Connects the security log to Django's and django-axes' authentication signals.
        from scalpsafe import security  # noqa: F401
