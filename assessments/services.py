"""The one write path for assessments: validate, score and save, atomically."""

import uuid
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import page_cache
from assessments.audit import audit_event_record
from assessments.models import Assessment, AuditEvent
from assessments.scoring import score
from clinics.services import shares_withdraw_for_deletion
from outbox.services import outgoing_emails_forget


@transaction.atomic
def assessment_create(
    *,
    answers: dict,
    owner: AbstractBaseUser | None,
    anonymous_owner: str,
    submission_id: uuid.UUID,
    consent_at: datetime,
    consent_notice_version: str,
) -> Assessment:
    """Score `answers` and save the assessment with a snapshot of its result.

    Idempotent on `submission_id`: a replayed or concurrent final submit returns the assessment
    that the first one saved. Raises scoring.AnswerError (a ValueError) on answers the rulebook
    does not allow.
    """
    existing = Assessment.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing
    authenticated = owner is not None and owner.is_authenticated
    assessment = Assessment.from_snapshot(
        score(answers).to_dict(),
        owner=owner if authenticated else None,
        anonymous_owner="" if authenticated else anonymous_owner,
        submission_id=submission_id,
        consent_at=consent_at,
        consent_notice_version=consent_notice_version,
    )
    # Uniqueness of submission_id is the database's job: it is the only check that holds
    # between two concurrent requests.
    assessment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            assessment.save(force_insert=True)
    except IntegrityError:
        return Assessment.objects.get(submission_id=submission_id)
    return assessment


@transaction.atomic
def assessments_claim(*, user: AbstractBaseUser, anonymous_owner: str) -> int:
    """Give `user` the assessments this browser session took anonymously; returns how many."""
    if not anonymous_owner:
        return 0
    return Assessment.objects.filter(owner__isnull=True, anonymous_owner=anonymous_owner).update(
        owner=user, anonymous_owner=""
    )


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    """Delete the assessment, withdrawing it from any clinic it was sent to and deleting the
    emails about it still queued (its private link)."""
    _forget_cached_results([assessment.id], [assessment.owner_id])
    shares_withdraw_for_deletion([assessment.id])
    outgoing_emails_forget(about=[assessment.id])
    assessment.delete()


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete the account and, through the owner foreign key, all of its assessments (each
    withdrawn from any clinic it was sent to, and the emails about it still queued deleted)."""
    assessment_ids = list(Assessment.objects.filter(owner=user).values_list("id", flat=True))
    _forget_cached_results(assessment_ids, [user.pk])
    shares_withdraw_for_deletion(assessment_ids)
    outgoing_emails_forget(about=assessment_ids)
    user.delete()


def _forget_cached_results(assessment_ids, owner_ids) -> None:
    # The result page caches its rendered body, My assessments its owner's trend chart
    # (assessments/page_cache.py): deleted health data must not stay in a cache. Now, and again
    # once the deletion is committed, in case a request that read the row before the deletion
    # put it back meanwhile.
    ids, owners = list(assessment_ids), list(owner_ids)

    def forget() -> None:
        page_cache.result_bodies_forget(ids)
        page_cache.trend_charts_forget(owners)

    forget()
    transaction.on_commit(forget)


@transaction.atomic
def assessment_review(
    *,
    assessment: Assessment,
    reviewer: AbstractBaseUser,
    status: str,
    note: str | None = None,
) -> Assessment:
    """Set the clinic review of an assessment and record it in the audit trail.

    Only the review fields change; answers and scores are never touched. The stored row (locked
    for the transaction) is the "before" state, so unsaved edits on `assessment` are ignored.
    `note=None` keeps the current staff note. Nothing is saved or logged when nothing changes.
    """
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    before_status, before_note = current.review_status, current.staff_note
    current.review_status = status
    if note is not None:
        current.staff_note = note
    if (current.review_status, current.staff_note) == (before_status, before_note):
        return current
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    # Only review fields change, so uniqueness needs no extra queries.
    current.full_clean(validate_unique=False)
    current.save(update_fields=["review_status", "staff_note", "reviewed_by", "reviewed_at"])
    current.refresh_from_db(fields=["needs_attention"])
    details: dict = {"note_changed": current.staff_note != before_note}
    if current.review_status != before_status:
        details["status"] = [before_status, current.review_status]
    audit_event_record(
        actor=reviewer,
        action=AuditEvent.Action.REVIEW_CHANGED,
        assessment_id=current.pk,
        details=details,
    )
    return current


@transaction.atomic
def assessments_purge(*, created_before: datetime) -> int:
    """Delete every assessment created before `created_before` (retention); returns how many.

    Safe when two purges run at once (cron on two hosts, or a manual run beside the nightly
    one): the expired rows are locked first, so the second purge waits for the first and then
    finds only what is left, and no withdrawal is recorded twice. (SQLite's IMMEDIATE
    transactions already run one writer at a time.)
    """
    expired = Assessment.objects.filter(created_at__lt=created_before)
    expired_rows = list(expired.select_for_update().values_list("id", "owner_id"))
    expired_ids = [row[0] for row in expired_rows]
    _forget_cached_results(expired_ids, [row[1] for row in expired_rows])
    # A clinic's audit trail shows a shared result leaving, whatever deleted it.
    shares_withdraw_for_deletion(expired_ids)
    outgoing_emails_forget(about=expired_ids)
    deleted, _ = expired.delete()
    return deleted
