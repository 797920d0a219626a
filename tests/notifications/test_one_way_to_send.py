"""Every email goes the same way: the outbox and its worker. Password reset included."""

import re
from pathlib import Path

import pytest

from outbox.models import OutgoingEmail
from tests.support.emails import run_worker

ROOT = Path(__file__).resolve().parents[2]
# Every app but outbox/, the only one that talks to Django's mail machinery.
APPS = ["scalpsafe", "assessments", "clinics"]


def test_nothing_but_the_delivery_task_sends_mail():
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if re.search(
            r"^\s*(from django\.core\.mail import|from django\.core import .*\bmail\b"
            r"|import django\.core\.mail)"
            r"|\bsend_mass_mail\(|\bmail_admins\(|\bmail_managers\(|\.send\(\s*\)",
            path.read_text(),
            re.MULTILINE,
        )
    ]
    assert offenders == []


@pytest.mark.django_db(transaction=True)
def test_the_password_reset_email_is_queued_then_delivered_by_smtp(client, owner, smtp_server):
    client.post("/accounts/password/reset/", {"email": "owner@example.org"})
    email = OutgoingEmail.objects.get()
    assert email.to == ["owner@example.org"]
    assert smtp_server.messages == []
    run_worker()
    [message] = smtp_server.messages
    assert message["Subject"] == "Reset your ScalpSafe password"
    assert "/accounts/password/reset/key/" in message.get_content()
    email.refresh_from_db()
    assert (email.status, email.body) == (OutgoingEmail.Status.SENT, "")
