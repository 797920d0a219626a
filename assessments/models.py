"""The saved assessment: the validated answers and a snapshot of the result they gave."""

import dataclasses
import functools
import operator
import typing
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.rulebook import Disposition, Level
from assessments.scoring import Result

# The fields that hold a saved result: one column per field of `Result` (the keys of
# `Result.to_dict()`). Those that are not a plain string, number or flag (the answers, the
# factors and the like) are JSON columns, which pages that list assessments leave unread.
SNAPSHOT_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Result))


def _is_scalar(hint: object) -> bool:
    # str covers the string-valued enums (Level); bool is an int.
    return isinstance(hint, type) and issubclass(hint, str | int)


SNAPSHOT_JSON_FIELDS: tuple[str, ...] = tuple(
    name for name, hint in typing.get_type_hints(Result).items() if not _is_scalar(hint)
)


class ReviewStatus(models.TextChoices):
    """A clinic's review of a result sent to it (clinics.Share), and the operator's review of an
    assessment from before clinics (migration 0005 mapped "reviewed" to closed). Follow-up
    items stay open until closed."""

    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    FOLLOW_UP = "follow_up", "Follow-up needed"
    CLOSED = "closed", "Closed"


class AssessmentQuerySet(models.QuerySet):
    def owned_by(
        self, user, anonymous_owner: str = "", *, or_: Q | None = None
    ) -> "AssessmentQuerySet":
        """What this person may see: their account's, or their browser session's if anonymous;
        and, with `or_`, whatever else that filter allows (a private link's result)."""
        # Only the conditions that apply: the result page builds this filter on every request,
        # and each condition costs ORM work even when it matches nothing.
        conditions = []
        if user is not None and user.is_authenticated:
            conditions.append(Q(owner=user))
        if anonymous_owner:
            conditions.append(Q(owner__isnull=True, anonymous_owner=anonymous_owner))
        if or_ is not None:
            conditions.append(or_)
        if not conditions:
            return self.none()
        return self.filter(functools.reduce(operator.or_, conditions))

    def flagged(self) -> "AssessmentQuerySet":
        return self.filter(consult_professional=True)


_DISPOSITION_CHOICES = [(d.value, d.label) for d in Disposition]
_DISPOSITION_LABELS = dict(_DISPOSITION_CHOICES)


class ScoredResult(models.Model):
    """A set of answers and a snapshot of the result they gave: an assessment, or a check
    before or after a session (roller_sessions.Check), which is scored the same way."""

    answers = models.JSONField(help_text="The validated answers, as rulebook codes.")
    rulebook_version = models.CharField(max_length=20)
    points = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=[(level.value, level.label) for level in Level])
    hard_stop = models.BooleanField()
    consult_professional = models.BooleanField()
    # A snapshot of the result as shown, so a later rulebook never rewrites an old result.
    factors = models.JSONField(default=list, blank=True)
    lower_risk = models.JSONField(default=list, blank=True)
    checklist = models.JSONField(default=list, blank=True)
    # Since rulebook 2026.12; for a result saved under 2026.11 the disposition was derived from
    # its stored hard stop, flag and level (migration 0004), and there is no all_changes.
    disposition = models.CharField(max_length=10, choices=_DISPOSITION_CHOICES)
    all_changes = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def from_snapshot(cls, snapshot: dict, **fields) -> "ScoredResult":
        """An unsaved row holding a result snapshot (`Result.to_dict()`); see `result`.

        A snapshot from rulebook 2026.11 has no disposition or all_changes: the disposition is
        derived (`Result.from_dict`) and all_changes stays empty.
        """
        values = {name: snapshot.get(name) for name in SNAPSHOT_FIELDS}
        values["disposition"] = Result.from_dict(snapshot).disposition.value
        return cls(**values, **fields)

    @property
    def disposition_label(self) -> str:
        """As get_disposition_display(), without building the choices again on every call (the
        result page's title)."""
        return _DISPOSITION_LABELS.get(self.disposition, self.disposition)

    @property
    def result(self) -> "Result":
        """The result as it was shown when saved, rebuilt from the snapshot (never re-scored)."""
        return Result.from_dict({name: getattr(self, name) for name in SNAPSHOT_FIELDS})


class Assessment(ScoredResult):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    # A random reference kept in an anonymous person's session (not the session key, which
    # changes at log-in); empty once the assessment belongs to an account.
    anonymous_owner = models.CharField(max_length=64, blank=True, default="")
    # One per completed questionnaire: makes the final submit idempotent under replays and races.
    submission_id = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    consent_at = models.DateTimeField()
    consent_notice_version = models.CharField(max_length=20)

    # The operator's review (superusers, assessments.services.assessment_review). A clinic's
    # review of a result sent to it is on its clinics.Share.
    review_status = models.CharField(max_length=20, choices=ReviewStatus, default=ReviewStatus.NEW)
    staff_note = models.TextField(max_length=2000, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Stored so the triage order (flagged and unreviewed first, then newest) is an index scan,
    # not a sort of the whole table on every page of the admin list.
    needs_attention = models.GeneratedField(
        expression=Q(consult_professional=True) & Q(review_status=ReviewStatus.NEW),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="assessment_owner_newest"),
            models.Index(
                fields=["anonymous_owner", "-created_at"],
                name="assessment_anonymous_newest",
                condition=Q(owner__isnull=True),
            ),
            models.Index(
                fields=["consult_professional", "-created_at"], name="assessment_flagged_newest"
            ),
            # The admin's triage order, with the primary key the admin adds as a tie-breaker.
            models.Index(
                fields=["-needs_attention", "-created_at", "-id"], name="assessment_triage"
            ),
            models.Index(fields=["created_at"], name="assessment_created"),
            # The clinic queue by what to do and how soon.
            models.Index(fields=["disposition", "-created_at"], name="assessment_disposition"),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.id} ({self.level}, {self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("assessments:result", args=[self.id])


class AuditEvent(models.Model):
    """One staff action on one assessment. Append-only: written once, never changed.

    `assessment_id` is a plain UUID, not a foreign key, so the trail outlives the assessment;
    `actor_username` is copied for the same reason. `details` never holds patient answers.
    save() and delete() below refuse changes on every database; on PostgreSQL a trigger
    (migration 0006) also refuses them from querysets and raw SQL, allowing only on_delete's
    SET_NULL of `actor` when that staff account is deleted.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        REVIEW_CHANGED = "review_changed", "Review changed"
        EXPORTED = "exported", "Exported"
        # By the person, not staff (actor empty, actor_username PERSON).
        SENT = "sent", "Sent by the person"
        WITHDRAWN = "withdrawn", "Withdrawn by the person"
        # A later check (before or after a session) said urgent or stop (rulebook section 6).
        RAISED = "raised", "Raised by a later check"

    # The actor_username of what the person did (sent, withdrew); staff have real usernames.
    PERSON = "(the person)"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,  # the person themselves (see PERSON), or a deleted staff account
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="staff member",
    )
    actor_username = models.CharField("username", max_length=150)
    assessment_id = models.UUIDField(db_index=True)
    # The clinic the entry concerns (whose staff may read it); empty for the operator's views
    # of results nobody sent.
    clinic = models.ForeignKey(
        "clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_newest"),
            models.Index(fields=["clinic", "-at"], name="audit_clinic_newest"),
        ]

    def __str__(self) -> str:
        # Named by who, what and when: never by the result's id (staff read these pages).
        return f"{self.actor_username}: {self.get_action_display()}, {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only: they cannot be deleted.")
