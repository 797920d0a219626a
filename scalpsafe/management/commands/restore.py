"""Replace the whole database with a backup made by `manage.py backup` (README, "Backups").

Stop the site and the task worker first: a restore is a stop-the-world operation. The file is
checked before anything is touched, and what is replaced is backed up first.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scalpsafe.backups import (
    BackupError,
    backup_check,
    database_describe,
    database_refuse_if_in_use,
    database_restore,
    unapplied_migrations,
)


class Command(BaseCommand):
    help = (
        "Replace the whole database with FILE, a backup made by `manage.py backup`. Stop the "
        "site and the task worker first. The current database is backed up to BACKUP_DIR "
        "before it is replaced."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even while other processes have the database open (they will see "
            "it change under them).",
        )

    def handle(self, *args, file: Path, interactive: bool, force: bool, **options) -> None:
        target = database_describe()
        try:
            # Fail early, before asking, when the file or the moment is wrong.
            backup_check(file)
            if not force:
                database_refuse_if_in_use()
            if interactive and not self._confirmed(file, target):
                raise CommandError("Restore cancelled.")
            replaced = database_restore(
                path=file, backup_directory=settings.BACKUP_DIR, force=force
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if replaced is not None:
            self.stdout.write(f"The database it replaced is backed up in {replaced}")
        self.stdout.write(self.style.SUCCESS(f"Restored {target} from {file}."))
        if missing := unapplied_migrations():
            self.stdout.write(
                f"The backup is older than the code: {len(missing)} migration(s) to apply. "
                "Run `manage.py migrate` before starting the site."
            )

    def _confirmed(self, file: Path, target: str) -> bool:
        try:
            answer = input(
                f"This replaces the whole database {target} with {file}.\n"
                "The site and the task worker must be stopped. The current database is backed "
                f"up to {settings.BACKUP_DIR} first.\nType 'yes' to continue: "
            )
        except EOFError:  # no terminal (cron, a pipe): only --noinput restores from there
            return False
        return answer.strip().lower() == "yes"
