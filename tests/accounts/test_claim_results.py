"""A browser shared by two people: results taken anonymously in it join an account only when
the person who logs in says so."""

import pytest
from django.test import Client

from assessments import privacy_notice
from assessments.models import Assessment
from tests.support.accounts import confirm, log_in, sign_up
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db

QUESTION = (
    "We found 2 results taken in this browser before you logged in. Add them to your account?"
)


def test_log_in_asks_before_adding_and_claims_nothing_before_the_answer(client, owner):
    first, second = take_assessment(client), take_assessment(client)
    response = log_in(client, "owner", "owner-password-1234")
    assert response["Location"] == "/accounts/claim/"
    assert QUESTION in client.get("/accounts/claim/").content.decode()
    assert not owner.assessments.exists()
    assert set(Assessment.objects.filter(owner=None).values_list("id", flat=True)) == {
        first.id,
        second.id,
    }


def test_yes_adds_them_to_the_account_and_goes_on(client, owner):
    first, second = take_assessment(client), take_assessment(client)
    log_in(client, "owner", "owner-password-1234", next="/accounts/")
    response = client.post("/accounts/claim/", {"answer": "yes"})
    assert response["Location"] == "/accounts/"
    assert set(owner.assessments.values_list("id", flat=True)) == {first.id, second.id}
    page = client.get("/accounts/").content.decode()
    assert "The 2 results taken in this browser are now saved to your account." in page


def test_no_leaves_them_anonymous_and_still_in_this_browser(client, owner):
    assessment = take_assessment(client)
    log_in(client, "owner", "owner-password-1234")
    assert (
        "We found 1 result taken in this browser" in client.get("/accounts/claim/").content.decode()
    )
    response = client.post("/accounts/claim/", {"answer": "no"})
    assert response["Location"] == "/my/assessments/"
    assessment.refresh_from_db()
    assert assessment.owner is None and assessment.anonymous_owner
    assert client.get(f"/results/{assessment.id}/").status_code == 200
    # Still there to add later, from this browser session.
    assert "We found 1 result" in client.get("/accounts/claim/").content.decode()


def test_confirming_a_new_account_asks_too(client):
    assessment = take_assessment(client)
    sign_up(client)
    response = confirm(client, "newcomer@example.org")
    assert response["Location"] == "/accounts/claim/"
    client.post("/accounts/claim/", {"answer": "yes"})
    assessment.refresh_from_db()
    assert assessment.owner.username == "newcomer"


def test_without_anonymous_results_log_in_does_not_ask(client, owner):
    assert log_in(client, "owner", "owner-password-1234")["Location"] == "/my/assessments/"


def test_another_browsers_anonymous_results_are_never_offered(client, owner):
    elsewhere = take_assessment(Client())
    assert log_in(client, "owner", "owner-password-1234")["Location"] == "/my/assessments/"
    assert client.post("/accounts/claim/", {"answer": "yes"})["Location"] == "/my/assessments/"
    elsewhere.refresh_from_db()
    assert elsewhere.owner is None


def test_the_answer_is_a_post_with_a_csrf_token(client, owner):
    take_assessment(client)
    client.force_login(owner)
    client.handler.enforce_csrf_checks = True
    assert client.post("/accounts/claim/", {"answer": "yes"}).status_code == 403
    assert not owner.assessments.exists()


def test_anything_but_yes_or_no_is_a_400(client, owner):
    take_assessment(client)
    client.force_login(owner)
    assert client.post("/accounts/claim/", {"answer": "maybe"}).status_code == 400
    assert not owner.assessments.exists()


def test_it_needs_a_log_in(client):
    take_assessment(client)
    assert client.get("/accounts/claim/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("clinic_name", [None, "North Hair Clinic"])
def test_the_privacy_notice_says_they_are_asked_first(clinic_name):
    text = " ".join(
        s.text for s in privacy_notice.sections(retention_days=730, clinic_name=clinic_name)
    )
    assert "we ask whether to add it to your account, and add it only if you say yes" in text
    assert "logging in keeps it" not in text
