"""For the bad-input tests (tests/questionnaire/): reach a step quickly, post to it, and check
that a response is a form error page (or that the step was accepted).
"""

import json
import re
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from assessments import rulebook
from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.questionnaire import (
    ALL_STEPS,
    EVERY_STEP_ANSWERS,
    agree,
    answer_steps,
    step_url,
    submission_id,
)

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
