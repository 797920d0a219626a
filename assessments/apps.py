from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from django.contrib import admin

        from assessments.admin.rows import harden_admin_site

        # django.contrib.admin, first in INSTALLED_APPS, has registered every app's admin by now.
        harden_admin_site(admin.site)
