"""The saved result's fields: one list, derived from `Result`, used by the model and exports."""

import dataclasses

import pytest
from django.db import models

from assessments.models import SNAPSHOT_FIELDS, SNAPSHOT_JSON_FIELDS, Assessment
from assessments.scoring import Result, score
from tests.support.answers import SAFE_ANSWERS
from tests.support.assessments import save_assessment


def test_the_list_is_the_fields_of_a_result_and_the_keys_of_its_snapshot():
    assert tuple(field.name for field in dataclasses.fields(Result)) == SNAPSHOT_FIELDS
    assert set(SNAPSHOT_FIELDS) == set(score(SAFE_ANSWERS).to_dict())


def test_every_snapshot_field_is_a_column_and_only_the_structured_ones_are_json():
    for name in SNAPSHOT_FIELDS:
        field = Assessment._meta.get_field(name)
        assert isinstance(field, models.JSONField) is (name in SNAPSHOT_JSON_FIELDS), name
    assert {"answers", "factors"} <= set(SNAPSHOT_JSON_FIELDS)


@pytest.mark.django_db
def test_a_saved_assessment_gives_back_the_result_it_was_saved_with():
    answers = {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "not_sure"}
    assessment = save_assessment(answers)
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.result == score(answers)
