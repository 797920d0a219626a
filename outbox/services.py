"""Queueing an email: the outbox row in the caller's transaction, its task once that commits."""

import uuid
from collections.abc import Iterable
from email.utils import make_msgid

from django.core.mail import DNS_NAME
from django.db import transaction
from django.utils import timezone

from outbox.models import OutgoingEmail
from outbox.tasks import email_deliver


@transaction.atomic
def outgoing_email_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    about: uuid.UUID | None = None,
) -> OutgoingEmail:
    """Write the email to the outbox; its delivery task is enqueued when the caller's
    transaction commits, so a rolled-back transaction sends nothing.

    `about` is the id of the result (assessment) the email is about, if any: the email is
    deleted unsent if that result is deleted, or its private link revoked, while it is queued.

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
        about_assessment=about,
    )
    email.full_clean()
    email.save()
    transaction.on_commit(lambda: email_deliver.enqueue(email_id=email.pk))
    return email


@transaction.atomic
def outgoing_emails_forget(*, about: Iterable[uuid.UUID]) -> int:
    """Delete the still-queued emails about these results (assessment ids); returns how many.

    Call in the transaction that deletes the results or revokes their private links: an email
    must not outlive the result it is about, nor deliver a link that no longer works. Their
    tasks then find no row and do nothing. An attempt already under way (the task read the row
    before this commits) still goes out; sent and failed emails already keep no address or
    body (outbox/tasks.py).
    """
    ids = list(about)
    if not ids:
        return 0
    deleted, _ = OutgoingEmail.objects.filter(
        about_assessment__in=ids, status=OutgoingEmail.Status.QUEUED
    ).delete()
    return deleted
