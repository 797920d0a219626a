"""Back (wizard_goto_step) with bad or hand-made targets: never a skip ahead, never a save."""

import pytest

from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    ERROR_SUMMARY,
    assert_form_error_page,
    post_step,
    reach_step,
    stored_step_data,
)
from tests.support.questionnaire import (
    EVERY_STEP_ANSWERS,
    SAFE_ANSWERS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
)


@pytest.mark.parametrize(
    "goto", ["", "no_such_step", "../admin", "SCALP", "done", "x" * 10_000, "\x00", "history"]
)
def test_it_treats_an_unknown_back_target_as_a_plain_submit(client, db, goto):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health", "device"])
    # used_before is "no", so history is not a step either.

    invalid = client.post(step_url("technique"), {"wizard_goto_step": goto})
    valid = client.post(
        step_url("technique"),
        {**step_post_data("technique", SAFE_ANSWERS), "wizard_goto_step": goto},
    )

    assert_form_error_page(invalid)
    assert valid.status_code == 302
    assert valid["Location"] == step_url(REVIEW_STEP_KEY)


def test_it_does_not_skip_ahead_when_back_points_forward(client, db):
    agree(client)

    response = client.post(
        step_url("scalp"),
        {**step_post_data("scalp", EVERY_STEP_ANSWERS), "wizard_goto_step": "review"},
    )
    review = client.get(response["Location"])

    assert review.status_code == 302
    assert review["Location"] == step_url("hair")
    assert Assessment.objects.count() == 0


def test_it_does_not_save_when_back_is_pressed_on_the_review_step(client, db):
    reach_step(client, REVIEW_STEP_KEY)

    for goto in ["scalp", "review"]:
        response = post_step(client, REVIEW_STEP_KEY, {"wizard_goto_step": goto})
        assert response.status_code == 302
        assert response["Location"] == step_url(goto)

    assert Assessment.objects.count() == 0


def test_it_accepts_nothing_from_a_step_not_yet_reached_even_with_back(client, db):
    agree(client)

    response = client.post(
        step_url("device"),
        {**step_post_data("device", EVERY_STEP_ANSWERS), "wizard_goto_step": "scalp"},
    )

    assert response.status_code == 302
    assert "device" not in stored_step_data(client)


def test_it_keeps_a_bad_draft_from_back_without_crashing_when_shown_again(client, db):
    reach_step(client, "device")
    draft = {
        "device-device_type": ["junk", "\x00"],
        "device-device_uses": "x" * 10_000,
        "device-needle_length": "",
        "wizard_goto_step": "health",
    }

    back = client.post(step_url("device"), draft)
    health = client.post(step_url("health"), step_post_data("health", EVERY_STEP_ANSWERS))
    shown = client.get(step_url("device"))

    assert back["Location"] == step_url("health")
    assert health["Location"] == step_url("device")
    assert shown.status_code == 200
    assert not ERROR_SUMMARY.search(shown.content.decode())
    assert_form_error_page(client.post(step_url("device"), draft | {"wizard_goto_step": ""}))
