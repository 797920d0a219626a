"""The result page's sharing panel: live (never from the cached result body), and true."""

import re

import pytest
from django.conf import settings
from django.utils import timezone

from assessments import access
from assessments.models import ReviewStatus
from clinics.models import PrivateLink, Share
from clinics.private_links import private_link_create
from clinics.services import share_send, share_withdraw
from tests.sharing.conftest import anonymous_client_for, link_url, send_url, stop_url
from tests.support.assessments import save_assessment
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db


def page(client, assessment) -> str:
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_result_never_sent_offers_to_send_it(owner_client, result):
    html = page(owner_client, result)
    assert f'href="{send_url(result)}"' in html
    assert "Stop sharing" not in html


def test_the_panel_comes_after_what_to_do_first_and_before_the_rest(owner_client, result, clinic):
    # Where the cached body's marker is: right after the first actions (and, for a check-in,
    # its controls), before the reasons to see a professional and what was found.
    for _ in range(2):  # the body rendered, then from the cache
        html = page(owner_client, result)
        first, panel = html.index('id="first-actions-title"'), html.index('id="share-status-title"')
        assert first < panel < html.index('id="factors-title"')
        assert html.count('id="share-status-title"') == 1
        assert "<!-- share-status -->" not in html
    share_send(assessment=result, clinic=clinic, contact={})
    html = page(owner_client, result)
    assert html.index('id="first-actions-title"') < html.index("Sent to North Hair Clinic")
    assert html.index("Sent to North Hair Clinic") < html.index('id="factors-title"')


def test_a_shape_the_orm_reads_every_time_reads_the_sharing_apart(
    owner_client, result, clinic, someone_else, client, monkeypatch
):
    # CompiledGet keeps no statement for a shape whose values the ORM binds itself: the page
    # then reads the assessment and its sharing in two queries, with the same answers.
    monkeypatch.setattr(access._visible_one_without_snapshot, "get_joined", lambda *values: None)
    share_send(assessment=result, clinic=clinic, contact={})
    assert "Sent to North Hair Clinic" in page(owner_client, result)
    client.force_login(someone_else)
    assert client.get(result.get_absolute_url()).status_code == 404


def test_it_shows_where_when_and_how_soon(owner_client, result, clinic):
    contact = {"contact_way": "phone", "contact_phone": "020 7946 0000"}
    share = share_send(assessment=result, clinic=clinic, contact=contact)
    html = page(owner_client, result)
    assert "Sent to North Hair Clinic" in html
    assert f"{timezone.localtime(share.sent_at):%-d %B %Y, %H:%M}" in html
    assert "within 5 working days (Monday to Friday)" in html
    assert f"{timezone.localtime(share.due_at):%A %-d %B, %H:%M}" in html
    assert "020 7946 0001" in html and "hello@north.example" in html
    assert "Do not wait for the clinic" not in html, "consult: the reply can be waited for"
    assert f'href="{stop_url(result)}"' in html


LATER_CHECKS = (
    "The checks before and after sessions you log against this result go to North Hair Clinic "
    "too, while you share it."
)


def test_it_says_later_checks_go_too_while_shared_to_someone_who_can_log_them(
    owner_client, result, anonymous_client, anonymous_result, clinic
):
    assert LATER_CHECKS not in page(owner_client, result)
    share_send(assessment=result, clinic=clinic, contact={})
    assert LATER_CHECKS in page(owner_client, result)
    share_withdraw(assessment=result)
    assert LATER_CHECKS not in page(owner_client, result)
    # Without an account no session is logged: nothing to promise.
    share_send(assessment=anonymous_result, clinic=clinic, contact={})
    assert LATER_CHECKS not in page(anonymous_client, anonymous_result)


def test_an_urgent_or_stop_result_says_not_to_wait(anonymous_client, anonymous_result, clinic):
    share_send(assessment=anonymous_result, clinic=clinic, contact={})
    html = page(anonymous_client, anonymous_result)
    assert "Do not wait for the clinic to reply. Book an appointment with your GP" in html


def test_a_result_with_no_reply_time_gives_none(owner, owner_client, clinic):
    lower_risk = save_assessment(SAFE_ANSWERS, owner=owner)
    share_send(assessment=lower_risk, clinic=clinic, contact={})
    html = page(owner_client, lower_risk)
    assert "Sent to North Hair Clinic" in html
    assert "aims to reply" not in html


def test_the_panel_is_live_though_the_result_body_is_cached(owner_client, result, clinic):
    page(owner_client, result)  # the body is now cached
    share = share_send(assessment=result, clinic=clinic, contact={})
    assert "Sent to North Hair Clinic" in page(owner_client, result)

    assert "The clinic has not looked at your result yet." in page(owner_client, result)
    Share.objects.filter(pk=share.pk).update(
        status=ReviewStatus.IN_PROGRESS,
        staff_note="Internal: probably fine, call Tuesday",
        message_to_person="Thanks, we will call you on Tuesday.",
    )
    html = page(owner_client, result)
    assert "The clinic has looked at your result." in html
    assert "A message from North Hair Clinic" in html
    assert "Thanks, we will call you on Tuesday." in html
    assert "Internal: probably fine" not in html, "the staff's internal note is never shown"

    share_withdraw(assessment=result)
    html = page(owner_client, result)
    assert "You stopped sharing this result with North Hair Clinic on" in html
    assert "Thanks, we will call you on Tuesday." not in html
    assert f'href="{send_url(result)}"' in html


def test_the_clinics_message_is_escaped(owner_client, result, clinic):
    share = share_send(assessment=result, clinic=clinic, contact={})
    Share.objects.filter(pk=share.pk).update(message_to_person="<script>x</script>")
    html = page(owner_client, result)
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


def test_a_signed_in_owner_is_not_offered_a_private_link(owner_client, result):
    assert "Get a private link" not in page(owner_client, result)


def test_an_anonymous_owner_is_offered_a_private_link(anonymous_client, anonymous_result):
    # A link to the page that says what one is, whose button makes it.
    html = page(anonymous_client, anonymous_result)
    assert f'href="{link_url(anonymous_result)}">Get a private link</a>' in html
    offered = anonymous_client.get(link_url(anonymous_result)).content.decode()
    assert '<button type="submit" class="btn btn-primary">Get a private link</button>' in offered


@pytest.mark.parametrize("sent", [False, True], ids=["not sent", "sent"])
def test_an_anonymous_result_without_a_link_has_no_form_and_sets_no_csrf_cookie(
    anonymous_client, anonymous_result, clinic, sent
):
    # The page people open most (docs/performance.md): Django neither masks a CSRF token for
    # it nor sets the CSRF cookie again on every view.
    if sent:
        share_send(assessment=anonymous_result, clinic=clinic, contact={})
    response = anonymous_client.get(anonymous_result.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_with_a_private_link_the_panel_keeps_its_forms(anonymous_client, anonymous_result):
    private_link_create(assessment=anonymous_result)
    response = anonymous_client.get(anonymous_result.get_absolute_url())
    html = response.content.decode()
    assert html.count('name="csrfmiddlewaretoken"') == 2
    assert "Make a new link (the old one stops working)" in html
    assert "Revoke the private link" in html
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_a_private_link_is_got_from_the_result_page_with_csrf_checked(anonymous_result):
    # The result page sets no CSRF cookie now: the private-link page it leads to does, and its
    # form posts with it, as a browser would.
    browser = anonymous_client_for(anonymous_result)
    browser.handler.enforce_csrf_checks = True
    result = browser.get(anonymous_result.get_absolute_url())
    assert settings.CSRF_COOKIE_NAME not in result.cookies
    offered = browser.get(link_url(anonymous_result))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', offered.content.decode())
    assert settings.CSRF_COOKIE_NAME in offered.cookies
    assert browser.post(link_url(anonymous_result)).status_code == 403  # without the token
    made = browser.post(link_url(anonymous_result), {"csrfmiddlewaretoken": token[1]})
    assert made.status_code == 200
    assert "private-link-url" in made.content.decode()
    assert PrivateLink.objects.usable().filter(assessment=anonymous_result).count() == 1
