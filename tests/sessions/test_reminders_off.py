"""The link in a reminder email that turns reminders off (reminders/off/<token>/): a GET only
shows a button (mail scanners open links), a POST turns them off, and so does the mail
client's one-click POST (RFC 8058) without cookies or a CSRF token."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from assessments.services import account_delete
from roller_sessions import reminders

pytestmark = pytest.mark.django_db


def off_url(user) -> str:
    return reverse("roller_sessions:reminders_off", args=[reminders.unsubscribe_token(user)])


@pytest.fixture
def mail_client() -> Client:
    # What a mail client or a scanner is: no cookies, no CSRF token, CSRF checks enforced.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def reminders_on(owner):
    reminders.reminders_set(user=owner, on=True)
    return owner


def test_a_get_shows_one_button_and_changes_nothing(mail_client, reminders_on):
    response = mail_client.get(off_url(reminders_on))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page
    assert ">Turn off reminders</button>" in page
    assert reminders.reminders_wanted(reminders_on)


def test_pressing_the_button_turns_them_off_and_says_so(mail_client, reminders_on):
    response = mail_client.post(off_url(reminders_on))
    assert response.status_code == 200
    assert "Reminders are off" in response.content.decode()
    assert not reminders.reminders_wanted(reminders_on)


def test_the_one_click_post_turns_them_off(mail_client, reminders_on):
    response = mail_client.post(
        off_url(reminders_on),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not reminders.reminders_wanted(reminders_on)


def test_it_turns_off_only_the_tokens_owner(mail_client, reminders_on, someone_else):
    reminders.reminders_set(user=someone_else, on=True)
    mail_client.post(off_url(reminders_on))
    assert reminders.reminders_wanted(someone_else)


def test_turning_off_twice_is_fine(mail_client, reminders_on):
    assert mail_client.post(off_url(reminders_on)).status_code == 200
    assert mail_client.post(off_url(reminders_on)).status_code == 200
    assert not reminders.reminders_wanted(reminders_on)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps(1, salt="another.purpose"),
        signing.dumps("1", salt="roller_sessions.reminders.off"),
        signing.dumps(10**9, salt="roller_sessions.reminders.off"),
        "x" * 300,
        "é:é:é",
        "a\x00b:c",
        ":::",
    ],
)
def test_a_bad_or_forged_token_is_a_clear_404(mail_client, reminders_on, token):
    url = reverse("roller_sessions:reminders_off", args=[token])
    for response in (mail_client.get(url), mail_client.post(url)):
        assert response.status_code == 404
        assert "Link not recognised" in response.content.decode()
    assert reminders.reminders_wanted(reminders_on)


def test_a_tampered_token_is_a_404(mail_client, reminders_on):
    token = reminders.unsubscribe_token(reminders_on)
    url = reverse("roller_sessions:reminders_off", args=[token[:-2] + "AA"])
    assert mail_client.post(url).status_code == 404
    assert reminders.reminders_wanted(reminders_on)


def test_the_link_of_a_deleted_account_is_a_404(mail_client, owner):
    url = off_url(owner)
    account_delete(user=owner)
    assert mail_client.get(url).status_code == 404
    assert mail_client.post(url).status_code == 404


def test_other_methods_are_refused(mail_client, reminders_on):
    assert mail_client.put(off_url(reminders_on)).status_code == 405
    assert reminders.reminders_wanted(reminders_on)
