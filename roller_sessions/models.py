"""Sessions with a roller, logged against a base assessment, and the checks around them
(rulebook section 6): a check before each session, check-ins 1, 3 and 7 days after it.

Everything here belongs to one person and to one base assessment: deleting the assessment (or
the account) deletes its checks, sessions, confirmations and reminders through the foreign keys.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ScoredResult
from assessments.rulebook import CHECKIN_DAYS, DEVICE_TODAY


class Check(ScoredResult):
    """A check before a session or a check-in after one: what the person answered today, the
    full answer set built from the base (assessments.checks) and the result it gave, saved as
    a snapshot like an assessment's (`answers` ... `all_changes`)."""

    class Kind(models.TextChoices):
        BEFORE = "before", "Check before a session"
        CHECKIN = "checkin", "Check-in after a session"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_checks"
    )
    base = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="session_checks")
    kind = models.CharField(max_length=10, choices=Kind)
    # One per form shown: a replayed or double-clicked submit saves one check.
    submission_id = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The person's day (TIME_ZONE) the check was taken: sessions are logged by day.
    date = models.DateField()
    # Today's answers as given: scalp_today, reaction_now and device_today before a session,
    # after_signs in a check-in.
    given = models.JSONField()
    # A check-in's session, the day it was offered for (1, 3 or 7) and the days actually passed.
    session = models.ForeignKey(
        "Session", null=True, blank=True, on_delete=models.CASCADE, related_name="checkins"
    )
    checkin_day = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(day, f"Day {day}") for day in CHECKIN_DAYS]
    )
    days_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # The past_reactions codes a check-in recorded: they stay for every later check of the base.
    recorded = models.JSONField(default=list, blank=True)
    # Before a session: the earliest date for the next one if this one is logged today.
    next_earliest = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "checkin_day"],
                condition=Q(kind="checkin"),
                name="check_one_checkin_per_session_day",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="check_owner_newest"),
            models.Index(fields=["base", "-created_at"], name="check_base_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.date:%d %b %Y}: {self.get_disposition_display()}"

    def get_absolute_url(self) -> str:
        return reverse("roller_sessions:check", args=[self.id])

    @property
    def is_checkin(self) -> bool:
        return self.kind == self.Kind.CHECKIN


class Session(models.Model):
    """A session with the roller, logged on the day of the check that allowed it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roller_sessions"
    )
    base = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="roller_sessions")
    # One session per check: a double post logs one.
    before_check = models.OneToOneField(
        Check, on_delete=models.CASCADE, related_name="logged_session"
    )
    date = models.DateField()
    device_today = models.CharField(max_length=20, choices=DEVICE_TODAY.model_choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["owner", "-date"], name="session_owner_newest"),
            models.Index(fields=["base", "date"], name="session_base_oldest"),
        ]

    def __str__(self) -> str:
        return f"Session on {self.date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("roller_sessions:session", args=[self.id])


class ConsultConfirmation(models.Model):
    """The person's word that they talked to a professional about these consult reasons and
    were told they can go ahead: recorded with the reasons and the date (section 6)."""

    base = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="consult_confirmations"
    )
    before_check = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="confirmations")
    # Rule ids marked consult, and the high level (rulebook.HIGH_LEVEL_REASON) when it was high.
    reasons = models.JSONField()
    confirmed_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Talked to a professional, {self.confirmed_on:%d %b %Y}"


class ReminderChoice(models.Model):
    """Whether this person wants email reminders (off unless they turn them on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_choice"
    )
    email_reminders = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Reminders on" if self.email_reminders else "Reminders off"


class Reminder(models.Model):
    """One reminder for one session: a check-in due (day 1, 3, 7), or the earliest next date.

    Written when the session is logged, whether or not reminders are on; its task runs at
    `due_at` and emails only if the person has reminders on then and the reminder still
    applies (the check-in not yet taken, no later session logged)."""

    class Kind(models.TextChoices):
        CHECKIN_1 = "checkin_1", "Check-in, day 1"
        CHECKIN_3 = "checkin_3", "Check-in, day 3"
        CHECKIN_7 = "checkin_7", "Check-in, day 7"
        NEXT_SESSION = "next_session", "Earliest next session"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind)
    due_at = models.DateTimeField()
    # Set in the transaction that queues the email: a reminder is emailed once.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Set when its task found nothing to send (reminders off, check-in taken ...).
    skipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind"], name="reminder_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_at:%d %b %Y})"
