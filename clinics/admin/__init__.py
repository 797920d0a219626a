"""The clinic's admin ("ScalpSafe clinic"): the queue, and the operator's clinics."""

from django.contrib import admin

from clinics.admin.clinic import ClinicAdmin
from clinics.admin.queue import QueueAdmin

admin.site.site_header = "ScalpSafe clinic"
admin.site.site_title = "ScalpSafe clinic"
admin.site.index_title = "Your clinic's queue"
# The queue's columns need the width at 1280 px more than a second list of the same links.
admin.site.enable_nav_sidebar = False

__all__ = ["ClinicAdmin", "QueueAdmin"]
