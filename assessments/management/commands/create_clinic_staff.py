"""Create one clinic staff member: `manage.py create_clinic_staff USERNAME --email EMAIL`.

The password is asked for twice (never on the command line, where it would stay in the shell
history), or, with --set-password-link, the account gets no usable password and a one-time link
to set one is printed. No account is ever created by default.
"""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator, validate_email
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.services import CLINIC_STAFF_GROUP, clinic_staff_create


def can_prompt() -> bool:
    return sys.stdin.isatty()


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create a clinic staff member (admin access to review assessments, nothing more)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--set-password-link",
            action="store_true",
            help="Print a one-time link for the person to set their own password.",
        )
        parser.add_argument(
            "--base-url",
            help="The site's address for the link, e.g. https://scalpsafe.example.org",
        )

    def handle(self, *args, username: str, email: str, **options) -> None:
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not a valid email address: {email!r}.") from error
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        if not Group.objects.filter(name=CLINIC_STAFF_GROUP).exists():
            raise CommandError(f"The {CLINIC_STAFF_GROUP!r} group is missing: run migrate first.")

        if options["set_password_link"]:
            base_url = self._base_url(options["base_url"])
            user = self._create(username, email, password=None)
            self.stdout.write(
                f"Created clinic staff member {username!r} <{email}>. Send them this one-time "
                "link to set their password (it stops working once used, or after "
                "PASSWORD_RESET_TIMEOUT):"
            )
            self.stdout.write(base_url + self._set_password_path(user))
        else:
            password = self._prompt_password(username, email)
            self._create(username, email, password=password)
            self.stdout.write(f"Created clinic staff member {username!r} <{email}>.")

    def _base_url(self, base_url: str | None) -> str:
        if not base_url:
            raise CommandError("--set-password-link needs --base-url, e.g. https://example.org")
        try:
            URLValidator(schemes=["https", "http"])(base_url)
        except ValidationError as error:
            raise CommandError(f"Not a valid --base-url: {base_url!r}.") from error
        return base_url.rstrip("/")

    def _prompt_password(self, username: str, email: str) -> str:
        if not can_prompt():
            raise CommandError(
                "No terminal to ask for the password. Run it in a terminal, or use "
                "--set-password-link --base-url https://… to print a link instead."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords did not match.")
        # An unsaved user, so the similarity check can compare against the username and email.
        candidate = get_user_model()(username=username, email=email)
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as error:
            raise CommandError(f"Password not accepted: {_messages(error)}") from error
        return password

    def _create(self, username: str, email: str, password: str | None):
        try:
            return clinic_staff_create(username=username, email=email, password=password)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error

    def _set_password_path(self, user) -> str:
        return reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
