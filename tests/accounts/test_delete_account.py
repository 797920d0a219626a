"""Deleting the account: asks for the password, deletes every assessment with it."""

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Assessment
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db


def test_deleting_the_account_deletes_all_its_data(client, owner):
    client.force_login(owner)
    assessment = take_assessment(client)
    assert client.get("/accounts/delete/").status_code == 200
    wrong = client.post("/accounts/delete/", {"password": "nope"})
    assert "That is not your password." in wrong.content.decode()
    response = client.post("/accounts/delete/", {"password": "owner-password-1234"}, follow=True)
    assert "Your account and all its assessments have been deleted." in response.content.decode()
    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
