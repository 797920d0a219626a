"""The reminder settings page (my/reminders/): off by default, on only with a confirmed
address, linked from the account page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from roller_sessions import reminders
from roller_sessions.models import ReminderChoice

pytestmark = pytest.mark.django_db

URL = "/my/reminders/"


def test_the_address_is_the_one_named():
    assert reverse("roller_sessions:reminders") == URL


def test_it_needs_signing_in(client, owner):
    for response in (client.get(URL), client.post(URL, {"email_reminders": "on"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not reminders.reminders_wanted(owner)


def test_they_are_off_by_default_and_the_page_says_where_they_would_go(owner_client, owner):
    response = owner_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Reminders are <strong>off</strong>" in page
    assert f"They would go to <strong>{owner.email}</strong>" in page
    [off] = re.findall(r'<input type="radio"[^>]*value="off"[^>]*>', page)
    assert "checked" in off
    [on] = re.findall(r'<input type="radio"[^>]*value="on"[^>]*>', page)
    assert "checked" not in on
    assert not ReminderChoice.objects.filter(user=owner).exists()


def test_it_turns_them_on_and_off(owner_client, owner):
    response = owner_client.post(URL, {"email_reminders": "on"}, follow=True)
    assert reminders.reminders_wanted(owner)
    page = response.content.decode()
    assert f"Reminders are on. They go to {owner.email}." in page
    assert "Reminders are <strong>on</strong>" in page
    assert f"They go to <strong>{owner.email}</strong>" in page
    owner_client.post(URL, {"email_reminders": "off"})
    assert not reminders.reminders_wanted(owner)


def test_without_a_confirmed_address_they_cannot_be_turned_on(owner_client, owner):
    EmailAddress.objects.filter(user=owner).update(verified=False)
    page = owner_client.get(URL).content.decode()
    assert "Reminders need a confirmed email address" in page
    assert reverse("account_email") in page
    response = owner_client.post(URL, {"email_reminders": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Reminders" in page
    assert "Confirm or add one first." in page
    assert not reminders.reminders_wanted(owner)
    with pytest.raises(ValueError):
        reminders.reminders_set(user=owner, on=True)


def test_a_secondary_confirmed_address_is_not_enough(owner_client, owner):
    EmailAddress.objects.filter(user=owner).update(primary=False)
    owner_client.post(URL, {"email_reminders": "on"})
    assert not reminders.reminders_wanted(owner)


def test_a_bad_choice_is_an_error_not_a_500(owner_client, owner):
    for data in ({"email_reminders": "maybe"}, {}):
        response = owner_client.post(URL, data)
        assert response.status_code == 200
        assert "<title>Error: Reminders" in response.content.decode()
    assert not reminders.reminders_wanted(owner)


def test_each_person_sets_their_own(owner_client, owner, someone_else):
    owner_client.post(URL, {"email_reminders": "on"})
    assert not reminders.reminders_wanted(someone_else)


def test_the_account_page_links_to_it(owner_client):
    assert f'href="{URL}"' in owner_client.get(reverse("account")).content.decode()
