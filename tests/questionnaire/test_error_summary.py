"""The error summary: every form page lists its problems the same way, through one helper."""

import re
from html import unescape

import pytest
from django import forms
from django.core import mail
from django.test import Client

from scalpsafe.account_adapter import AccountAdapter
from scalpsafe.templatetags.form_errors import error_rows
from tests.support.emails import run_worker
from tests.support.questionnaire import agree, step_url

MISMATCH = AccountAdapter.error_messages["username_password_mismatch"]

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    match = re.search(r'<div class="[^"]*error-summary[^"]*".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return unescape(match.group(0))


def title(html: str) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()


def assert_summary_links_to(response, anchor: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#{anchor}"' in summary(html)
    assert f'id="{anchor}"' in html, "the link goes to the field"
    assert title(html).startswith("Error: ")
    form = re.search(r'<form method="post"[^>]*novalidate', html)
    assert html.index("error-summary") < form.start(), "the summary comes before the form"
    main = html[html.index('<main id="main"') :]
    first = re.search(r"<(?!main\b)[a-z]+\b[^>]*>", main)
    assert "error-summary" in first.group(0), "the summary is the first thing in the main content"
    assert 'tabindex="-1"' in first.group(0), "it can take focus (static/js/error-summary.js)"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_is_on_the_privacy_notice(client):
    assert_summary_links_to(client.post("/assessment/before-you-start/", {}), "id_agree")


def test_it_is_on_a_questionnaire_step_and_links_a_radio_group_through_its_first_option(client):
    agree(client)
    response = client.post(step_url("scalp"), {})
    assert_summary_links_to(response, "id_scalp-scalp_open_wounds_0")


def test_it_is_on_sign_up(client):
    assert_summary_links_to(client.post("/accounts/signup/", {"username": ""}), "id_username")


def test_it_is_on_log_in_with_a_message_that_is_not_about_one_field(client, owner):
    response = client.post("/accounts/login/", {"login": "owner", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert MISMATCH in summary(html)
    assert title(html).startswith("Error: ")


def test_it_is_on_the_password_change(owner):
    response = signed_in(owner).post("/accounts/password/change/", {"oldpassword": "wrong"})
    assert_summary_links_to(response, "id_oldpassword")


def test_it_is_on_the_password_reset_request(client):
    response = client.post("/accounts/password/reset/", {"email": "not an address"})
    assert_summary_links_to(response, "id_email")


@pytest.mark.django_db(transaction=True)
def test_it_is_on_the_new_password_page_of_a_reset(client, owner):
    client.post("/accounts/password/reset/", {"email": "owner@example.org"})
    run_worker()
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]
    response = client.post(form_url, {"password1": "a-long-enough-passphrase", "password2": "b"})
    assert_summary_links_to(response, "id_password2")


def test_it_is_on_deleting_an_account(owner):
    response = signed_in(owner).post("/accounts/delete/", {"password": "wrong"})
    assert_summary_links_to(response, "id_password")


def test_an_unbound_form_has_no_rows():
    class Form(forms.Form):
        name = forms.CharField()

    assert error_rows(Form()) == []
    assert error_rows(Form(data={})) == [
        {"anchor": "id_name", "label": "Name", "message": "This field is required."}
    ]
