"""Changing one's email address: the new one replaces the old only once it is confirmed."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from tests.support.accounts import confirm, log_in
from tests.support.emails import queued_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(owner_client) -> Client:
    """The owner, having just typed their password again (allauth's reauthentication)."""
    response = owner_client.post("/accounts/reauthenticate/", {"password": "owner-password-1234"})
    assert response.status_code == 302
    return owner_client


def test_without_a_recent_log_in_it_asks_for_the_password_first(owner_client, owner):
    # owner_client's session was never authenticated by a password: a borrowed session.
    response = owner_client.post("/accounts/email/", {"email": "new@example.org", "action_add": ""})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert queued_emails(subject="Confirm your ScalpSafe email address") == []
    assert not EmailAddress.objects.filter(email="new@example.org").exists()
    wrong = owner_client.post(response["Location"], {"password": "not-it"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="new@example.org").exists()
    # The right password: the change asked for is then made (to be confirmed by its link).
    owner_client.post(response["Location"], {"password": "owner-password-1234"})
    assert EmailAddress.objects.get(email="new@example.org").verified is False


def test_a_new_address_is_confirmed_before_it_replaces_the_old(logged_in, owner):
    owner_client = logged_in
    assert "owner@example.org" in owner_client.get("/accounts/email/").content.decode()
    response = owner_client.post("/accounts/email/", {"email": "new@example.org", "action_add": ""})
    assert response.status_code == 302
    (email,) = queued_emails(subject="Confirm your ScalpSafe email address")
    assert email.to == ["new@example.org"]
    owner.refresh_from_db()
    assert owner.email == "owner@example.org"
    page = owner_client.get("/accounts/email/").content.decode()
    assert "new@example.org (not confirmed yet" in page

    confirm(owner_client, "new@example.org")
    owner.refresh_from_db()
    assert owner.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=owner).values_list("email", "verified")) == [
        ("new@example.org", True)
    ]


def test_it_needs_a_log_in(client):
    assert client.get("/accounts/email/")["Location"].startswith("/accounts/login/")


def test_the_account_page_links_to_it(owner_client):
    assert 'href="/accounts/email/"' in owner_client.get("/accounts/").content.decode()


def test_the_old_address_still_logs_in_until_then(client, owner_client):
    owner_client.post("/accounts/email/", {"email": "new@example.org", "action_add": ""})
    assert log_in(client, "owner", "owner-password-1234")["Location"] == "/my/assessments/"
