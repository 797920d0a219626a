"""Result pages answer 404 to anyone but their owner, for every method the page accepts."""

import uuid

import pytest
from django.test import Client

from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db

METHODS = ["get", "head"]


@pytest.fixture
def anonymous_assessment_and_owner():
    owner_client = Client()
    return take_assessment(owner_client), owner_client


@pytest.mark.parametrize("method", METHODS)
def test_the_anonymous_owner_sees_it_in_the_same_browser_session(
    anonymous_assessment_and_owner, method
):
    assessment, owner_client = anonymous_assessment_and_owner
    assert getattr(owner_client, method)(assessment.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("method", METHODS)
def test_another_browser_session_gets_404(anonymous_assessment_and_owner, method):
    assessment, _ = anonymous_assessment_and_owner
    assert getattr(Client(), method)(assessment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("method", METHODS)
def test_someone_else_signed_in_gets_404(anonymous_assessment_and_owner, someone_else, method):
    assessment, _ = anonymous_assessment_and_owner
    other = Client()
    other.force_login(someone_else)
    assert getattr(other, method)(assessment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("method", METHODS)
def test_clinic_staff_get_404_on_the_personal_page(
    anonymous_assessment_and_owner, clinic_staff, method
):
    assessment, _ = anonymous_assessment_and_owner
    staff = Client()
    staff.force_login(clinic_staff)
    assert getattr(staff, method)(assessment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("method", METHODS)
def test_a_signed_in_owner_sees_it_and_nobody_else_does(owner, someone_else, method):
    owner_client = Client()
    owner_client.force_login(owner)
    assessment = take_assessment(owner_client)
    assert assessment.owner == owner
    url = assessment.get_absolute_url()
    assert getattr(owner_client, method)(url).status_code == 200
    other = Client()
    other.force_login(someone_else)
    assert getattr(other, method)(url).status_code == 404
    assert getattr(Client(), method)(url).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_accepts_no_other_method(anonymous_assessment_and_owner, method):
    assessment, owner_client = anonymous_assessment_and_owner
    assert getattr(owner_client, method)(assessment.get_absolute_url()).status_code == 405


def test_an_unknown_or_malformed_id_is_404(client):
    assert client.get(f"/results/{uuid.uuid4()}/").status_code == 404
    assert client.get("/results/not-a-uuid/").status_code == 404
