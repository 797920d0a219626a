"""Log-in and log-out (allauth's views, under the addresses the site always had)."""

import pytest

from scalpsafe.account_adapter import AccountAdapter
from tests.support.accounts import log_in

MISMATCH = AccountAdapter.error_messages["username_password_mismatch"]

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_out_and_logout_is_post_only(client, owner):
    response = log_in(client, "owner", "owner-password-1234")
    assert response["Location"] == "/my/assessments/"
    # A GET asks "Log out?"; only the POST logs out.
    assert (
        "Log out of ScalpSafe in this browser?" in client.get("/accounts/logout/").content.decode()
    )
    assert client.get("/my/assessments/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert client.get("/my/assessments/")["Location"].startswith("/accounts/login/")


def test_a_failed_login_says_so_without_saying_which_part_was_wrong(client, owner):
    response = log_in(client, "owner", "wrong")
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    unknown = log_in(client, "nobody", "wrong")
    assert MISMATCH in unknown.content.decode()
    # The site's words, not allauth's.
    assert "That username and password do not match an account." in response.content.decode()
    assert "and/or" not in response.content.decode()
    # Once, in the error summary at the top; not again above the boxes.
    assert response.content.decode().count(MISMATCH) == 1


def test_a_signed_in_person_sent_to_log_in_again_is_not_caught_in_a_loop(client, owner):
    client.force_login(owner)
    response = client.get("/accounts/login/?next=/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/my/assessments/"


def test_log_in_follows_a_next_address_on_this_site_only(client, owner):
    assert (
        log_in(client, "owner", "owner-password-1234", next="/accounts/")["Location"]
        == "/accounts/"
    )
    client.post("/accounts/logout/")
    response = log_in(client, "owner", "owner-password-1234", next="https://evil.example/")
    assert response["Location"] == "/my/assessments/"


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/done/",
    ],
)
def test_account_pages_match_the_rest_of_the_site(client, url):
    html = client.get(url).content.decode()
    assert "ScalpSafe is not a diagnosis." in html
    assert 'aria-label="Main"' in html


def test_the_page_has_one_way_to_reset_a_password_under_the_password(client):
    page = client.get("/accounts/login/").content.decode()

    assert page.count('href="/accounts/password/reset/"') == 1
    assert "Forgotten your password?" in page
    assert "Forgot your password?" not in page
    # In the password's help text, which the field is described by.
    assert 'aria-describedby="id_password_helptext"' in page


def test_logging_in_and_out_say_so_in_the_sites_words(client, owner):
    page = client.get(log_in(client, "owner", "owner-password-1234")["Location"])

    assert "You are logged in as owner." in page.content.decode()
    assert (
        "You have logged out."
        in client.get(client.post("/accounts/logout/")["Location"]).content.decode()
    )
