"""A double-clicked (or 20-times replayed) final submit: one result, and its owner keeps it.

The questionnaire is taken with the test client; the final submits then race over real HTTP
against the live server (one thread per request, each with its own database connection), all
with the person's one browser session cookie. Afterwards the same browser session must still
own the one saved result: before the fix each request made its own anonymous owner reference
and the session kept only the last one, so the person's result answered 404. A questionnaire
from a clinic's link races its final submit (the contact step) the same way: one result, one
share, one audit entry.
"""

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client

from assessments import questionnaire_state
from assessments.models import Assessment, AuditEvent
from assessments.rulebook import REVIEW_STEP_KEY
from clinics.models import PrivateLink, Share
from tests.support.accounts import confirm, sign_up
from tests.support.answers import SAFE_ANSWERS
from tests.support.emails import private_link_emails
from tests.support.questionnaire import (
    CONTACT_STEP,
    EMAIL_CONTACT,
    agree,
    answer_steps,
    answer_up_to_contact,
    contact_post_data,
    shown_steps,
    step_post_data,
    step_url,
)

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {**SAFE_ANSWERS, "device_type": "pen", "pressure": "pinpoint_bleeding"}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_concurrently(base_url: str, path: str, form: dict, cookies: dict, count: int) -> list:
    """POST `form` `count` times at once, released together, with the same cookies."""
    opener = urllib.request.build_opener(_NoRedirects)
    body = urllib.parse.urlencode(form).encode()
    headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}
    barrier = threading.Barrier(count)
    answers: list = []

    def submit() -> None:
        request = urllib.request.Request(base_url + path, data=body, headers=headers)
        barrier.wait(timeout=30)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx and 4xx arrive as errors here
            response = error
        answers.append((response.status, response.headers.get("Location")))

    threads = [threading.Thread(target=submit) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


def _race_the_final_submit(
    client: Client, live_server, count: int, *, agreed_before_the_fix: bool = False
) -> Assessment:
    agree(client)
    steps = shown_steps(ANSWERS)
    answer_steps(client, ANSWERS, steps[:-1])
    client.get(step_url(REVIEW_STEP_KEY))  # sets the CSRF cookie, as the browser's page does
    if agreed_before_the_fix:
        # A questionnaire agreed to before the owner reference was made at consent, whose
        # review page was loaded before the deploy: its first request now is the final submit.
        session = client.session
        del session[questionnaire_state._ANONYMOUS_OWNER]
        session.save()
    submission = client.session["scalpsafe_consent"]["submission_id"]
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    form = {
        **step_post_data(REVIEW_STEP_KEY, ANSWERS),
        "submission": submission,
        "csrfmiddlewaretoken": cookies["csrftoken"],
    }
    answers = _post_concurrently(live_server.url, step_url(REVIEW_STEP_KEY), form, cookies, count)

    assessment = Assessment.objects.get()
    assert answers == [(302, assessment.get_absolute_url())] * count
    return assessment


def _assert_owner_opens_it(client: Client, assessment: Assessment) -> None:
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert "Motorised microneedling pen" in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_an_anonymous_person_keeps_the_one_result_of_concurrent_submits(client, live_server, count):
    assessment = _race_the_final_submit(client, live_server, count)
    _assert_owner_opens_it(client, assessment)

    response = client.post(f"/results/{assessment.id}/delete/")
    assert response.status_code == 302
    assert not Assessment.objects.exists()


def test_a_questionnaire_agreed_to_before_the_fix_keeps_its_result_too(client, live_server):
    assessment = _race_the_final_submit(client, live_server, 20, agreed_before_the_fix=True)
    _assert_owner_opens_it(client, assessment)


@pytest.mark.parametrize("count", [2, 20])
def test_a_later_sign_up_claims_the_result_of_concurrent_submits_and_exports_it(
    client, live_server, count
):
    assessment = _race_the_final_submit(client, live_server, count)
    sign_up(client)
    confirm(client, "newcomer@example.org")
    assert client.post("/accounts/claim/", {"answer": "yes"}).status_code == 302

    assessment.refresh_from_db()
    assert assessment.owner.username == "newcomer"
    _assert_owner_opens_it(client, assessment)
    exported = client.get("/my/assessments/export.json").json()
    assert [record["id"] for record in exported["assessments"]] == [str(assessment.id)]


@pytest.mark.parametrize("count", [2, 20])
def test_a_signed_in_person_keeps_the_one_result_of_concurrent_submits(
    client, live_server, owner, count
):
    client.force_login(owner)
    assessment = _race_the_final_submit(client, live_server, count)
    assert assessment.owner == owner
    _assert_owner_opens_it(client, assessment)

    exported = client.get("/my/assessments/export.json").json()
    assert [record["id"] for record in exported["assessments"]] == [str(assessment.id)]
    response = client.post(f"/results/{assessment.id}/delete/")
    assert response.status_code == 302
    assert not Assessment.objects.exists()


def _race_the_clinic_final_submit(client: Client, live_server, count: int) -> Assessment:
    answer_up_to_contact(client, "north", ANSWERS)
    client.get(step_url(CONTACT_STEP))  # sets the CSRF cookie, as the browser's page does
    submission = client.session["scalpsafe_consent"]["submission_id"]
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    form = {
        **contact_post_data(EMAIL_CONTACT),
        "submission": submission,
        "csrfmiddlewaretoken": cookies["csrftoken"],
    }
    answers = _post_concurrently(live_server.url, step_url(CONTACT_STEP), form, cookies, count)

    assessment = Assessment.objects.get()
    assert answers == [(302, assessment.get_absolute_url())] * count
    return assessment


@pytest.mark.parametrize("count", [2, 20])
def test_a_clinic_links_concurrent_submits_send_one_result_once(client, live_server, clinic, count):
    assessment = _race_the_clinic_final_submit(client, live_server, count)
    share = Share.objects.current().get()
    assert (share.assessment, share.clinic) == (assessment, clinic)
    assert share.contact_email == EMAIL_CONTACT["contact_email"]
    assert Share.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SENT).count() == 1
    # Whichever submit saved the browser session last, the private link is offered, once.
    links = [client.get(assessment.get_absolute_url()).content.decode().count("/r/") for _ in "ab"]
    assert links[0] >= 1 and links[1] == 0
    _assert_owner_opens_it(client, assessment)
    assert PrivateLink.objects.count() == 1
    assert len(private_link_emails()) == 1


@pytest.mark.parametrize("count", [2, 20])
def test_a_signed_in_clinic_links_concurrent_submits_send_one_result_once(
    client, live_server, owner, clinic, count
):
    client.force_login(owner)
    assessment = _race_the_clinic_final_submit(client, live_server, count)
    assert assessment.owner == owner
    assert Share.objects.current().get().assessment == assessment
    assert Share.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SENT).count() == 1
    _assert_owner_opens_it(client, assessment)
