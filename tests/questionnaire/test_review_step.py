"""Bad input on the review step: the note's length, tampered or replayed submission values."""

import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    assert_form_error_page,
    post_step,
    reach_step,
)
from tests.support.questionnaire import (
    step_url,
    submission_id,
    take_assessment,
)


def test_it_saves_nothing_when_the_note_is_too_long(client, db):
    reach_step(client, REVIEW_STEP_KEY)

    response = post_step(client, REVIEW_STEP_KEY, {"review-notes": "x" * 1001})

    assert_form_error_page(response)
    assert "Keep your note to 1000 characters or fewer (you have 1001)." in (
        response.content.decode()
    )


def test_it_saves_a_note_of_exactly_1000_characters(client, db):
    reach_step(client, REVIEW_STEP_KEY)

    response = post_step(client, REVIEW_STEP_KEY, {"review-notes": "x" * 1000})

    assert response.status_code == 302
    assert Assessment.objects.get().answers["notes"] == "x" * 1000


@pytest.mark.parametrize(
    "submission",
    ["", "not-a-uuid", uuid.uuid4().hex, str(uuid.uuid4()), "x" * 10_000, "\x00", ["a", "b"]],
)
def test_it_ignores_a_tampered_submission_value(client, db, submission):
    reach_step(client, REVIEW_STEP_KEY)
    expected = submission_id(client)

    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": submission})

    # The submission id that counts is the one in the session, never the posted one.
    (assessment,) = Assessment.objects.all()
    assert assessment.submission_id.hex == expected
    assert response["Location"] == assessment.get_absolute_url()


def test_it_does_not_follow_someone_elses_submission_value_to_their_result(client, db):
    theirs = Client()
    their_assessment = take_assessment(theirs)
    their_submission = their_assessment.submission_id.hex
    reach_step(client, REVIEW_STEP_KEY)

    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": their_submission})

    assert response.status_code == 302
    assert response["Location"] != their_assessment.get_absolute_url()
    assert Assessment.objects.count() == 2
    assert client.get(their_assessment.get_absolute_url()).status_code == 404


def test_it_replays_a_final_submit_to_the_same_result(client, db):
    assessment = take_assessment(client)

    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": assessment.submission_id.hex})

    assert response["Location"] == assessment.get_absolute_url()
    assert Assessment.objects.count() == 1
