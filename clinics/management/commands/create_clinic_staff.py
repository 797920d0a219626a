"""Create or extend a clinic staff member:
`manage.py create_clinic_staff USERNAME --email EMAIL --clinic SLUG [--clinic SLUG ...]`.

A new member's password is asked for twice (never on the command line, where it would stay in
the shell history), or, with --set-password-link, the account gets no usable password and a
one-time link to set one is printed. No account is ever created by default. Run for an existing
staff member, it adds the clinics named (and changes nothing else).
"""

import getpass
import sys

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator, slug_re, validate_email
from django.urls import reverse

from clinics.models import Clinic
from clinics.services import CLINIC_STAFF_GROUP, clinic_staff_add_to, clinic_staff_create


def can_prompt() -> bool:
    return sys.stdin.isatty()


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create a clinic staff member (the admin's queue of what was sent to their clinics, "
        "nothing more), or add clinics to an existing one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--clinic",
            action="append",
            required=True,
            metavar="SLUG",
            help="A clinic the member works for (repeat for several).",
        )
        parser.add_argument(
            "--set-password-link",
            action="store_true",
            help="Print a one-time link for the person to set their own password.",
        )
        parser.add_argument(
            "--base-url",
            help="The site's address for the link, e.g. https://scalpsafe.example.org",
        )

    def handle(self, *args, username: str, email: str, clinic: list[str], **options) -> None:
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not a valid email address: {email!r}.") from error
        if not Group.objects.filter(name=CLINIC_STAFF_GROUP).exists():
            raise CommandError(f"The {CLINIC_STAFF_GROUP!r} group is missing: run migrate first.")
        clinics = self._clinics(clinic)
        existing = get_user_model().objects.filter(username__iexact=username).first()
        if existing is not None:
            self._extend(existing, email, clinics)
            return

        member_of = f"Member of: {', '.join(c.name for c in clinics)}."
        if options["set_password_link"]:
            base_url = self._base_url(options["base_url"])
            user = self._create(username, email, password=None, clinics=clinics)
            self.stdout.write(f"Created clinic staff member {username!r} <{email}>. {member_of}")
            self.stdout.write(
                "Send them this one-time link to set their password (it stops working once "
                "used, or after PASSWORD_RESET_TIMEOUT):"
            )
            self.stdout.write(base_url + self._set_password_path(user))
        else:
            password = self._prompt_password(username, email)
            self._create(username, email, password=password, clinics=clinics)
            self.stdout.write(f"Created clinic staff member {username!r} <{email}>. {member_of}")

    def _clinics(self, slugs: list[str]) -> list[Clinic]:
        slugs = list(dict.fromkeys(slug.strip() for slug in slugs))
        # Only well-formed slugs reach the query (PostgreSQL refuses a NUL byte outright).
        longest = Clinic._meta.get_field("slug").max_length
        wellformed = [slug for slug in slugs if slug_re.match(slug) and len(slug) <= longest]
        found = {clinic.slug: clinic for clinic in Clinic.objects.filter(slug__in=wellformed)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError(
                f"No clinic with the slug {', '.join(map(repr, missing))}: create it first with "
                "`manage.py create_clinic`."
            )
        return [found[slug] for slug in slugs]

    def _extend(self, user, email: str, clinics: list[Clinic]) -> None:
        # Only a clinic staff member is extended: this command never turns a person's own
        # account (or a superuser) into staff.
        if (
            not user.is_staff
            or user.is_superuser
            or not user.groups.filter(name=CLINIC_STAFF_GROUP).exists()
        ):
            raise CommandError(
                f"A user named {user.get_username()!r} already exists and is not clinic staff."
            )
        if user.email.lower() != email.lower():
            raise CommandError(
                f"{user.get_username()!r} exists with another email address; nothing changed."
            )
        added = clinic_staff_add_to(user=user, clinics=clinics)
        if added:
            self.stdout.write(
                f"Added {user.get_username()!r} to: {', '.join(c.name for c in added)}."
            )
        else:
            self.stdout.write(f"{user.get_username()!r} is already a member of those clinics.")

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

    def _create(self, username: str, email: str, password: str | None, clinics: list[Clinic]):
        try:
            return clinic_staff_create(
                username=username, email=email, password=password, clinics=clinics
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from error

    def _set_password_path(self, user) -> str:
        # allauth's password reset link, as its reset email would carry.
        return reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
