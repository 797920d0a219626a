"""Rule ids (R-...) are for staff and exports (rulebook section 4): no page a person sees shows
one, in its text or its markup."""

import re

import pytest

from tests.support.answers import MOST_RULES, SAFE_ANSWERS
from tests.support.assessments import save_assessment
from tests.support.questionnaire import (
    ALL_STEPS,
    EVERY_STEP_ANSWERS,
    REVIEW_STEP_KEY,
    agree,
    answer_steps,
    step_url,
)

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"\bR-[A-Z]")


def test_no_rule_id_on_the_result_or_my_assessments(owner_client, owner):
    latest = save_assessment(MOST_RULES, owner=owner)
    save_assessment(SAFE_ANSWERS, owner=owner)
    for url in [
        latest.get_absolute_url(),
        "/my/assessments/",
        f"{latest.get_absolute_url()}delete/",
    ]:
        html = owner_client.get(url).content.decode()
        assert not RULE_ID.search(html), url


def test_no_rule_id_on_any_questionnaire_page(client):
    agree(client)
    answers = {**EVERY_STEP_ANSWERS, "scalp_open_wounds": "yes"}
    for step in ALL_STEPS:
        html = client.get(step_url(step)).content.decode()
        assert not RULE_ID.search(html), step
        if step != REVIEW_STEP_KEY:
            answer_steps(client, answers, [step])
