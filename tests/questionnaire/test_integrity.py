"""Integrity of the final submit: re-validated answers, completeness, idempotency, expiry."""

import threading

import pytest
from django.test import Client

from assessments.models import Assessment
from tests.support.browser_sessions import browser_sessions_end
from tests.support.questionnaire import (
    SAFE_ANSWERS,
    STEP_KEYS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
    submission_id,
    take_assessment,
)

REVIEW = step_url("review")


def ready_to_submit(client: Client, answers: dict = SAFE_ANSWERS) -> dict:
    agree(client)
    answer_steps(client, answers, STEP_KEYS[:5])
    return {"review-notes": "", "submission": submission_id(client)}


@pytest.mark.django_db
def test_the_final_submit_saves_one_assessment_and_shows_its_result(client):
    response = client.post(REVIEW, ready_to_submit(client))
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/results/{assessment.id}/"
    assert assessment.answers["past_reactions"] == ["none"], "the skipped history step"
    assert assessment.answers["notes"] == ""


@pytest.mark.django_db
def test_a_double_click_or_a_refresh_gives_exactly_one_assessment(client):
    final = ready_to_submit(client)
    first = client.post(REVIEW, final)
    second = client.post(REVIEW, final)
    third = client.post(step_url("done"), final)
    assert Assessment.objects.count() == 1
    assert first["Location"] == second["Location"] == third["Location"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_of_the_final_submit_give_exactly_one_assessment():
    client = Client()
    final = ready_to_submit(client)
    cookie = client.cookies["sessionid"].value
    locations, errors = [], []
    barrier = threading.Barrier(8)

    def submit() -> None:
        replay = Client()
        replay.cookies["sessionid"] = cookie
        barrier.wait()
        try:
            locations.append(replay.post(REVIEW, final)["Location"])
        except Exception as error:  # noqa: BLE001 (any failure fails the test below)
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Assessment.objects.count() == 1
    assert set(locations) == {Assessment.objects.get().get_absolute_url()}


@pytest.mark.django_db
def test_submitting_before_the_earlier_steps_are_complete_saves_nothing(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair"])
    response = client.post(REVIEW, {"review-notes": "", "submission": submission_id(client)})
    assert response["Location"] == step_url("health")
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_the_score_comes_from_re_validated_answers_not_raw_session_storage(client):
    final = ready_to_submit(client)
    session = client.session
    storage = session["wizard_questionnaire_wizard"]
    storage["step_data"]["device"]["device-needle_length"] = ["9_mm_homemade"]
    session.save()
    response = client.post(REVIEW, final)
    assert response["Location"] == step_url("device")
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_an_expired_session_gives_a_clear_message_and_saves_nothing(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair"])
    browser_sessions_end()
    response = client.post(step_url("health"), step_post_data("health", SAFE_ANSWERS), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/assessment/before-you-start/"
    assert "Your session ended before you finished" in html
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_a_second_assessment_in_the_same_session_is_a_new_one(client):
    first = take_assessment(client)
    second = take_assessment(client, {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0"})
    assert first.id != second.id
    assert (first.points, second.points) == (0, 3)
