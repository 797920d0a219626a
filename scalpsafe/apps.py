from django.apps import AppConfig


class ScalpSafeConfig(AppConfig):
    name = "scalpsafe"
    verbose_name = "ScalpSafe"

    def ready(self) -> None:
        # `security` connects the security log to Django's and django-axes' authentication
        # signals; `checks` registers our deploy checks.
        from scalpsafe import checks, security  # noqa: F401
