"""Deleting one of one's assessments from 'My assessments' or the result page."""

import pytest

from assessments.models import Assessment
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db


def test_deleting_one_asks_first_then_deletes_on_post(owner_client):
    keep = take_assessment(owner_client)
    doomed = take_assessment(owner_client)
    url = f"/results/{doomed.id}/delete/"
    assert "Delete this assessment?" in owner_client.get(url).content.decode()
    assert Assessment.objects.filter(pk=doomed.pk).exists()
    response = owner_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == "/my/assessments/"
    assert "was deleted" in response.content.decode()
    assert list(Assessment.objects.values_list("id", flat=True)) == [keep.id]


def test_an_anonymous_person_can_delete_their_own_result(client):
    assessment = take_assessment(client)
    client.post(f"/results/{assessment.id}/delete/")
    assert not Assessment.objects.exists()
