"""django-axes' log-in records in the admin, its one action mended."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone


class LoginAttemptAdmin(AccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request: HttpRequest, queryset) -> None:
        # axes measures "expired" from the time of the log-in being handled, which its
        # middleware sets only on a log-in: from the admin (a 500 without it) it is now.
        request.axes_attempt_time = timezone.now()
        super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LoginAttemptAdmin)
