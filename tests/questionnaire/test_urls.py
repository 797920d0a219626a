"""The questionnaire's URLs: unknown step names resume, names that are not names and results
that do not exist answer 404.
"""

import uuid

import pytest
from django.test import Client

from tests.support.bad_input import (
    stored_step_data,
)
from tests.support.questionnaire import (
    agree,
    step_url,
    take_assessment,
)


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_resumes_on_an_unknown_step_name(client, db, method):
    agree(client)
    for name in ["nope", "done", "history", "review_", "a" * 2000]:
        response = getattr(client, method)(f"/assessment/{name}/")
        assert response.status_code == 302, name
        assert response["Location"] == step_url("scalp")
    assert getattr(client, method)("/assessment/")["Location"] == step_url("scalp")
    assert stored_step_data(client) == {}


@pytest.mark.parametrize(
    "path",
    ["/assessment/SCALP/", "/assessment/scalp2/", "/assessment/sc%00alp/", "/assessment/scalp/x/"],
)
def test_it_answers_404_for_a_step_name_that_is_not_a_name(client, db, path):
    agree(client)
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/results/not-a-uuid/",
        f"/results/{uuid.uuid4()}/",
        f"/results/{uuid.uuid4().hex}/",
        f"/results/{str(uuid.uuid4()).upper()}/",
        f"/results/{uuid.uuid4()}x/",
        "/results//",
        "/results/%00/",
    ],
)
def test_it_answers_404_for_a_result_that_does_not_exist(client, db, path):
    assert client.get(path).status_code == 404


def test_it_answers_404_for_someone_elses_result_whatever_the_spelling(client, db):
    assessment = take_assessment(Client())
    for path in [
        assessment.get_absolute_url(),
        f"/results/{assessment.id.hex}/",
        f"/results/{str(assessment.id).upper()}/",
    ]:
        assert client.get(path).status_code == 404, path
