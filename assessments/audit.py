"""The audit trail's one write path: append-only entries of who did what to which result."""

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assessments.models import AuditEvent


def _audit_event(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    assessment_id: uuid.UUID,
    details: dict,
    clinic=None,
) -> AuditEvent:
    return AuditEvent(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else AuditEvent.PERSON,
        assessment_id=assessment_id,
        clinic=clinic,
        action=action,
        details=details,
    )


def audit_event_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    assessment_id: uuid.UUID,
    details: dict | None = None,
    clinic=None,
) -> AuditEvent:
    """Append one entry to the audit trail. `details` must never hold patient answers.

    `actor=None` is the person themselves (sending, withdrawing); `clinic` is the clinic the
    entry concerns, whose staff may read it.
    """
    event = _audit_event(
        actor=actor,
        action=action,
        assessment_id=assessment_id,
        details=details or {},
        clinic=clinic,
    )
    # The person's own entries have no actor (the field is required of staff entries only).
    event.full_clean(exclude=["actor"] if actor is None else None)
    event.save(force_insert=True)
    return event


@transaction.atomic
def audit_events_record_export(
    *, actor: AbstractBaseUser, assessment_ids: Iterable[uuid.UUID], clinic=None
) -> list[AuditEvent]:
    """One "exported" entry per exported assessment, so each one's trail shows the export."""
    return AuditEvent.objects.bulk_create(
        _audit_event(
            actor=actor,
            action=AuditEvent.Action.EXPORTED,
            assessment_id=assessment_id,
            details={"format": "csv"},
            clinic=clinic,
        )
        for assessment_id in assessment_ids
    )
