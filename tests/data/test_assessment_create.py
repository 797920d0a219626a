"""assessment_create: the one write path: validates, scores and saves a snapshot atomically."""

import uuid

import pytest
from django.utils import timezone

from assessments.models import Assessment
from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION
from assessments.scoring import AnswerError, score
from assessments.services import assessment_create
from tests.support.questionnaire import SAFE_ANSWERS


def create(answers: dict, **overrides) -> Assessment:
    return assessment_create(
        **{
            "answers": answers,
            "owner": None,
            "anonymous_owner": "browser-session-reference",
            "submission_id": uuid.uuid4(),
            "consent_at": timezone.now(),
            "consent_notice_version": PRIVACY_NOTICE_VERSION,
            **overrides,
        }
    )


@pytest.mark.django_db
def test_it_saves_the_scored_result_as_a_snapshot():
    answers = {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5", "frequency": "daily"}
    assessment = create(answers)
    result = score(answers)
    assessment.refresh_from_db()
    assert (assessment.points, assessment.level) == (result.points, result.level)
    assert assessment.consult_professional is True
    assert [f["rule_id"] for f in assessment.factors] == ["R-NEEDLE-LONG", "R-DAILY"]
    assert assessment.lower_risk[0]["rule_id"] == "R-NEEDLE-LONG"
    assert assessment.rulebook_version == "2026.12"
    assert assessment.disposition == "consult"
    assert assessment.all_changes == result.to_dict()["all_changes"]
    assert assessment.result.to_dict() == result.to_dict()


@pytest.mark.django_db
def test_it_rejects_answers_the_rulebook_does_not_allow_and_saves_nothing():
    with pytest.raises(AnswerError, match="needle_length"):
        create({**SAFE_ANSWERS, "needle_length": "3_mm"})
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_it_is_idempotent_on_the_submission_id():
    submission = uuid.uuid4()
    first = create(SAFE_ANSWERS, submission_id=submission)
    again = create({**SAFE_ANSWERS, "frequency": "daily"}, submission_id=submission)
    assert again.id == first.id
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_signed_in_person_owns_it_and_no_session_reference_is_kept(owner):
    assessment = create(SAFE_ANSWERS, owner=owner)
    assert assessment.owner == owner
    assert assessment.anonymous_owner == ""


@pytest.mark.django_db
def test_a_saved_result_renders_from_its_snapshot_not_the_current_rulebook():
    assessment = create({**SAFE_ANSWERS, "pressure": "hard_bleeding"})
    assessment.factors[0]["title"] = "A title from an older rulebook"
    assessment.save()
    assessment.refresh_from_db()
    assert assessment.result.factors[0].title == "A title from an older rulebook"
