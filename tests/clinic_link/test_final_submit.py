"""The final submit of a clinic's questionnaire: the result is saved and sent to that clinic in
one go, with the contact details given; a person without an account gets a private link, once.
"""

import re
from urllib.parse import urlsplit

import pytest

from assessments import privacy_notice, views
from assessments.models import Assessment, AuditEvent
from assessments.rulebook import Disposition
from clinics.models import PrivateLink, Share
from clinics.private_links import private_link_create, private_link_find
from tests.support.answers import SAFE_ANSWERS
from tests.support.emails import private_link_emails
from tests.support.questionnaire import (
    CONSENT_URL,
    CONTACT_STEP,
    EMAIL_CONTACT,
    answer_up_to_contact,
    contact_post_data,
    step_url,
    submission_id,
    take_assessment,
    take_clinic_assessment,
)

pytestmark = pytest.mark.django_db

PRIVATE_LINK = re.compile(r'value="(http://testserver/r/([A-Za-z0-9_-]{43})/)"')
PHONE_CONTACT = {"contact_way": "phone", "contact_phone": "+44 20 7946 0000"}


def _sent_entries():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SENT)


def test_it_sends_the_result_to_the_clinic_with_the_contact_details(client, clinic):
    assessment = take_clinic_assessment(client, "north", EMAIL_CONTACT)
    share = Share.objects.get()
    assert share.assessment == assessment
    assert share.clinic == clinic
    assert share.is_current
    assert share.disposition == assessment.disposition
    assert {
        "contact_way": share.contact_way,
        "contact_name": share.contact_name,
        "contact_email": share.contact_email,
        "contact_phone": share.contact_phone,
        "contact_time": share.contact_time,
    } == EMAIL_CONTACT
    assert assessment.consent_notice_version == privacy_notice.CLINIC_VERSION
    (entry,) = _sent_entries()
    assert entry.assessment_id == assessment.id
    assert entry.clinic == clinic
    assert entry.actor is None
    assert entry.actor_username == AuditEvent.PERSON


def test_the_result_page_says_it_was_sent_and_gives_a_private_link_once(client, clinic):
    assessment = take_clinic_assessment(client, "north", EMAIL_CONTACT)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "Your result was sent to North Hair Clinic." in html
    url, token = PRIVATE_LINK.search(html).groups()
    assert "We have also emailed it to sam@example.org." in html
    assert private_link_find(token).assessment == assessment
    assert PrivateLink.objects.usable().count() == 1
    # Shown in the sharing panel, which knows the result now has a link: it offers to replace
    # or revoke that one, not to "get" another (which would kill the link just emailed).
    panel = html.split('class="mt-4 share-status')[1].split("</section>\n</section>")[0]
    assert url in panel
    assert "Get a private link" not in html
    assert "You have a private link to this result and its sharing controls (above)." in html

    again = client.get(assessment.get_absolute_url()).content.decode()
    assert "/r/" not in again
    assert "Your result was sent" not in again
    assert PrivateLink.objects.count() == 1


def test_a_page_that_finds_the_link_already_made_offers_no_other(client, clinic, monkeypatch):
    # Two result pages opened at once, one session, one offer: the other page makes the link
    # between this page's read of the sharing and its turn to make one. This page does not
    # show that link (shown once, by the page that made it) and must not offer to "get" one,
    # which would kill the link just emailed.
    assessment = take_clinic_assessment(client, "north", EMAIL_CONTACT)
    read = views.get_result_for

    def read_then_the_other_page_makes_the_link(request, assessment_id):
        found = read(request, assessment_id)
        private_link_create(assessment=found[0])
        return found

    monkeypatch.setattr(views, "get_result_for", read_then_the_other_page_makes_the_link)
    html = client.get(assessment.get_absolute_url()).content.decode()

    assert "Get a private link" not in html
    assert "You have a private link to this result and its sharing controls." in html
    assert "/r/" not in html
    assert PrivateLink.objects.usable().count() == 1


def test_the_private_link_is_emailed_without_health_details(client, clinic):
    assessment = take_clinic_assessment(client, "north", EMAIL_CONTACT)
    assert private_link_emails() == []  # made when the result page shows the link
    html = client.get(assessment.get_absolute_url()).content.decode()
    url, _ = PRIVATE_LINK.search(html).groups()
    (email,) = private_link_emails()
    assert email.to == ["sam@example.org"]
    assert urlsplit(url).path in email.body
    body = f"{email.subject}\n{email.body}".lower()
    for health in [*(d.label.lower() for d in Disposition), "scalp", "clinic", "risk"]:
        assert not re.search(rf"\b{re.escape(health)}\b", body), health


def test_no_email_is_sent_without_an_email_address(client, clinic):
    assessment = take_clinic_assessment(client, "north", PHONE_CONTACT)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert PRIVATE_LINK.search(html)
    assert "emailed" not in html
    assert private_link_emails() == []
    assert Share.objects.get().contact_phone == "+44 20 7946 0000"


def test_a_head_request_does_not_use_up_the_private_link(client, clinic):
    assessment = take_clinic_assessment(client, "north", PHONE_CONTACT)
    assert client.head(assessment.get_absolute_url()).status_code == 200
    assert PRIVATE_LINK.search(client.get(assessment.get_absolute_url()).content.decode())


def test_someone_else_never_gets_the_private_link(client, clinic, someone_else):
    assessment = take_clinic_assessment(client, "north", PHONE_CONTACT)
    other = client.__class__()
    other.force_login(someone_else)
    assert other.get(assessment.get_absolute_url()).status_code == 404
    assert not PrivateLink.objects.exists()


def test_a_signed_in_person_sends_it_and_gets_no_private_link(owner_client, owner, clinic):
    assessment = take_clinic_assessment(owner_client, "north", EMAIL_CONTACT)
    assert assessment.owner == owner
    assert Share.objects.get().clinic == clinic
    assert _sent_entries().count() == 1
    html = owner_client.get(assessment.get_absolute_url()).content.decode()
    assert "Your result was sent to North Hair Clinic." in html
    assert "/r/" not in html
    assert not PrivateLink.objects.exists()
    assert private_link_emails() == []


def test_a_replayed_final_submit_sends_it_once(client, clinic):
    answer_up_to_contact(client, "north")
    data = {**contact_post_data(EMAIL_CONTACT), "submission": submission_id(client)}
    first = client.post(step_url(CONTACT_STEP), data)
    second = client.post(step_url(CONTACT_STEP), data)
    assessment = Assessment.objects.get()
    assert first["Location"] == second["Location"] == assessment.get_absolute_url()
    assert Share.objects.count() == 1
    assert _sent_entries().count() == 1


def test_the_clinic_is_forgotten_after_the_final_submit(client, clinic):
    assessment = take_clinic_assessment(client, "north")
    client.get(assessment.get_absolute_url())
    assert "scalpsafe_consent" not in client.session
    assert client.get("/assessment/")["Location"] == CONSENT_URL
    assert "North Hair Clinic" not in client.get(CONSENT_URL).content.decode()
    take_assessment(client)
    assert Share.objects.count() == 1
    assert Assessment.objects.count() == 2


def test_an_ordinary_questionnaire_sends_nothing(client, owner_client, clinic):
    take_assessment(client)
    take_assessment(owner_client)
    assert not Share.objects.exists()
    assert not _sent_entries().exists()
    assert not PrivateLink.objects.exists()


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_clinic_deactivated_before_the_submit_keeps_the_result(client, owner, clinic, signed_in):
    if signed_in:
        client.force_login(owner)
    answer_up_to_contact(client, "north", {**SAFE_ANSWERS, "device_type": "pen"})
    clinic.is_active = False
    clinic.save()
    response = client.post(
        step_url(CONTACT_STEP),
        {**contact_post_data(EMAIL_CONTACT), "submission": submission_id(client)},
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert not Share.objects.exists()
    assert not _sent_entries().exists()
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert "Your result is saved, but it could not be sent to North Hair Clinic" in html
    assert "Motorised microneedling pen" in html
    # Without an account, the private link is the way back to send it elsewhere later.
    assert bool(PRIVATE_LINK.search(html)) is not signed_in


def test_a_clinic_removed_before_the_submit_keeps_the_result(client, clinic):
    answer_up_to_contact(client, "north")
    clinic.delete()
    response = client.post(
        step_url(CONTACT_STEP),
        {**contact_post_data(PHONE_CONTACT), "submission": submission_id(client)},
    )
    assert response["Location"] == Assessment.objects.get().get_absolute_url()
    assert not Share.objects.exists()
