"""Clinics, and what people chose to send them: the share, which is also the clinic's queue item.

A person's result reaches a clinic only through a `Share` they made, and only while it is
current (not withdrawn). The clinic's review of it (status, assignee, note, a message to the
person) lives on the share, so a result sent later to another clinic never carries this one's.
"""

import functools
import uuid
from datetime import tzinfo

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ReviewStatus
from assessments.rulebook import Disposition
from clinics.time_text import date_and_time

# The queue's order of what to do first; the rest (change, go ahead) come after these.
PRIORITY: dict[Disposition, int] = {
    Disposition.URGENT: 0,
    Disposition.STOP: 1,
    Disposition.CONSULT: 2,
}
OTHER_PRIORITY = 3


class ClinicQuerySet(models.QuerySet):
    def active(self) -> "ClinicQuerySet":
        return self.filter(is_active=True)


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Its link is /c/ followed by this slug, e.g. /c/north/.",
    )
    # Shown to people: how to reach the clinic themselves.
    phone = models.CharField(max_length=40, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    address = models.TextField(max_length=500, blank=True, default="")
    # Never shown to people: where "a result was sent to you" emails go.
    notify_email = models.EmailField("notification email")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="An inactive clinic's link answers 404 and nobody can send to it; its staff "
        "keep what was already sent until they close it.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="clinics", blank=True, verbose_name="staff"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clinics:start", args=[self.slug])


class ContactWay(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    EITHER = "either", "Email or phone"
    NONE = "none", "Do not contact me"


# The share's fields that say how to reach the person (cleared when the share is withdrawn),
# and those of the clinic's review: one list each for the forms, the admin and the services.
CONTACT_FIELDS = ("contact_way", "contact_name", "contact_email", "contact_phone", "contact_time")
REVIEW_FIELDS = ("status", "assigned_to", "staff_note", "message_to_person")


class ShareQuerySet(models.QuerySet):
    def current(self) -> "ShareQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, user, clinics: list[Clinic] | None = None) -> "ShareQuerySet":
        """The queue items `user` may see: current shares to their clinics.

        An inactive clinic's staff keep its open items until they close them. Superusers (the
        operator) see every current share; what was never sent they read in the assessment
        list, where each view is audited.

        `clinics`, the user's clinics when already read (with `is_active`), gives the same rows
        without joining the clinics and their members: a filter on the share's own columns,
        which the database serves from the share_queue index in the queue's order (the
        admin's list: docs/performance.md).
        """
        if user is None or not user.is_active or not user.is_staff:
            return self.none()
        current = self.current()
        if user.is_superuser:
            return current
        if clinics is not None:
            active = [clinic.pk for clinic in clinics if clinic.is_active]
            inactive = [clinic.pk for clinic in clinics if not clinic.is_active]
            return current.filter(Q(clinic_id__in=active) | Q(clinic_id__in=inactive, is_open=True))
        return current.filter(clinic__members=user).filter(
            Q(clinic__is_active=True) | Q(is_open=True)
        )


class Share(models.Model):
    """One result sent by its owner to one clinic: the clinic's queue item while current."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="shares")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="shares")
    sent_at = models.DateTimeField(default=timezone.now, editable=False)
    # The queue's disposition: the result's when sent (later checks may raise it).
    disposition = models.CharField(
        max_length=10, choices=[(d.value, d.label) for d in Disposition], editable=False
    )
    priority = models.GeneratedField(
        expression=Case(
            *(When(disposition=d.value, then=Value(rank)) for d, rank in PRIORITY.items()),
            default=Value(OTHER_PRIORITY),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    due_at = models.DateTimeField("due by", null=True, blank=True, editable=False)
    # The result's own disposition, kept when it is sent (a result never changes): the queue's
    # list says "Raised by a later check" where the item's differs, without reading the result.
    # "" (the database's default) where a host of an earlier release sent it during a rolling
    # deploy, which the list takes as not raised.
    result_disposition = models.CharField(
        max_length=10,
        choices=[(d.value, d.label) for d in Disposition],
        editable=False,
        db_default="",
    )
    # The factors behind the result's disposition, a few words each, as the queue lists them:
    # from the result's snapshot when it is sent (clinics/queue_reasons.py).
    queue_reasons = models.CharField(max_length=500, blank=True, default="", editable=False)
    # Whether the person wrote a note with their answers (the queue's "Their note").
    has_note = models.BooleanField(default=False, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    # How to reach the person, as they gave it (kept as long as the result; cleared when
    # the share is withdrawn).
    contact_way = models.CharField(
        "preferred way", max_length=10, choices=ContactWay, default=ContactWay.NONE
    )
    contact_name = models.CharField("name", max_length=150, blank=True, default="")
    contact_email = models.EmailField("email", blank=True, default="")
    contact_phone = models.CharField("phone", max_length=40, blank=True, default="")
    contact_time = models.CharField("preferred time", max_length=200, blank=True, default="")

    # The clinic's review.
    status = models.CharField(
        "review status", max_length=20, choices=ReviewStatus, default=ReviewStatus.NEW
    )
    is_open = models.GeneratedField(
        expression=~Q(status=ReviewStatus.CLOSED),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_shares",
    )
    staff_note = models.TextField(
        "internal note",
        max_length=2000,
        blank=True,
        default="",
        help_text="Only your clinic's staff see this.",
    )
    message_to_person = models.TextField(
        "message to the person",
        max_length=1000,
        blank=True,
        default="",
        help_text="Shown on the person's result page, under your clinic's name.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = "queue item"
        # Open first, then urgent, stop, consult, the rest; oldest first within each.
        ordering = ["-is_open", "priority", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(withdrawn_at__isnull=True),
                name="share_one_current_per_assessment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["clinic", "-is_open", "priority", "sent_at", "id"],
                name="share_queue",
                condition=Q(withdrawn_at__isnull=True),
            ),
            # The queue's date hierarchy: a clinic's first and last item, from each end.
            models.Index(
                fields=["clinic", "sent_at"],
                name="share_sent",
                condition=Q(withdrawn_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title(timezone.get_current_timezone())

    # The queue's list borrows __str__, title, is_overdue and the get_FOO_display methods for
    # its QueueRows (clinics/admin/queue_rows.py), which hold only the fields the list reads:
    # a field these start to read must be added there too (tests/admin/test_queue_rows.py).
    def title(self, zone: tzinfo) -> str:
        """What names the item: when it was sent, in time zone `zone`, and its disposition."""
        sent = self.sent_at.astimezone(zone)
        return f"{date_and_time(sent)} \u2013 {self.get_disposition_display()}"

    # The labels of the coded fields, as Django's get_FOO_display gives them, without its
    # rebuilding of the choices on every call: the queue's list asks hundreds of times a page.
    def get_disposition_display(self) -> str:
        return _label(self, "disposition")

    def get_status_display(self) -> str:
        return _label(self, "status")

    def get_contact_way_display(self) -> str:
        return _label(self, "contact_way")

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def is_reviewed(self) -> bool:
        """What the person is told: has anyone at the clinic picked it up yet."""
        return self.status != ReviewStatus.NEW

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.is_open and self.due_at and self.due_at < now)


class PrivateLinkQuerySet(models.QuerySet):
    def usable(self) -> "PrivateLinkQuerySet":
        return self.filter(revoked_at__isnull=True)


class PrivateLink(models.Model):
    """A way back to one result, and its sharing controls, for someone without an account.

    Only a SHA-256 of the token is stored: the token itself exists in the person's bookmark (or
    email) alone, so neither the database nor a log can give it away. Valid while the result is
    kept (it goes with it) and until revoked.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="private_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PrivateLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Private link made {self.created_at:%Y-%m-%d}"


def _label(share: Share, name: str) -> str:
    value = getattr(share, name)
    return str(_choice_labels(name).get(value, value))


@functools.cache
def _choice_labels(name: str) -> dict:
    # The labels as they are (a translation is looked up when shown, by str()).
    return dict(Share._meta.get_field(name).flatchoices)
