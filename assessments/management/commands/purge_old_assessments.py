"""Delete assessments older than the retention period. Run daily from cron (README).

The period is ASSESSMENT_RETENTION_DAYS, the number the privacy notice promises; --older-than
overrides it for a one-off run. The same nightly run deletes log-in records (django-axes'
lock-out records and access logs) older than AXES_RETENTION_DAYS. The audit trail is never
touched: it outlives the assessments it describes.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import Assessment
from assessments.services import assessments_purge
from scalpsafe.login_records import login_records_count, login_records_purge


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise CommandError(f"--older-than must be a whole number of days, not {value!r}.") from None
    if days < 1:
        raise CommandError(f"--older-than must be at least 1 day, not {days}.")
    return days


class Command(BaseCommand):
    help = (
        "Delete assessments created more than DAYS days ago "
        "(by default ASSESSMENT_RETENTION_DAYS, the privacy notice's promise), and log-in "
        "records older than AXES_RETENTION_DAYS."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--older-than", metavar="DAYS", type=str, default=None)
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, older_than: str | None, dry_run: bool, **options) -> None:
        days = settings.ASSESSMENT_RETENTION_DAYS if older_than is None else _days(older_than)
        cutoff = timezone.now() - timedelta(days=days)
        login_days = settings.AXES_RETENTION_DAYS
        login_cutoff = timezone.now() - timedelta(days=login_days)
        if dry_run:
            count = Assessment.objects.filter(created_at__lt=cutoff).count()
            self.stdout.write(f"{count} assessment(s) older than {days} days would be deleted.")
            logins = login_records_count(older_than=login_cutoff)
            self.stdout.write(
                f"{logins} log-in record(s) older than {login_days} days would be deleted."
            )
            return
        deleted = assessments_purge(created_before=cutoff)
        self.stdout.write(f"Deleted {deleted} assessment(s) older than {days} days.")
        logins = login_records_purge(older_than=login_cutoff)
        self.stdout.write(f"Deleted {logins} log-in record(s) older than {login_days} days.")
