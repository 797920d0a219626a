"""Helpers to take the questionnaire over HTTP in tests, by rulebook keys and codes.

The second half serves the bad-input tests (tests/questionnaire/): reach a step quickly, post
to it, and check that a response is a form error page.
"""

import json
import re
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from assessments import rulebook
from assessments.forms import REVIEW_STEP_KEY
from assessments.models import Assessment
from tests.support.answers import SAFE_ANSWERS

STEP_KEYS = [step.key for step in rulebook.STEPS]
ALL_STEPS = [*STEP_KEYS, REVIEW_STEP_KEY]
CONSENT_URL = "/assessment/before-you-start/"
# Every step is reachable with these answers: history is shown because used_before is "yes".
EVERY_STEP_ANSWERS = {**SAFE_ANSWERS, "used_before": "yes", "past_reactions": ["none"]}


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


# --- Bad input -------------------------------------------------------------------------------

WIZARD_SESSION_KEY = "wizard_questionnaire_wizard"
ERROR_SUMMARY = re.compile(r"There (is a problem|are \d+ problems) with your answers")
FORM_URLENCODED = "application/x-www-form-urlencoded"

NEXT_STEP = dict(zip(ALL_STEPS, ALL_STEPS[1:], strict=False))


def step_questions(step: str) -> tuple[rulebook.Question, ...]:
    if step == REVIEW_STEP_KEY:
        return (rulebook.NOTES,)
    return rulebook.STEPS_BY_KEY[step].questions


def field_name(step: str, question: rulebook.Question) -> str:
    return f"{step}-{question.key}"


_REACHED: dict[str, str] = {}  # step -> the JSON of a session that has answered the steps before it


def reach_step(client: Client, step: str) -> None:
    """Agree and answer, validly, every step before `step`.

    The first test to reach a step takes the questionnaire over HTTP; later ones start from a copy
    of that session, which keeps the many-case bad-input tests fast.
    """
    if step not in _REACHED:
        walker = Client()
        agree(walker)
        answer_steps(walker, EVERY_STEP_ANSWERS, ALL_STEPS[: ALL_STEPS.index(step)])
        _REACHED[step] = json.dumps(dict(walker.session.items()))
    store = SessionStore()
    store.update(json.loads(_REACHED[step]))
    store.create()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = store.session_key


def post_step(client: Client, step: str, data: dict, *, urlencoded: bool = False):
    if step == REVIEW_STEP_KEY:
        data = {"submission": submission_id(client), **data}
    if urlencoded:
        body = urlencode(data, doseq=True)
        return client.post(step_url(step), body, content_type=FORM_URLENCODED)
    return client.post(step_url(step), data)


def stored_step_data(client: Client) -> dict:
    return client.session.get(WIZARD_SESSION_KEY, {}).get("step_data", {})


def assert_form_error_page(response) -> None:
    assert response.status_code == 200, response.get("Location")
    assert ERROR_SUMMARY.search(response.content.decode()), response.content.decode()[:3000]
    assert "<title>Error: " in response.content.decode()
    assert Assessment.objects.count() == 0


def assert_accepted(response, step: str) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == step_url(NEXT_STEP[step])
    assert Assessment.objects.count() == 0
