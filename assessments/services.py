"""The one write path for assessments: validate, score and save, atomically."""

import uuid
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from assessments.models import Assessment
from assessments.scoring import score


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
    result = score(answers)
    snapshot = result.to_dict()
    assessment = Assessment(
        owner=owner if owner is not None and owner.is_authenticated else None,
        anonymous_owner="" if owner is not None and owner.is_authenticated else anonymous_owner,
        submission_id=submission_id,
        answers=result.answers,
        rulebook_version=result.rulebook_version,
        points=result.points,
        level=result.level,
        hard_stop=result.hard_stop,
        consult_professional=result.consult_professional,
        factors=snapshot["factors"],
        lower_risk=snapshot["lower_risk"],
        checklist=snapshot["checklist"],
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
