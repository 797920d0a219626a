"""Changing the password, and resetting a forgotten one by email."""

import re

import pytest
from django.core import mail

from scalpsafe.forms import FirstPasswordForm
from tests.support.accounts import emailed_link, log_in
from tests.support.emails import queued_emails, run_worker

pytestmark = pytest.mark.django_db


def test_a_password_change(client, owner):
    client.force_login(owner)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "owner-password-1234",
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-new-long-passphrase")
    # Still logged in, and told in the site's words.
    page = client.get(response["Location"]).content.decode()
    assert "Your new password is saved. Use it from now on." in page
    assert "successfully" not in page
    assert client.get("/my/assessments/").status_code == 200


def assert_sentence_case(page: str, *labels: str) -> None:
    """Each label on the page in the site's sentence case, never allauth's title case, and no
    placeholder repeating a label inside its box."""
    for label in labels:
        assert re.search(rf">\s*{re.escape(label)}", page), label
    assert "Current Password" not in page
    assert "New Password" not in page
    assert "placeholder=" not in page


def test_the_password_change_page_labels_its_boxes_in_sentence_case(client, owner):
    client.force_login(owner)
    page = client.get("/accounts/password/change/").content.decode()
    assert_sentence_case(page, "Current password", "New password", "Confirm new password")


def test_the_first_password_form_labels_its_boxes_in_sentence_case(owner):
    # Its page asks for a fresh log-in code first (reauthentication): the form itself here.
    form = FirstPasswordForm(user=owner)
    assert_sentence_case(form.as_div(), "New password", "Confirm new password")


def test_a_wrong_current_password_says_so(client, owner):
    log_in(client, "owner", "owner-password-1234")
    new = "a-brand-new-passphrase-77"

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": new, "password2": new},
    )

    assert response.status_code == 200
    assert "That is not your current password." in response.content.decode()


def test_the_old_addresses_lead_to_the_new_pages(client):
    assert client.get("/accounts/password_reset/")["Location"] == "/accounts/password/reset/"
    assert client.get("/accounts/password_change/")["Location"] == "/accounts/password/change/"


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_by_email(client, owner):
    response = client.post("/accounts/password/reset/", {"email": "owner@example.org"})
    assert response["Location"] == "/accounts/password/reset/done/"
    # Queued, not sent from the request: it goes when the task worker runs.
    assert mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your ScalpSafe password"
    link = emailed_link(mail.outbox[0], r"http://testserver(/accounts/password/reset/key/\S+/)")
    form_url = client.get(link)["Location"]
    assert_sentence_case(
        client.get(form_url).content.decode(), "New password", "Confirm new password"
    )
    new = "reset-long-passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response["Location"] == "/accounts/password/reset/key/done/"
    owner.refresh_from_db()
    assert owner.check_password("reset-long-passphrase")
    # Used once: the same link no longer works.
    assert "expired or has already been used" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/done/"
    run_worker()
    assert mail.outbox == []


def test_the_reset_email_is_queued_in_the_request(client, owner):
    client.post("/accounts/password/reset/", {"email": "owner@example.org"})
    (email,) = queued_emails(subject="Reset your ScalpSafe password")
    assert email.to == ["owner@example.org"]
    assert "(owner)" in email.body


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_the_account_pages_put_no_placeholder_in_a_box(client, url):
    page = client.get(url).content.decode()
    assert "<input" in page
    assert "placeholder=" not in page
