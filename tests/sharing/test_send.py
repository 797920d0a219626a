""" "Send to a clinic": choosing an active clinic, the notice and agreement, the contact form."""

import re

import pytest

from assessments.models import AuditEvent
from clinics.models import Share
from clinics.services import share_send
from tests.sharing.conftest import CONTACT, anonymous_client_for, send_data, send_url
from tests.support.bad_input import ERROR_SUMMARY
from tests.support.emails import private_link_emails

pytestmark = pytest.mark.django_db


def test_it_lists_the_active_clinics_with_their_contact_details(
    owner_client, result, clinic, other_clinic
):
    other_clinic.is_active = False
    other_clinic.save()
    page = owner_client.get(send_url(result)).content.decode()
    assert "North Hair Clinic" in page and "020 7946 0001" in page
    assert "hello@north.example" in page
    assert "South Skin Clinic" not in page
    assert "queue@north.example" not in page, "the notification address is never shown"


def test_it_says_what_the_clinic_will_see_and_asks_to_agree(owner_client, result, clinic):
    page = owner_client.get(send_url(result)).content.decode()
    for seen in (
        "your answers",
        "your result",
        "contact details",
        "the checks before and after sessions you log against this result (earlier ones too), "
        "while you share it",
    ):
        assert seen in page
    assert 'name="agree"' in page
    assert "<legend" in page, "the clinic choice is a fieldset with a legend"


def test_no_way_of_contact_is_chosen_for_the_person(owner_client, result, clinic):
    page = owner_client.get(send_url(result)).content.decode()

    ways = re.findall(r'<input[^>]*name="contact_way"[^>]*>', page)
    assert len(ways) == 4
    assert not any("checked" in way for way in ways)


def test_it_sends_with_the_contact_details_given(owner_client, result, clinic):
    response = owner_client.post(send_url(result), send_data(clinic))
    assert response.status_code == 302
    assert response["Location"] == result.get_absolute_url()
    share = Share.objects.current().get(assessment=result)
    assert share.clinic == clinic
    assert share.contact_email == CONTACT["contact_email"]
    assert share.contact_time == CONTACT["contact_time"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SENT, assessment_id=result.pk, clinic=clinic
    ).exists()
    page = owner_client.get(result.get_absolute_url()).content.decode()
    assert "Your result was sent to North Hair Clinic." in page
    assert "within 5 working days" in page


def test_nothing_is_sent_without_the_agreement(owner_client, result, clinic):
    data = send_data(clinic)
    del data["agree"]
    response = owner_client.post(send_url(result), data)
    assert response.status_code == 200
    assert ERROR_SUMMARY.search(response.content.decode())
    assert "Tick the box to agree" in response.content.decode()
    assert not Share.objects.exists()


def test_it_asks_which_clinic(owner_client, result, clinic):
    response = owner_client.post(send_url(result), {**send_data(clinic), "clinic": ""})
    assert "Choose the clinic to send your result to." in response.content.decode()
    assert not Share.objects.exists()


def test_an_inactive_clinic_is_a_form_error(owner_client, result, clinic):
    data = send_data(clinic)
    clinic.is_active = False
    clinic.save()
    response = owner_client.post(send_url(result), data)
    assert response.status_code == 200
    assert "That clinic cannot take results now" in response.content.decode()
    assert not Share.objects.exists()


def test_do_not_contact_me_keeps_no_contact_details(owner_client, result, clinic):
    owner_client.post(send_url(result), send_data(clinic, contact_way="none"))
    share = Share.objects.get()
    assert (share.contact_way, share.contact_email, share.contact_name) == ("none", "", "")
    page = owner_client.get(result.get_absolute_url()).content.decode()
    assert "You chose not to be contacted" in page
    # Not promised a reply they asked not to get.
    assert "aims to reply" not in page
    # The whole sentence, its brackets closed once.
    assert (
        "the clinic can read your result, and aims to look at it within 5 working days (Monday "
        "to Friday), but will not get in touch." in " ".join(page.split())
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_email": "not-an-email"}, "Enter a valid email address."),
        ({"contact_email": ""}, "Enter your email address, or choose another way"),
        ({"contact_way": "phone", "contact_phone": "12"}, "Enter a phone number of 7 to 15"),
        ({"contact_way": "phone", "contact_phone": "call me"}, "Enter a phone number of 7 to 15"),
        ({"contact_way": "either", "contact_phone": ""}, "Enter your phone number, or choose"),
    ],
)
def test_the_contact_details_are_checked_with_clear_messages(
    owner_client, result, clinic, changes, message
):
    response = owner_client.post(send_url(result), send_data(clinic, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Share.objects.exists()


def test_sending_twice_to_the_same_clinic_keeps_one_share(owner_client, result, clinic):
    for _ in range(2):
        assert owner_client.post(send_url(result), send_data(clinic)).status_code == 302
    assert Share.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SENT).count() == 1


def test_a_result_with_another_clinic_says_so_and_sends_nothing(
    owner_client, result, clinic, other_clinic
):
    share_send(assessment=result, clinic=other_clinic, contact={})
    page = owner_client.get(send_url(result)).content.decode()
    assert "Your result is with South Skin Clinic" in page
    assert "stop sharing it there first" in page
    response = owner_client.post(send_url(result), send_data(clinic))
    assert response.status_code == 200
    assert "already with South Skin Clinic" in response.content.decode()
    assert list(Share.objects.current().values_list("clinic__slug", flat=True)) == ["south"]


def test_a_withdrawn_result_can_be_sent_again(owner_client, result, clinic, other_clinic):
    owner_client.post(send_url(result), send_data(clinic))
    owner_client.post(f"/results/{result.pk}/stop-sharing/")
    response = owner_client.post(send_url(result), send_data(other_clinic))
    assert response.status_code == 302
    assert Share.objects.count() == 2
    assert Share.objects.current().get().clinic == other_clinic


def test_no_clinic_to_choose_says_so(owner_client, result):
    page = owner_client.get(send_url(result)).content.decode()
    assert "No clinic is taking results at the moment" in page


def test_an_anonymous_sender_gets_a_private_link_shown_once_and_emailed(
    anonymous_client, anonymous_result, clinic
):
    response = anonymous_client.post(send_url(anonymous_result), send_data(clinic))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your private link" in page and "http://testserver/r/" in page
    assert "Your result was sent to North Hair Clinic." in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    token = page.split("http://testserver/r/")[1].split("/")[0]
    assert len(token) >= 43
    [email] = private_link_emails()
    assert email.to == [CONTACT["contact_email"]]
    assert f"/r/{token}/" in email.body
    # No health details: not the result, the clinic, or any answer.
    for detail in ("professional", "North", "needle", "stop", "result was sent"):
        assert detail not in email.body
    # Sending again (a replayed form) shows no second link: the first one keeps working.
    again = anonymous_client.post(send_url(anonymous_result), send_data(clinic))
    assert again.status_code == 302
    assert len(private_link_emails()) == 1
    assert anonymous_client_for(anonymous_result).get(f"/r/{token}/").status_code == 302


def test_an_anonymous_sender_who_gave_no_email_gets_the_link_but_no_email(
    anonymous_client, anonymous_result, clinic
):
    response = anonymous_client.post(
        send_url(anonymous_result),
        send_data(clinic, contact_way="phone", contact_email="", contact_phone="020 7946 0000"),
    )
    assert "http://testserver/r/" in response.content.decode()
    assert private_link_emails() == []


def test_a_signed_in_sender_gets_no_private_link(owner_client, result, clinic):
    owner_client.post(send_url(result), send_data(clinic))
    assert not result.private_links.exists()
    assert private_link_emails() == []
