"""Result pages answer 404 to anyone but their owner, for every method the page accepts."""

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


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_accepts_no_other_method(anonymous_assessment_and_owner, method):
    assessment, owner_client = anonymous_assessment_and_owner
    assert getattr(owner_client, method)(assessment.get_absolute_url()).status_code == 405
