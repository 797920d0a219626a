from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ScalpSafeConfig(AppConfig):
    name = "scalpsafe"
    verbose_name = "ScalpSafe"

    def ready(self) -> None:
        # `security` connects the security log to Django's and django-axes' authentication
        # signals; `checks` registers our deploy checks.
        from scalpsafe import checks, security  # noqa: F401


class ScalpSafeAdminConfig(AdminConfig):
    """django.contrib.admin, with ScalpSafe's site as `admin.site` (scalpsafe/admin_site.py)."""

    default_site = "scalpsafe.admin_site.ScalpSafeAdminSite"
