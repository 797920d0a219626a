"""Back up the whole database to a new timestamped file. Safe while the site runs; run it from
cron (README, "Backups"). Prints the new file's path."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scalpsafe.backups import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: the online backup API; PostgreSQL: pg_dump of the "
        "server's major version) to a new timestamped file in BACKUP_DIR. Safe while the site "
        "runs. Prints the file's path."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="Write the backup here instead of BACKUP_DIR.",
        )

    def handle(self, *args, output_dir: Path | None, **options) -> None:
        try:
            path = database_backup(directory=output_dir or settings.BACKUP_DIR)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
