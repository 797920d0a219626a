"""After a step whose answers fire a stop rule, the next page says so first (rulebook section 2:
the disposition is the outcome; the person should not have to finish to learn it)."""

import pytest
from django.test import Client

from assessments import rulebook
from assessments.rulebook import Disposition
from tests.support.questionnaire import (
    EVERY_STEP_ANSWERS,
    STEP_KEYS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
)

pytestmark = pytest.mark.django_db

NOTICE = 'class="disposition disposition-'


def post_step(client, step: str, answers: dict) -> str:
    response = client.post(step_url(step), step_post_data(step, answers))
    assert response.status_code == 302
    return response["Location"]


def test_a_stop_on_the_scalp_step_is_said_first_on_the_next_page(client):
    agree(client)
    answers = {**EVERY_STEP_ANSWERS, "scalp_open_wounds": "yes"}
    page = client.get(post_step(client, "scalp", answers)).content.decode()

    assert f"{NOTICE}stop stop-notice" in page
    assert page.index("stop-notice") < page.index("<h1")
    notice = page[page.index("stop-notice") : page.index("</section>")]
    assert f"<li>{rulebook.RULES_BY_ID['R-SCALP-OPEN'].title}</li>" in notice
    assert 'role="status"' in notice
    assert Disposition.STOP.headline.replace("'", "&#x27;") in page
    assert "any professional you show or send it to, the full picture" in page


def test_a_reaction_now_gets_the_urgent_notice_before_the_review(client):
    agree(client)
    answers = {**EVERY_STEP_ANSWERS, "reaction_now": "yes"}
    answer_steps(client, answers, STEP_KEYS[:5])
    page = client.get(post_step(client, "history", answers)).content.decode()

    assert f"{NOTICE}urgent stop-notice" in page
    assert Disposition.URGENT.headline in page
    assert Disposition.URGENT.next_step.replace("'", "&#x27;") in page


def test_the_notice_is_shown_once(client):
    agree(client)
    location = post_step(client, "scalp", {**EVERY_STEP_ANSWERS, "suspicious_lesion": "yes"})
    assert "stop-notice" in client.get(location).content.decode()
    assert "stop-notice" not in client.get(location).content.decode()


def test_no_notice_after_a_step_without_a_stop(client):
    agree(client)
    answers = {**EVERY_STEP_ANSWERS, "scalp_irritated": "yes"}  # a caution, not a stop
    assert "stop-notice" not in client.get(post_step(client, "scalp", answers)).content.decode()


def test_a_stop_is_judged_only_once_the_answers_it_reads_are_given():
    assert rulebook.stops_fired_by("device", {"device_shared": "yes"})[0].id == "R-SHARED"
    assert rulebook.stops_fired_by("device", {"device_shared": "no"}) == ()
    # A stop of another step is not this step's.
    assert rulebook.stops_fired_by("device", {"scalp_open_wounds": "yes"}) == ()
    assert [r.id for r in rulebook.stops_fired_by("hair", {"hair_loss_signs": ["patches"]})] == [
        "R-HAIR-REDFLAG"
    ]


def test_a_page_with_the_notice_is_never_served_from_the_blank_page_cache(client):
    agree(client)
    location = post_step(client, "scalp", {**EVERY_STEP_ANSWERS, "scalp_open_wounds": "yes"})
    assert "stop-notice" in client.get(location).content.decode()

    someone_else = Client()
    agree(someone_else)
    answer_steps(someone_else, EVERY_STEP_ANSWERS, ["scalp"])
    assert "stop-notice" not in someone_else.get(location).content.decode()
