"""Delivering one outbox email: a task that carries only the row's id.

At least once: the row is marked sent only after the SMTP server accepted it, so a worker that
dies in between sends it again (its task is recovered by outbox/recovery.py); a row already
sent is never sent again. A refusal or an unreachable server is retried with back-off, each
retry a new task with `run_after`, until MAX_ATTEMPTS, then the row is marked failed and logged.
"""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# 1, 2, 4 ... minutes between attempts, at most an hour: ten attempts span about four hours.
MAX_RETRY_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1, 2, 4, 8 ... minutes)."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_RETRY_DELAY)


@task()
def email_deliver(email_id: int) -> str:
    """Send the outbox email `email_id` unless it is already sent or given up on."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return "nothing to do"
        if email.attempts >= MAX_ATTEMPTS:
            # Attempts are counted before sending: a worker died during the last one.
            return _give_up(email)
        email.attempts += 1
        email.save(update_fields=["attempts"])
    try:
        # The configured EMAIL_BACKEND: SMTP in production, the console in development.
        EmailMessage(
            subject=email.subject, body=email.body, to=email.to, headers=email.headers
        ).send()
    except (smtplib.SMTPException, OSError) as error:
        # OSError covers a refused connection, an unknown host and a timeout.
        email.last_error = _describe(error)
        if email.attempts >= MAX_ATTEMPTS:
            return _give_up(email)
        return _retry_later(email)
    # The recipients and the body go once they are no longer needed: the operator keeps the
    # id, subject, status and times (outbox/models.py). A row deleted meanwhile (its result
    # deleted, outbox/services.py) updates nothing.
    OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), to=[], body="", last_error=""
    )
    return "sent"


@transaction.atomic
def _retry_later(email: OutgoingEmail) -> str:
    # The row and its next task are written together: never a retry lost between the two.
    email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
    still_queued = OutgoingEmail.objects.filter(
        pk=email.pk, status=OutgoingEmail.Status.QUEUED
    ).update(next_attempt_at=email.next_attempt_at, last_error=email.last_error)
    if not still_queued:
        # Deleted during the attempt (its result was deleted or its link revoked): forget it.
        return "nothing to do"
    email_deliver.using(run_after=email.next_attempt_at).enqueue(email_id=email.pk)
    logger.warning(
        "Email %s not delivered (attempt %s of %s: %s); next attempt at %s",
        email.pk,
        email.attempts,
        MAX_ATTEMPTS,
        email.last_error,
        email.next_attempt_at.isoformat(),
    )
    return f"retry at {email.next_attempt_at.isoformat()}"


def _give_up(email: OutgoingEmail) -> str:
    OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.FAILED, to=[], body="", last_error=email.last_error
    )
    # Loud, for the operator; the id finds the row, and nothing personal is in the log.
    logger.error(
        "Email %s NOT DELIVERED: gave up after %s attempts (last: %s)",
        email.pk,
        email.attempts,
        email.last_error or "worker stopped during the attempt",
    )
    return "failed"


def _describe(error: Exception) -> str:
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()), (None,))[0]
    return f"{type(error).__name__} {code}" if code else type(error).__name__
