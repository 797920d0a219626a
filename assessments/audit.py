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
    event.full_clean()
    event.save(force_insert=True)
    return event


def audit_events_record(
    *, actor: AbstractBaseUser, action: str, entries: Iterable[tuple[uuid.UUID, object, dict]]
) -> list[AuditEvent]:
    """Many entries by one actor in one insert, each built as audit_event_record builds it (not
    validated one by one: the callers build `details` themselves): one per (assessment_id,
    clinic, details) of `entries`. For actions over many results at once."""
    return AuditEvent.objects.bulk_create(
        _audit_event(
            actor=actor,
            action=action,
            assessment_id=assessment_id,
            details=details,
            clinic=clinic,
        )
        for assessment_id, clinic, details in entries
    )


@transaction.atomic
def audit_events_record_export(
    *, actor: AbstractBaseUser, assessment_ids: Iterable[uuid.UUID], clinic=None
) -> list[AuditEvent]:
    """One "exported" entry per exported assessment, so each one's trail shows the export."""
    return audit_events_record(
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        entries=((assessment_id, clinic, {"format": "csv"}) for assessment_id in assessment_ids),
    )
