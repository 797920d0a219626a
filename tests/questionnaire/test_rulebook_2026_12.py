"""The questionnaire under rulebook 2026.12: reaction_now on the history step, and a device
from a sealed sterile pack that has already been used, refused on the device step."""

import re
from html import unescape

import pytest

from assessments import rulebook
from assessments.models import Assessment
from tests.support.questionnaire import (
    SAFE_ANSWERS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
    take_assessment,
)

pytestmark = pytest.mark.django_db

RETURNING = {**SAFE_ANSWERS, "used_before": "yes", "past_reactions": ["none"]}
BEFORE_HISTORY = ["scalp", "hair", "health", "device", "technique"]


def test_the_history_step_asks_about_a_reaction_happening_now(client):
    agree(client)
    answer_steps(client, RETURNING, BEFORE_HISTORY)
    html = unescape(client.get(step_url("history")).content.decode())
    assert rulebook.QUESTIONS["reaction_now"].text in html
    assert re.search(r'<input[^>]*name="history-reaction_now"[^>]*value="yes"', html)


def test_the_history_step_needs_an_answer_about_a_reaction_now(client):
    agree(client)
    answer_steps(client, RETURNING, BEFORE_HISTORY)
    response = client.post(step_url("history"), step_post_data("history", RETURNING))
    assert response.status_code == 200
    assert "Choose an answer." in response.content.decode()


def test_a_reaction_now_gives_an_urgent_result(client):
    assessment = take_assessment(client, {**RETURNING, "reaction_now": "yes"})
    assert assessment.disposition == "urgent"
    html = unescape(client.get(assessment.get_absolute_url()).content.decode())
    assert f">{rulebook.Disposition.URGENT.headline}</h1>" in html
    assert rulebook.RULES_BY_ID["R-REACTION-NOW"].title in html


def test_a_first_time_user_is_not_asked_and_it_counts_as_no(client):
    assessment = take_assessment(client, SAFE_ANSWERS)
    assert assessment.answers["reaction_now"] == "no"
    assert assessment.disposition == "go_ahead"


def test_the_device_step_refuses_uses_for_a_device_from_a_sealed_pack(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health"])
    response = client.post(
        step_url("device"), step_post_data("device", {**SAFE_ANSWERS, "device_uses": 3})
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert rulebook.CONTRADICTIONS[0].message in html
    assert Assessment.objects.count() == 0
    # Corrected on the same step, it goes on.
    for fixed in [{"device_uses": 0}, {"device_uses": 3, "device_condition": "reused_rinsed"}]:
        response = client.post(
            step_url("device"), step_post_data("device", {**SAFE_ANSWERS, **fixed})
        )
        assert response["Location"] == step_url("technique")
