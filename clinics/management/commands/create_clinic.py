"""Create a clinic: `manage.py create_clinic --name NAME --slug SLUG --notify-email EMAIL`.

Its link for patients is then /c/SLUG/. Contact details shown to people (--phone, --email,
--address) are optional; the notification address receives "a result was sent to you" emails.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinics.services import clinic_create


class Command(BaseCommand):
    help = "Create a clinic that people can send their results to."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Its link: /c/<slug>/")
        parser.add_argument(
            "--notify-email", required=True, help="Where new-result emails go (never shown)."
        )
        parser.add_argument("--phone", default="", help="Shown to people.")
        parser.add_argument("--email", default="", help="Shown to people.")
        parser.add_argument("--address", default="", help="Shown to people.")

    def handle(self, *args, **options) -> None:
        try:
            clinic = clinic_create(
                name=options["name"],
                slug=options["slug"],
                notify_email=options["notify_email"],
                phone=options["phone"],
                email=options["email"],
                address=options["address"],
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        self.stdout.write(f"Created clinic {clinic.name!r}. Its link: /c/{clinic.slug}/")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"--{field.replace('_', '-')}: {' '.join(m for e in errors for m in e.messages)}"
            for field, errors in error.error_dict.items()
        )
    return " ".join(error.messages)
