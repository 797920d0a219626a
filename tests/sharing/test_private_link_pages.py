"""Private links for people without an account: made, shown once, opened, revoked.

/r/<token>/ grants the browser session that opens it access to the result (the result page,
send, stop sharing, delete); every access re-checks the link, so revoking works at once.
"""

import re

import pytest
from django.test import Client

from assessments.models import Assessment
from clinics.models import PrivateLink, Share
from clinics.private_links import private_link_create, private_link_revoke, token_hash
from clinics.services import share_send
from tests.sharing.conftest import link_url, revoke_url, send_data, send_url, stop_url
from tests.support.emails import private_link_emails

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/r/([A-Za-z0-9_-]+)/")


def make_link(client: Client, assessment: Assessment) -> str:
    response = client.post(link_url(assessment))
    assert response.status_code == 200
    return LINK.search(response.content.decode()).group(1)


def opened(token: str) -> Client:
    """A new browser that opened the link."""
    browser = Client()
    response = browser.get(f"/r/{token}/")
    assert response.status_code == 302
    return browser


def test_the_explanation_page_says_what_a_link_is(anonymous_client, anonymous_result):
    html = anonymous_client.get(link_url(anonymous_result)).content.decode()
    assert "Anyone who has the link can see this result" in html
    assert "keep it private" in html
    assert "for as long as the result is kept" in html
    assert "revoke" in html


def test_a_link_is_long_random_and_only_its_hash_is_stored(anonymous_client, anonymous_result):
    tokens = {make_link(anonymous_client, anonymous_result) for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 43 for token in tokens)
    stored = set(PrivateLink.objects.values_list("token_hash", flat=True))
    assert stored == {token_hash(token) for token in tokens}
    assert not stored & tokens
    # Only the newest works: making a new link revokes the old ones.
    assert PrivateLink.objects.usable().count() == 1


def test_opening_a_link_shows_the_result_to_a_new_browser(anonymous_client, anonymous_result):
    token = make_link(anonymous_client, anonymous_result)
    browser = Client()
    response = browser.get(f"/r/{token}/")
    assert response.status_code == 302
    assert response["Location"] == anonymous_result.get_absolute_url()
    assert response["Referrer-Policy"] == "no-referrer"
    assert token not in str(dict(browser.session.items()))
    assert browser.get(anonymous_result.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 300, "%00", "%FF%FE"])
def test_an_unknown_link_is_404(client, token):
    response = client.get(f"/r/{token}/")
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_path_that_is_no_token_is_404(client):
    assert client.get("/r/..%2F/").status_code == 404


def test_a_revoked_link_is_404_and_its_browsers_lose_access_at_once(
    anonymous_client, anonymous_result
):
    token = make_link(anonymous_client, anonymous_result)
    browser = opened(token)
    private_link_revoke(assessment=anonymous_result)
    assert Client().get(f"/r/{token}/").status_code == 404
    assert browser.get(anonymous_result.get_absolute_url()).status_code == 404
    # The browser session that took it still owns it.
    assert anonymous_client.get(anonymous_result.get_absolute_url()).status_code == 200


def test_a_new_link_ends_the_old_one_but_not_for_the_browser_that_made_it(anonymous_result):
    old = private_link_create(assessment=anonymous_result)
    holder = opened(old)
    new = make_link(holder, anonymous_result)
    assert Client().get(f"/r/{old}/").status_code == 404
    assert holder.get(anonymous_result.get_absolute_url()).status_code == 200
    assert opened(new).get(anonymous_result.get_absolute_url()).status_code == 200


def test_a_deleted_results_link_is_404(anonymous_client, anonymous_result):
    token = make_link(anonymous_client, anonymous_result)
    browser = opened(token)
    assert browser.post(f"/results/{anonymous_result.pk}/delete/").status_code == 302
    assert not Assessment.objects.exists()
    assert Client().get(f"/r/{token}/").status_code == 404
    assert browser.get(anonymous_result.get_absolute_url()).status_code == 404


def test_the_link_holder_can_send_stop_sharing_and_delete(anonymous_result, clinic):
    browser = opened(private_link_create(assessment=anonymous_result))
    assert browser.get(send_url(anonymous_result)).status_code == 200
    response = browser.post(send_url(anonymous_result), send_data(clinic))
    # They hold a link already: no new one, which would end the one they bookmarked.
    assert response.status_code == 302
    assert Share.objects.current().get().clinic == clinic
    assert browser.get(stop_url(anonymous_result)).status_code == 200
    assert browser.post(stop_url(anonymous_result)).status_code == 302
    assert not Share.objects.current().exists()
    assert browser.post(f"/results/{anonymous_result.pk}/delete/").status_code == 302
    assert not Assessment.objects.exists()


def test_revoking_from_the_page_ends_the_link(anonymous_client, anonymous_result):
    token = make_link(anonymous_client, anonymous_result)
    html = anonymous_client.get(anonymous_result.get_absolute_url()).content.decode()
    assert "Revoke the private link" in html
    assert "Make a new link (the old one stops working)" in html
    response = anonymous_client.post(revoke_url(anonymous_result))
    assert response.status_code == 302
    assert Client().get(f"/r/{token}/").status_code == 404
    html = anonymous_client.get(anonymous_result.get_absolute_url()).content.decode()
    assert "Your private link was revoked" in html
    assert "Get a private link" in html


def test_revoking_the_link_you_came_through_says_this_browser_lost_access_too(anonymous_result):
    browser = opened(private_link_create(assessment=anonymous_result))
    response = browser.post(revoke_url(anonymous_result))
    assert response.status_code == 200
    assert "Private link revoked" in response.content.decode()
    assert browser.get(anonymous_result.get_absolute_url()).status_code == 404


def test_a_new_link_is_emailed_when_the_share_has_an_email(
    anonymous_client, anonymous_result, clinic
):
    share_send(
        assessment=anonymous_result,
        clinic=clinic,
        contact={"contact_way": "email", "contact_email": "sam@example.org"},
    )
    token = make_link(anonymous_client, anonymous_result)
    [email] = private_link_emails()
    assert email.to == ["sam@example.org"] and f"/r/{token}/" in email.body


def test_the_link_page_is_never_cached_nor_referred(anonymous_client, anonymous_result):
    response = anonymous_client.post(link_url(anonymous_result))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
