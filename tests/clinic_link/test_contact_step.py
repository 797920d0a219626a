"""The contact step at the end of a clinic's questionnaire: how the clinic can reach the person,
or that they would rather not be contacted. Bad input is a form error, never a 500."""

import pytest

from assessments.models import Assessment
from clinics.models import Share
from tests.support.bad_input import ERROR_SUMMARY
from tests.support.questionnaire import (
    CONTACT_STEP,
    EMAIL_CONTACT,
    answer_up_to_contact,
    contact_post_data,
    step_url,
    submission_id,
)

pytestmark = pytest.mark.django_db

CONTACT_URL = step_url(CONTACT_STEP)


@pytest.fixture
def at_contact(client, clinic):
    answer_up_to_contact(client, "north")
    return client


def _send(client, contact: dict):
    return client.post(
        CONTACT_URL, {**contact_post_data(contact), "submission": submission_id(client)}
    )


def test_it_comes_after_the_review_and_names_the_clinic(client, clinic):
    answer_up_to_contact(client, "north")
    review = client.get(step_url("review")).content.decode()
    assert "Then say how North Hair Clinic can contact you." in review
    assert ">Continue</button>" in review
    response = client.get(CONTACT_URL)
    html = response.content.decode()
    assert '<h1 class="mt-3">How can North Hair Clinic contact you?</h1>' in html
    assert "Send and see my result" in html
    assert "no-store" in response["Cache-Control"]
    # No way is chosen for the person, not even "Do not contact me".
    assert 'value="none"' in html
    assert "checked" not in html[html.index('name="contact-contact_way"') - 300 :][:3000]
    assert 'name="submission"' in html


def test_no_choice_is_an_error(at_contact):
    response = _send(at_contact, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert ERROR_SUMMARY.search(html)
    assert "Choose how the clinic should contact you" in html
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"contact_way": "email", "contact_email": "not-an-email"}, "Enter a valid email address"),
        ({"contact_way": "email"}, "Enter your email address, or choose another way"),
        ({"contact_way": "phone"}, "Enter your phone number, or choose another way"),
        ({"contact_way": "phone", "contact_phone": "call me maybe"}, "Enter a phone number of"),
        ({"contact_way": "phone", "contact_phone": "123"}, "Enter a phone number of"),
        ({"contact_way": "phone", "contact_phone": "1" * 39}, "Enter a phone number of"),
        ({"contact_way": "either", "contact_phone": "020 7946 0000"}, "Enter your email address"),
        ({"contact_way": "carrier pigeon"}, "Choose one of the ways shown"),
        ({"contact_way": "email", "contact_email": "a@b.org", "contact_name": "x" * 1_000_000}, ""),
        ({"contact_way": "email", "contact_email": "a@b.org", "contact_time": "y" * 1_000_000}, ""),
        ({"contact_way": "email", "contact_email": "a" * 1_000_000 + "@b.org"}, ""),
        ({"contact_way": "phone", "contact_phone": "0" * 1_000_000}, ""),
        ({"contact_way": "email", "contact_email": "a@b.org", "contact_name": "Sam\x00"}, ""),
        ({"contact_way": "email", "contact_email": "a\x00@b.org"}, ""),
        ({"contact_way": "phone", "contact_phone": "020 7946\x00 0000"}, ""),
        ({"contact_way": "email\x00"}, ""),
        ({"contact_way": "email", "contact_email": "a@b.org", "contact_time": "\x00"}, ""),
    ],
)
def test_bad_contact_details_are_form_errors(at_contact, contact, message):
    response = _send(at_contact, contact)
    assert response.status_code == 200
    html = response.content.decode()
    assert ERROR_SUMMARY.search(html)
    assert message in html
    assert not Assessment.objects.exists()
    assert not Share.objects.exists()


def test_two_values_for_one_field_are_an_error_or_the_last_kept_never_a_500(at_contact):
    data = contact_post_data(EMAIL_CONTACT)
    data["contact-contact_way"] = ["email", "phone"]
    response = at_contact.post(CONTACT_URL, {**data, "submission": submission_id(at_contact)})
    assert response.status_code in (200, 302)


def test_do_not_contact_me_keeps_no_contact_details(at_contact, clinic):
    response = _send(
        at_contact,
        {
            "contact_way": "none",
            "contact_name": "Sam Taylor",
            "contact_email": "sam@example.org",
            "contact_phone": "020 7946 0000",
            "contact_time": "mornings",
        },
    )
    assert response.status_code == 302
    share = Share.objects.get()
    assert share.clinic == clinic
    assert (
        share.contact_way,
        share.contact_name,
        share.contact_email,
        share.contact_phone,
        share.contact_time,
    ) == ("none", "", "", "", "")
    # Nor does the browser session: the questionnaire's state went with the final submit.
    assert "sam@example.org" not in str(dict(at_contact.session))


def test_back_from_the_contact_step_keeps_what_was_typed(at_contact):
    data = {
        **contact_post_data({"contact_way": "email", "contact_email": "half@"}),
        "wizard_goto_step": "review",
    }
    assert at_contact.post(CONTACT_URL, data)["Location"] == step_url("review")
    html = at_contact.get(CONTACT_URL).content.decode()
    assert 'value="half@"' in html
    assert "Enter a valid email address" not in html


def test_contact_details_are_not_saved_with_the_answers(at_contact):
    assert _send(at_contact, EMAIL_CONTACT).status_code == 302
    assessment = Assessment.objects.get()
    assert not any(key.startswith("contact") for key in assessment.answers)
    assert "sam@example.org" not in str(assessment.answers)
