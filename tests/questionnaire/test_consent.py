"""The privacy notice before the first question: nothing is stored until the person agrees."""

import uuid

import pytest
from django.contrib.sessions.models import Session

from assessments.models import Assessment
from assessments.privacy_notice import VERSION as PRIVACY_NOTICE_VERSION
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    ERROR_SUMMARY,
    WIZARD_SESSION_KEY,
)
from tests.support.questionnaire import (
    ALL_STEPS,
    CONSENT_URL,
    EVERY_STEP_ANSWERS,
    agree,
    step_post_data,
    step_url,
    take_assessment,
)

NOTICE = "/assessment/before-you-start/"


@pytest.mark.django_db
def test_it_says_what_is_stored_for_how_long_and_who_can_see_it(client, settings):
    settings.ASSESSMENT_RETENTION_DAYS = 365
    html = client.get(NOTICE).content.decode()
    for heading in ["What we store", "For how long", "Who can see it", "Your choices"]:
        assert f"<dt>{heading}</dt>" in html
    assert "at most 365 days" in html
    # Staff see a result only when it is sent to their clinic.
    assert "staff only if you choose to send your result to that clinic" in html
    assert f"Privacy notice version {PRIVACY_NOTICE_VERSION}" in html


@pytest.mark.django_db
def test_the_agree_box_starts_unticked(client):
    html = client.get(NOTICE).content.decode()
    checkbox = html[html.index('name="agree"') - 200 : html.index('name="agree"') + 200]
    assert "checked" not in checkbox


@pytest.mark.django_db
def test_nothing_is_stored_before_the_person_agrees(client):
    client.get(NOTICE)
    client.get("/assessment/")
    response = client.post(NOTICE, {})
    assert response.status_code == 200
    assert "Tick \u201cI agree\u201d to start" in response.content.decode()
    assert 'href="#id_agree"' in response.content.decode()
    assert Session.objects.count() == 0
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_the_questionnaire_sends_people_who_have_not_agreed_to_the_notice(client):
    for url in ["/assessment/", "/assessment/scalp/", "/assessment/review/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == NOTICE


@pytest.mark.django_db
def test_agreeing_starts_the_questionnaire(client):
    agree(client)
    response = client.get("/assessment/")
    assert response["Location"] == "/assessment/scalp/"


@pytest.mark.django_db
def test_the_agreement_is_saved_with_the_assessment(client):
    assessment = take_assessment(client)
    assert assessment.consent_notice_version == PRIVACY_NOTICE_VERSION
    assert assessment.consent_at <= assessment.created_at


@pytest.mark.django_db
def test_each_new_assessment_asks_for_agreement_again(client):
    take_assessment(client)
    assert client.get("/assessment/")["Location"] == NOTICE


@pytest.mark.django_db
def test_it_sends_a_step_post_before_agreeing_to_the_privacy_notice(client, db):
    for step in ALL_STEPS:
        response = client.post(step_url(step), step_post_data(step, EVERY_STEP_ANSWERS))
        assert response.status_code == 302, step
        assert response["Location"] == CONSENT_URL
    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": uuid.uuid4().hex})

    assert response["Location"] == CONSENT_URL
    assert Assessment.objects.count() == 0
    assert WIZARD_SESSION_KEY not in client.session
    assert "Your session ended before you finished" in client.get(CONSENT_URL).content.decode()


@pytest.mark.django_db
def test_it_does_not_start_on_a_bad_agreement(client, db):
    # A ticked checkbox sends "on"; anything else, hand-made, is not agreement.
    for data in [
        {},
        {"agree": ""},
        {"agree": "false"},
        {"agree": "0"},
        {"agree": "off"},
        {"agree": ["on", "x"]},
    ]:
        response = client.post(CONSENT_URL, data)
        assert response.status_code == 200, data
        assert ERROR_SUMMARY.search(response.content.decode())
    assert client.post(step_url("scalp"), step_post_data("scalp", EVERY_STEP_ANSWERS))[
        "Location"
    ] == (CONSENT_URL)
