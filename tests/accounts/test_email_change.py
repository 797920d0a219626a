"""Changing one's email address: the new one replaces the old only once it is confirmed."""

import pytest
from allauth.account.models import EmailAddress

from tests.support.accounts import confirm, log_in
from tests.support.emails import queued_emails

pytestmark = pytest.mark.django_db


def test_a_new_address_is_confirmed_before_it_replaces_the_old(owner_client, owner):
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
