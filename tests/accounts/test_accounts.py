"""Sign-up, log-in, log-out, password change and reset; anonymous results join the account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from assessments.models import Assessment
from tests.support.emails import run_worker
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"


def sign_up(client: Client, username: str = "newcomer", password: str = PASSWORD, **extra):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": password,
            "password2": password,
            **extra,
        },
    )


def test_it_signs_up_with_username_and_email_and_logs_in(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/my/assessments/"
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.org"
    assert client.get("/my/assessments/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_it_applies_the_password_validators(client, password, message):
    response = sign_up(client, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


def test_it_refuses_a_taken_email_whatever_its_case(client, owner):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "another",
            "email": "OWNER@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert "An account with this email address already exists" in response.content.decode()


def test_it_logs_in_and_out_and_logout_is_post_only(client, owner):
    response = client.post(
        "/accounts/login/", {"username": "owner", "password": "owner-password-1234"}
    )
    assert response["Location"] == "/my/assessments/"
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/my/assessments/")["Location"].startswith("/accounts/login/")


def test_a_failed_login_says_so_without_saying_which_part_was_wrong(client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_anonymous_assessments_join_the_account_on_sign_up_and_the_page_says_so(client):
    first = take_assessment(client)
    second = take_assessment(client)
    response = sign_up(client)
    user = get_user_model().objects.get(username="newcomer")
    assert set(user.assessments.values_list("id", flat=True)) == {first.id, second.id}
    page = client.get(response["Location"]).content.decode()
    assert "The 2 assessments you took in this browser are now saved to your account." in page


def test_anonymous_assessments_join_the_account_on_log_in(client, owner):
    assessment = take_assessment(client)
    client.post("/accounts/login/", {"username": "owner", "password": "owner-password-1234"})
    assessment.refresh_from_db()
    assert assessment.owner == owner
    assert assessment.anonymous_owner == ""


def test_another_sessions_anonymous_assessments_do_not_join(client, owner):
    elsewhere = take_assessment(Client())
    client.post("/accounts/login/", {"username": "owner", "password": "owner-password-1234"})
    elsewhere.refresh_from_db()
    assert elsewhere.owner is None


def test_a_password_change(client, owner):
    client.force_login(owner)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "owner-password-1234",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response["Location"] == "/accounts/password_change/done/"
    owner.refresh_from_db()
    assert owner.check_password("a-new-long-passphrase")


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_by_email(client, owner):
    response = client.post("/accounts/password_reset/", {"email": "owner@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    # Queued, not sent from the request: it goes when the task worker runs.
    assert mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your ScalpSafe password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "reset-long-passphrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/accounts/reset/done/"
    owner.refresh_from_db()
    assert owner.check_password("reset-long-passphrase")


@pytest.mark.django_db(transaction=True)
def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    run_worker()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/done/",
    ],
)
def test_account_pages_match_the_rest_of_the_site(client, url):
    html = client.get(url).content.decode()
    assert "ScalpSafe is not a diagnosis." in html
    assert 'aria-label="Main"' in html


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


def test_a_signed_in_person_sent_to_log_in_again_is_not_caught_in_a_loop(client, owner):
    client.force_login(owner)
    response = client.get("/accounts/login/?next=/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/my/assessments/"


def test_sign_up_follows_a_next_address_on_this_site_only(client):
    response = sign_up(client, next="/accounts/")
    assert response["Location"] == "/accounts/"
    other = Client()
    response = sign_up(other, username="second", next="https://evil.example/")
    assert response["Location"] == "/my/assessments/"
