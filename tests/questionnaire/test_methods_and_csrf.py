"""Other HTTP methods and missing CSRF tokens on the questionnaire's URLs: refused, never a 500."""

import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    stored_step_data,
)
from tests.support.questionnaire import (
    CONSENT_URL,
    EVERY_STEP_ANSWERS,
    agree,
    step_post_data,
    step_url,
    take_assessment,
)

METHOD_PATHS = [
    "/assessment/",
    step_url("scalp"),
    step_url(REVIEW_STEP_KEY),
    "/assessment/no_such_step/",
    CONSENT_URL,
    "/assessment/start-over/",
    f"/results/{uuid.uuid4()}/",
]


@pytest.mark.parametrize("agreed", [False, True], ids=["before agreeing", "after agreeing"])
@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace"])
def test_it_refuses_other_methods_without_a_500(client, db, method, agreed):
    if agreed:
        agree(client)
    for path in METHOD_PATHS:
        response = getattr(client, method)(path)
        assert response.status_code in (302, 405), (path, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == CONSENT_URL
    assert Assessment.objects.count() == 0


def test_it_refuses_a_get_to_start_over_and_a_post_to_a_result(client, db):
    assessment = take_assessment(client)
    assert client.get("/assessment/start-over/").status_code == 405
    assert client.post(assessment.get_absolute_url()).status_code == 405


def test_it_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.get(CONSENT_URL)
    token = client.cookies["csrftoken"].value

    assert client.post(CONSENT_URL, {"agree": "on"}).status_code == 403
    assert (
        client.post(CONSENT_URL, {"agree": "on", "csrfmiddlewaretoken": "x" * 64}).status_code
        == 403
    )
    assert (
        client.post(CONSENT_URL, {"agree": "on", "csrfmiddlewaretoken": token}).status_code == 302
    )
    assert (
        client.post(step_url("scalp"), step_post_data("scalp", EVERY_STEP_ANSWERS)).status_code
        == 403
    )
    assert client.post("/assessment/start-over/").status_code == 403
    assert stored_step_data(client) == {}
