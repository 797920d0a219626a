"""Accounts over HTTP, as a person goes through them: sign up, open the emailed link, log in."""

import re

from django.test import Client

from tests.support.emails import queued_emails

PASSWORD = "a-long-enough-passphrase"
CONFIRM_SUBJECT = "Confirm your ScalpSafe email address"


def sign_up(client: Client, username: str = "newcomer", password: str = PASSWORD, **extra):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": password,
            "password2": password,
            **extra,
        },
    )


def emailed_link(email, pattern: str = r"https?://[^/\s]+(/accounts/\S+/)") -> str:
    """The site path in a queued email's body (the first link on this site)."""
    return re.search(pattern, email.body).group(1)


def confirmation_link(address: str) -> str:
    """The path of the latest confirmation link emailed to `address`."""
    emails = [e for e in queued_emails(subject=CONFIRM_SUBJECT) if address in e.to]
    return emailed_link(emails[-1], r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")


def confirm(client: Client, address: str):
    """Open the emailed confirmation link and press its button, as the person would."""
    link = confirmation_link(address)
    assert client.get(link).status_code == 200
    return client.post(link)


def log_in(client: Client, username: str, password: str, **extra):
    return client.post("/accounts/login/", {"login": username, "password": password, **extra})
