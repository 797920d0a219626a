"""Saved assessments for the admin tests, built straight from the scoring (no questionnaire)."""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from assessments.models import Assessment
from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION
from assessments.scoring import score
from tests.support.questionnaire import SAFE_ANSWERS

# One rule with consult set (R-NEEDLE-LONG): flagged, but no hard stop.
FLAGGED_ANSWERS = {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5"}
# A stop rule (R-NEEDLE-CLINICAL): flagged with a hard stop.
HARD_STOP_ANSWERS = {**SAFE_ANSWERS, "needle_length": "over_1_5"}

CHANGELIST_URL = "/admin/assessments/assessment/"


def change_url(assessment: Assessment) -> str:
    return f"{CHANGELIST_URL}{assessment.pk}/change/"


def build_assessment(
    answers: dict | None = None,
    *,
    owner: AbstractBaseUser | None = None,
    created_at: datetime | None = None,
    snapshot: dict | None = None,
    **fields,
) -> Assessment:
    """An unsaved assessment with the snapshot `score(answers)` gives (or `snapshot`)."""
    if snapshot is None:
        snapshot = score(SAFE_ANSWERS if answers is None else answers).to_dict()
    now = timezone.now()
    return Assessment.from_snapshot(
        snapshot,
        owner=owner,
        anonymous_owner="" if owner else uuid.uuid4().hex,
        submission_id=uuid.uuid4(),
        created_at=created_at or now,
        consent_at=now,
        consent_notice_version=PRIVACY_NOTICE_VERSION,
        **fields,
    )


def save_assessment(answers: dict | None = None, **kwargs) -> Assessment:
    assessment = build_assessment(answers, **kwargs)
    assessment.save(force_insert=True)
    # The database computes needs_attention; read it back.
    assessment.refresh_from_db()
    return assessment


def save_assessments(count: int, answers: dict | None = None) -> list[Assessment]:
    """`count` identical assessments in one INSERT (scored once)."""
    snapshot = score(SAFE_ANSWERS if answers is None else answers).to_dict()
    return Assessment.objects.bulk_create(build_assessment(snapshot=snapshot) for _ in range(count))


def save_daily_assessments(
    user: AbstractBaseUser, count: int, answers: dict = SAFE_ANSWERS
) -> list[Assessment]:
    """Saved assessments, one a day, oldest first (fast: one bulk insert)."""
    snapshot = score(answers).to_dict()
    start = timezone.now() - timedelta(days=count)
    return Assessment.objects.bulk_create(
        build_assessment(owner=user, created_at=start + timedelta(days=i), snapshot=snapshot)
        for i in range(count)
    )
