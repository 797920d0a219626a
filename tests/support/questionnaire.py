"""Helpers to take the questionnaire over HTTP in tests, by rulebook keys and codes."""

from django.test import Client

from assessments import rulebook
from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.answers import SAFE_ANSWERS

STEP_KEYS = [step.key for step in rulebook.STEPS]
ALL_STEPS = [*STEP_KEYS, REVIEW_STEP_KEY]
CONSENT_URL = "/assessment/before-you-start/"
# Every step is reachable with these answers: history is shown because used_before is "yes".
EVERY_STEP_ANSWERS = {
    **SAFE_ANSWERS,
    "used_before": "yes",
    "past_reactions": ["none"],
    "reaction_now": "no",
}


def step_url(step: str) -> str:
    return f"/assessment/{step}/"


def step_post_data(step: str, answers: dict) -> dict:
    """The POST body for one step, with the wizard's `step-` field prefix."""
    if step == REVIEW_STEP_KEY:
        keys = ["notes"]
    else:
        keys = [q.key for q in rulebook.STEPS_BY_KEY[step].questions]
    return {f"{step}-{key}": answers[key] for key in keys if key in answers}


def agree(client: Client) -> None:
    response = client.post(CONSENT_URL, {"agree": "on"})
    assert response.status_code == 302


def shown_steps(answers: dict) -> list[str]:
    steps = [s for s in STEP_KEYS if rulebook.step_is_shown(s, answers)]
    return [*steps, REVIEW_STEP_KEY]


def answer_steps(client: Client, answers: dict, steps: list[str]):
    response = None
    for step in steps:
        response = client.post(step_url(step), step_post_data(step, answers))
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response


def submission_id(client: Client) -> str:
    return client.session["scalpsafe_consent"]["submission_id"]


def take_assessment(client: Client, answers: dict | None = None) -> Assessment:
    """Agree, answer every shown step, submit; return the saved assessment."""
    answers = SAFE_ANSWERS if answers is None else answers
    agree(client)
    steps = shown_steps(answers)
    answer_steps(client, answers, steps[:-1])
    submission = submission_id(client)
    response = client.post(
        step_url(REVIEW_STEP_KEY),
        {**step_post_data(REVIEW_STEP_KEY, answers), "submission": submission},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get(submission_id=submission)
    assert response["Location"] == assessment.get_absolute_url()
    return assessment


# A questionnaire started from a clinic's link: its notice is the link itself, and it ends with
# the contact step (not a rulebook question: its fields are the share's contact details).
CONTACT_STEP = "contact"
EMAIL_CONTACT = {
    "contact_way": "email",
    "contact_name": "Sam Taylor",
    "contact_email": "sam@example.org",
    "contact_phone": "",
    "contact_time": "Weekday mornings",
}


def clinic_link(slug: str) -> str:
    return f"/c/{slug}/"


def agree_for_clinic(client: Client, slug: str) -> None:
    response = client.post(clinic_link(slug), {"agree": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]


def contact_post_data(contact: dict) -> dict:
    return {f"{CONTACT_STEP}-{name}": value for name, value in contact.items()}


def answer_up_to_contact(client: Client, slug: str, answers: dict | None = None) -> None:
    """Agree to the clinic's notice and answer every shown step up to the contact step."""
    answers = SAFE_ANSWERS if answers is None else answers
    agree_for_clinic(client, slug)
    answer_steps(client, answers, shown_steps(answers))


def take_clinic_assessment(
    client: Client, slug: str, contact: dict | None = None, answers: dict | None = None
) -> Assessment:
    """Take the questionnaire from a clinic's link and send it; return the saved assessment."""
    answer_up_to_contact(client, slug, answers)
    submission = submission_id(client)
    response = client.post(
        step_url(CONTACT_STEP),
        {
            **contact_post_data(EMAIL_CONTACT if contact is None else contact),
            "submission": submission,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get(submission_id=submission)
    assert response["Location"] == assessment.get_absolute_url()
    return assessment
