"""Queueing an email: the outbox row in the caller's transaction, its task once that commits."""

from email.utils import make_msgid

from django.core.mail import DNS_NAME
from django.db import transaction
from django.utils import timezone

from outbox.models import OutgoingEmail
from outbox.tasks import email_deliver


@transaction.atomic
def outgoing_email_queue(
    *, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None
) -> OutgoingEmail:
    """Write the email to the outbox; its delivery task is enqueued when the caller's
    transaction commits, so a rolled-back transaction sends nothing.

    Raises ValidationError for a bad address or a line break in the subject or a header.
    """
    now = timezone.now()
    email = OutgoingEmail(
        created_at=now,
        next_attempt_at=now,
        to=list(to),
        subject=subject,
        body=body,
        # One Message-ID for every attempt: in the rare duplicate (a worker died between the
        # server's "accepted" and our "sent"), mail clients see the same message twice.
        headers={"Message-ID": make_msgid(domain=DNS_NAME), **(headers or {})},
    )
    email.full_clean()
    email.save()
    transaction.on_commit(lambda: email_deliver.enqueue(email_id=email.pk))
    return email
