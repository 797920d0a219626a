"""The clinic link /c/<slug>/: the privacy notice naming the clinic, and the questionnaire it
starts. Unknown and inactive clinics answer 404; the clinic never sticks to a questionnaire
the person did not start from its link."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from assessments import privacy_notice
from assessments.models import Assessment
from clinics.models import Share
from tests.support.answers import SAFE_ANSWERS
from tests.support.caches import cached_values
from tests.support.questionnaire import (
    CONSENT_URL,
    agree,
    agree_for_clinic,
    answer_steps,
    clinic_link,
    shown_steps,
    step_url,
    take_assessment,
)

pytestmark = pytest.mark.django_db

AGREE_LABEL = (
    "I have read this notice and I agree that ScalpSafe stores my answers and my result as "
    "described, and sends them to North Hair Clinic, whose staff will see them, the contact "
    "details I give, and the checks before and after sessions I log against this result."
)


@pytest.mark.parametrize(
    "path",
    [
        "/c/nowhere/",
        "/c/NORTH/",
        "/c/North/",
        "/c/north%00/",
        "/c/%00/",
        "/c/north.clinic/",
        "/c/north%20clinic/",
        "/c/nörth/",
        "/c/../admin/",
        "/c/" + "n" * 5000 + "/",
        "/c/north/extra/",
        "/c//",
    ],
)
@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_an_unknown_clinic_answers_404(client, clinic, path, method):
    response = getattr(client, method)(path, {"agree": "on"} if method == "post" else None)
    assert response.status_code == 404
    assert Session.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_an_inactive_clinic_answers_404(client, clinic, method):
    clinic.is_active = False
    clinic.save()
    response = getattr(client, method)(clinic_link("north"), {"agree": "on"})
    assert response.status_code == 404
    assert Session.objects.count() == 0


def test_the_clinic_link_is_the_clinics_url(clinic):
    assert clinic.get_absolute_url() == "/c/north/"


def test_the_notice_names_the_clinic_and_what_its_staff_will_see(client, clinic, other_clinic):
    response = client.get(clinic_link("north"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="for-clinic">For North Hair Clinic</p>' in html
    assert "<dt>Sent to North Hair Clinic</dt>" in html
    assert (
        "Its staff will see your answers, your result, the contact details you give, and the "
        "checks before and after sessions you log against this result" in html
    )
    assert AGREE_LABEL in html
    assert f"Privacy notice version {privacy_notice.CLINIC_VERSION}" in html
    assert "Start the assessment for North Hair Clinic" in html
    assert "South Skin Clinic" not in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_plain_notice_names_no_clinic(client, clinic):
    html = client.get(CONSENT_URL).content.decode()
    assert "North Hair Clinic" not in html
    assert "for-clinic" not in html
    assert f"Privacy notice version {privacy_notice.VERSION}<" in html.replace(".</p>", "<")


def test_nothing_is_stored_and_nothing_starts_without_agreeing(client, clinic):
    for form in [{}, {"agree": "off"}, {"agree": "0"}, {"agree": "on\x00"}]:
        response = client.post(clinic_link("north"), form)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Tick \u201cI agree\u201d to start" in html
        assert "<title>Error: Before you start: North Hair Clinic" in html
    assert Session.objects.count() == 0
    assert client.get("/assessment/")["Location"] == CONSENT_URL


def test_agreeing_starts_the_questionnaire_for_the_clinic(client, clinic):
    agree_for_clinic(client, "north")
    assert client.session["scalpsafe_consent"]["clinic"] == {
        "id": clinic.pk,
        "name": "North Hair Clinic",
    }
    assert client.session["scalpsafe_consent"]["notice_version"] == privacy_notice.CLINIC_VERSION
    response = client.get("/assessment/")
    assert response["Location"] == step_url("scalp")
    html = client.get(step_url("scalp")).content.decode()
    assert '<p class="for-clinic">For North Hair Clinic</p>' in html
    assert "and send nothing to North Hair Clinic" in html


def test_a_plain_questionnaire_is_for_no_clinic_even_after_visiting_a_clinic_link(client, clinic):
    client.get(clinic_link("north"))  # looked, did not agree
    html = client.get(CONSENT_URL).content.decode()
    assert "North Hair Clinic" not in html
    assessment = take_assessment(client)
    assert assessment.consent_notice_version == privacy_notice.VERSION
    assert not Share.objects.exists()


def test_a_plain_questionnaire_asks_no_contact_and_shows_no_clinic(client, clinic):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, shown_steps(SAFE_ANSWERS)[:-1])
    html = client.get(step_url("review")).content.decode()
    assert "See my result" in html
    assert "for-clinic" not in html
    assert client.get(step_url("contact"))["Location"] == step_url("review")


def test_a_clinic_link_replaces_a_plain_questionnaire_in_progress_and_says_so(client, clinic):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    html = client.get(clinic_link("north")).content.decode()
    assert "You have an assessment in progress that is not sent to any clinic" in html
    assert "clears the answers of the one in progress" in html
    assert 'href="/assessment/">Continue the assessment in progress instead' in html
    # Continuing it instead keeps it for no clinic.
    assert client.get("/assessment/")["Location"] == step_url(shown_steps(SAFE_ANSWERS)[1])
    assert client.session["scalpsafe_consent"]["clinic"] is None

    agree_for_clinic(client, "north")
    assert client.session["scalpsafe_consent"]["clinic"]["id"] == clinic.pk
    # A new questionnaire: the answers of the plain one are gone.
    assert client.get("/assessment/")["Location"] == step_url("scalp")


def test_another_clinics_link_replaces_the_questionnaire_in_progress(client, clinic, other_clinic):
    agree_for_clinic(client, "north")
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    html = client.get(clinic_link("south")).content.decode()
    assert "You have an assessment in progress for North Hair Clinic" in html
    assert "starts a new one for South Skin Clinic" in html
    agree_for_clinic(client, "south")
    assert client.session["scalpsafe_consent"]["clinic"]["name"] == "South Skin Clinic"
    assert client.get("/assessment/")["Location"] == step_url("scalp")


def test_the_same_clinics_link_continues_the_questionnaire_in_progress(client, clinic):
    agree_for_clinic(client, "north")
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    html = client.get(clinic_link("north")).content.decode()
    assert "Continue my assessment" in html
    assert "You have an assessment in progress" not in html
    agree_for_clinic(client, "north")
    assert client.get("/assessment/")["Location"] == step_url(shown_steps(SAFE_ANSWERS)[1])


def test_the_plain_notice_replaces_a_clinic_questionnaire_in_progress_and_says_so(client, clinic):
    agree_for_clinic(client, "north")
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    html = client.get(CONSENT_URL).content.decode()
    assert "You have an assessment in progress for North Hair Clinic" in html
    assert "starts a new one, sent to no clinic" in html
    agree(client)
    assert client.session["scalpsafe_consent"]["clinic"] is None
    assert client.get("/assessment/")["Location"] == step_url("scalp")


def test_start_over_forgets_the_clinic(client, clinic):
    agree_for_clinic(client, "north")
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    response = client.post("/assessment/start-over/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[0] == (CONSENT_URL, 302)
    assert "nothing will be sent to North Hair Clinic" in html
    assert "scalpsafe_consent" not in client.session
    # The next questionnaire is an ordinary one, unless the link is opened again.
    assessment = take_assessment(client)
    assert not Share.objects.exists()
    assert Assessment.objects.get() == assessment


def _pages_in_the_shared_cache() -> list[str]:
    # The blank step forms are in the `forms` cache (assessments/page_cache.py); nor is a
    # clinic's page in the `pages` one.
    return cached_values(caches["forms"]) + cached_values(caches["pages"])


def test_the_clinics_steps_are_never_kept_in_the_shared_page_cache(clinic):
    plain = Client()
    agree(plain)
    plain.get(step_url("scalp"))
    kept = _pages_in_the_shared_cache()
    assert len(kept) == 1 and 'name="scalp-' in kept[0]

    north = Client()
    agree_for_clinic(north, "north")
    for step in shown_steps(SAFE_ANSWERS)[:-1]:
        assert "For North Hair Clinic" in north.get(step_url(step)).content.decode()
        answer_steps(north, SAFE_ANSWERS, [step])
    answer_steps(north, SAFE_ANSWERS, ["review"])
    assert "North Hair Clinic" in north.get(step_url("contact")).content.decode()
    # Every step of the clinic's questionnaire was shown blank: none of them was kept.
    assert _pages_in_the_shared_cache() == kept
    # Nor is a plain visitor's cached page served to someone taking it for a clinic.
    again = Client()
    agree_for_clinic(again, "north")
    assert "For North Hair Clinic" in again.get(step_url("scalp")).content.decode()
