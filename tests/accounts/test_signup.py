"""Sign-up: a username and an email address, confirmed by an emailed link before the first
log-in; the same answer whether or not the address already has an account."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from tests.support.accounts import PASSWORD, confirm, confirmation_link, log_in, sign_up
from tests.support.emails import queued_emails

pytestmark = pytest.mark.django_db


def test_it_signs_up_and_asks_to_confirm_the_address_before_logging_in(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "Check your email" in client.get(response["Location"]).content.decode()
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.org"
    assert not EmailAddress.objects.get(user=user).verified
    # Not logged in until the address is confirmed, and logging in sends to confirm it.
    assert client.get("/my/assessments/").status_code == 302
    assert log_in(Client(), "newcomer", PASSWORD)["Location"] == "/accounts/confirm-email/"


def test_the_emailed_link_confirms_the_address_and_logs_in(client):
    sign_up(client)
    (email,) = queued_emails(subject="Confirm your ScalpSafe email address")
    assert email.to == ["newcomer@example.org"]
    response = confirm(client, "newcomer@example.org")
    assert response["Location"] == "/my/assessments/"
    assert EmailAddress.objects.get(email="newcomer@example.org").verified
    assert client.get("/my/assessments/").status_code == 200


def test_the_link_only_shows_a_button_on_get(client):
    sign_up(client)
    client.get(confirmation_link("newcomer@example.org"))
    assert not EmailAddress.objects.get(email="newcomer@example.org").verified


def test_a_confirmed_person_logs_in_on_another_browser(client):
    sign_up(client)
    confirm(client, "newcomer@example.org")
    assert log_in(Client(), "newcomer", PASSWORD)["Location"] == "/my/assessments/"


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


def test_a_taken_address_gets_the_same_answer_and_its_owner_an_email(client, owner):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "another",
            "email": "OWNER@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    fresh = sign_up(Client(), username="fresh")
    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"] == "/accounts/confirm-email/"
    assert not get_user_model().objects.filter(username="another").exists()
    (warning,) = queued_emails(
        subject="Someone tried to create a ScalpSafe account with your address"
    )
    assert warning.to == ["owner@example.org"]
    assert "/accounts/password/reset/" in warning.body


class CountingHasher(MD5PasswordHasher):
    """A real hasher that counts its work: the slow step of a sign-up, whose count (not the
    noisy clock of a shared machine) says whether both answers take as long."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


def test_a_taken_address_costs_the_same_password_hashing_as_a_new_one(client, owner, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    data = {"username": "another", "password1": PASSWORD, "password2": PASSWORD}

    CountingHasher.calls = 0
    Client().post("/accounts/signup/", {**data, "email": "OWNER@example.org"})
    taken = CountingHasher.calls
    CountingHasher.calls = 0
    Client().post("/accounts/signup/", {**data, "email": "new.person@example.org"})
    new = CountingHasher.calls

    assert new >= 1
    assert taken == new


def test_every_sign_up_email_is_queued_not_sent_from_the_request(client, mailoutbox):
    sign_up(client)
    assert mailoutbox == []
    assert len(queued_emails()) == 1


def test_sign_up_follows_a_next_address_on_this_site_only(client):
    sign_up(client, next="/accounts/")
    assert confirm(client, "newcomer@example.org")["Location"] == "/accounts/"
    other = Client()
    sign_up(other, username="second", next="https://evil.example/")
    assert confirm(other, "second@example.org")["Location"] == "/my/assessments/"
