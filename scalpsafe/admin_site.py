"""The admin site: Django's, with the list of apps read only on a page that shows it.

Django's `AdminSite.each_context` reads `available_apps` (every registered model, its
permissions checked and its URLs reversed) for every admin page, for the navigation sidebar
only, which is off here (clinics/admin/__init__.py: the queue's columns need the width). That
was about 0.6 ms of each page of the clinic's queue, in-process on PostgreSQL (docs/performance.md,
twenty-third sitting). Here it is read the first time a template uses it, so a page with the
sidebar on still shows it.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


class ScalpSafeAdminSite(AdminSite):
    def each_context(self, request: HttpRequest) -> dict:
        # Django 5.2's, word for word but for the lazy app list (tests/admin/test_admin_site.py
        # holds the two equal, so a Django upgrade that adds a variable is noticed).
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }


class ScalpSafeAdminConfig(AdminConfig):
    """django.contrib.admin (its label, models and templates), with ScalpSafeAdminSite as
    `admin.site`. Not a default config (`default = False`): only settings name it."""

    default = False
    default_site = "scalpsafe.admin_site.ScalpSafeAdminSite"
