"""The clinic's admin ("ScalpSafe clinic"): the queue, and the operator's clinics."""

from django.contrib import admin, messages
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.template.loader import render_to_string

from clinics.admin.clinic import ClinicAdmin
from clinics.admin.queue import QueueAdmin

admin.site.site_header = "ScalpSafe clinic"
admin.site.site_title = "ScalpSafe clinic"
admin.site.index_title = "Your clinic's queue"
# The queue's columns need the width at 1280 px more than a second list of the same links.
admin.site.enable_nav_sidebar = False


@receiver(user_logged_out)
def _admin_logout_says_so(sender, request, user, **kwargs) -> None:
    # Logging out of the admin (Django's view) lands on the site's home page, which said
    # nothing about it; allauth's log-out says it with this message already.
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == f"{admin.site.name}:logout":
        messages.info(request, render_to_string("account/messages/logged_out.txt").strip())


__all__ = ["ClinicAdmin", "QueueAdmin"]
