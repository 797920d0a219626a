"""Emails in tests: the background worker run in the test's own process, and a real SMTP
server on loopback for it to deliver to.

Delivery happens outside the request (outbox/): a test that wants the email runs the worker
with `run_worker()`, in a `django_db(transaction=True)` test so the enqueue on commit happens
and the worker's own connection handling works as in production.
"""

import email
import email.policy
import socket
import threading
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone


def run_worker() -> None:
    """`manage.py run_task_worker --once`: the recovery sweep, then every task now due."""
    call_command("run_task_worker", "--once")


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpHandler:
    """aiosmtpd's handler: keeps what it accepts; answers `refuse_with` instead while set."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse_with: str | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse_with:
            return self.refuse_with
        with self.lock:
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.handler = SmtpHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return list(self.handler.messages)

    def refuse(self, reply: str | None) -> None:
        """Answer every message with `reply` (e.g. "451 4.3.0 Try later"); None accepts."""
        self.handler.refuse_with = reply


class Clock:
    """Django's `timezone.now`, under the test's control: starts now, moves only when told."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    server = SmtpServer()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend pointed at a loopback port nothing listens on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Django's clock (`timezone.now`, which the task queue and the outbox read), held still."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def queued_emails(*, subject: str | None = None) -> list:
    """The emails a page or service asked to send (with this subject, if given), oldest first:
    the outbox rows the worker delivers (tests/notifications covers that delivery). Reading
    them needs no worker, so a test of what is sent stays an ordinary one-transaction test."""
    from outbox.models import OutgoingEmail

    emails = OutgoingEmail.objects.order_by("pk")
    return list(emails.filter(subject=subject) if subject is not None else emails)


def private_link_emails() -> list:
    """The private-link emails queued (not the clinic's notifications, which also go out)."""
    return queued_emails(subject="Your private link to your ScalpSafe result")


class ForgetDuringSendBackend:
    """An email backend whose "server" fails after the email's row was deleted mid-attempt (its
    result deleted while the worker was sending): the worker must then forget the email."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        import smtplib

        from outbox.models import OutgoingEmail

        OutgoingEmail.objects.all().delete()
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
