"""The outbox: every email ScalpSafe sends, written in the caller's transaction.

A row is the source of truth for one email; the background task that delivers it carries only
the row's id (outbox/services.py), so the task queue never holds an address or a body.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        SENT = "sent", "sent"
        FAILED = "failed", "failed (gave up)"

    # Blanked (an empty list) once the email is sent or given up on: a person's address is kept
    # no longer than it is needed.
    to = models.JSONField(help_text="The recipients' addresses, a list.")
    subject = models.CharField(max_length=255)
    # Blanked once the email is sent or given up on: it may carry a private link.
    body = models.TextField(blank=True)
    # The result (an assessment's id) the email is about, if any: deleting that result or
    # revoking its private link deletes the email while it is still queued
    # (outbox/services.py, outgoing_emails_forget). Not a foreign key: the outbox never stands
    # in the way of deleting a result.
    about_assessment = models.UUIDField(null=True, blank=True, db_index=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When the task carrying the next attempt is due: the recovery sweep re-queues a queued
    # email whose due time has long passed with no task left to carry it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last failure's exception class and SMTP code: never the server's text, which may
    # quote an address.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.status})"

    def clean(self) -> None:
        if not isinstance(self.to, list) or not self.to:
            raise ValidationError({"to": "Give a list of one or more addresses."})
        for address in self.to:
            if not isinstance(address, str):
                raise ValidationError({"to": "Each address is a string."})
            validate_email(address)
        # A line break in a header is a header injection; Django would refuse it only at
        # delivery, in the worker, long after the caller could be told.
        for value in [self.subject, *self.headers.keys(), *self.headers.values()]:
            if not isinstance(value, str) or "\n" in value or "\r" in value:
                raise ValidationError("Subject and headers are single lines of text.")
