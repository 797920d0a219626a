"""The questionnaire's steps: order, counting, Back, resume, Start over, and the form markup."""

import re

import pytest
from django.core.cache import caches
from django.middleware.csrf import _does_token_match
from django.test import Client

from assessments import rulebook
from tests.support.caches import cached_values
from tests.support.questionnaire import (
    EVERY_STEP_ANSWERS,
    SAFE_ANSWERS,
    STEP_KEYS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
)

pytestmark = pytest.mark.django_db


def step_count(html: str) -> tuple[int, int]:
    x, y = re.search(r"Step (\d+) of (\d+)", html).groups()
    return int(x), int(y)


def test_it_has_one_url_per_step_in_rulebook_order(client):
    agree(client)
    expected = ["scalp", "hair", "health", "device", "technique", "review"]
    seen = []
    url = "/assessment/"
    response = client.get(url)
    while True:
        url = response["Location"]
        seen.append(url.strip("/").split("/")[-1])
        if seen[-1] == "review":
            break
        response = client.post(url, step_post_data(seen[-1], SAFE_ANSWERS))
    assert seen == expected
    assert STEP_KEYS[:5] == expected[:5]


def test_the_history_step_appears_only_when_used_before_is_yes(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health", "device"])
    response = client.post(
        step_url("technique"), step_post_data("technique", {**SAFE_ANSWERS, "used_before": "yes"})
    )
    assert response["Location"] == step_url("history")
    response = client.post(step_url("technique"), step_post_data("technique", SAFE_ANSWERS))
    assert response["Location"] == step_url("review")
    assert client.get(step_url("history"))["Location"] == step_url("review")


def test_step_x_of_y_counts_only_the_steps_that_will_be_shown(client):
    agree(client)
    assert step_count(client.get(step_url("scalp")).content.decode()) == (1, 6)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health", "device"])
    assert step_count(client.get(step_url("technique")).content.decode()) == (5, 6)
    answer_steps(client, {**SAFE_ANSWERS, "used_before": "yes"}, ["technique"])
    html = client.get(step_url("history")).content.decode()
    assert step_count(html) == (6, 7)
    assert '<progress class="step-progress" max="7" value="6"' in html


def test_back_keeps_what_was_entered_on_the_current_step(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    # Half of the hair step, then Back.
    partial = {"hair-hair_loss_signs": ["sudden", "clumps"], "wizard_goto_step": "scalp"}
    response = client.post(step_url("hair"), partial)
    assert response["Location"] == step_url("scalp")
    scalp = client.get(step_url("scalp")).content.decode()
    assert len(re.findall(r'<input[^>]*value="no"[^>]*checked', scalp)) == 4, "step 1 kept"
    hair = client.get(step_url("hair")).content.decode()
    assert re.search(r'<input[^>]*value="sudden"[^>]*checked', hair)
    assert re.search(r'<input[^>]*value="clumps"[^>]*checked', hair)
    assert not re.search(r'<input[^>]*value="patches"[^>]*checked', hair)
    assert "There is a problem" not in hair and "problems with your answers" not in hair


def test_back_keeps_a_completed_step_complete(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair"])
    data = {**step_post_data("health", SAFE_ANSWERS), "wizard_goto_step": "hair"}
    client.post(step_url("health"), data)
    response = client.post(step_url("hair"), step_post_data("hair", SAFE_ANSWERS))
    assert response["Location"] == step_url("health")
    health = client.get(step_url("health")).content.decode()
    assert re.search(r'<input[^>]*value="22_plus"[^>]*checked', health)


def test_a_get_on_the_start_url_resumes_where_the_person_left_off(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair"])
    client.get("/")
    assert client.get("/assessment/")["Location"] == step_url("health")
    assert "Continue your assessment" in client.get("/").content.decode()


def test_a_later_step_sends_the_person_to_the_first_incomplete_step(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    assert client.get(step_url("device"))["Location"] == step_url("hair")
    response = client.post(step_url("device"), step_post_data("device", SAFE_ANSWERS))
    assert response["Location"] == step_url("hair")


def test_an_unknown_step_resumes_the_questionnaire(client):
    agree(client)
    assert client.get("/assessment/no_such_step/")["Location"] == step_url("scalp")
    assert client.get("/assessment/done/")["Location"] == step_url("scalp")


def test_start_over_clears_the_answers(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair"])
    response = client.post("/assessment/start-over/", follow=True)
    assert response.redirect_chain[-1][0] == step_url("scalp")
    assert "Your answers were cleared" in response.content.decode()
    assert "checked" not in response.content.decode()
    assert client.get(step_url("hair"))["Location"] == step_url("scalp")


def test_start_over_is_post_only(client):
    assert client.get("/assessment/start-over/").status_code == 405


@pytest.mark.parametrize(
    ("question", "others"),
    [("hair_loss_signs", ["sudden"]), ("aftercare", ["serum"])],
)
def test_none_and_nothing_cannot_be_combined_with_other_answers(client, question, others):
    agree(client)
    q = rulebook.QUESTIONS[question]
    step = next(s.key for s in rulebook.STEPS if q in s.questions)
    answer_steps(client, SAFE_ANSWERS, STEP_KEYS[: STEP_KEYS.index(step)])
    data = step_post_data(step, {**SAFE_ANSWERS, question: [q.exclusive, *others]})
    response = client.post(step_url(step), data)
    html = response.content.decode()
    assert response.status_code == 200
    label = q.label_for(q.exclusive)
    assert f"\u201c{label}\u201d can\u2019t be combined with other answers" in html
    assert f'href="#id_{step}-{question}_0"' in html


def test_every_field_is_labelled_and_groups_are_fieldsets_with_legends(client):
    agree(client)
    html = client.get(step_url("scalp")).content.decode()
    for question in rulebook.STEPS_BY_KEY["scalp"].questions:
        assert html.count("<fieldset") == len(rulebook.STEPS_BY_KEY["scalp"].questions)
        assert question.text in html
    assert re.findall(
        r"<legend[^>]*>\s*" + re.escape(rulebook.QUESTIONS["scalp_open_wounds"].text), html
    )
    for input_id in re.findall(r'<input[^>]*type="radio"[^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html


def test_errors_are_summarised_at_the_top_and_linked_to_their_fields(client):
    agree(client)
    html = client.post(step_url("scalp"), {}).content.decode()
    count = len(rulebook.STEPS_BY_KEY["scalp"].questions)
    assert f"There are {count} problems with your answers" in html
    assert html.index("error-summary") < html.index("<form")
    for question in rulebook.STEPS_BY_KEY["scalp"].questions:
        anchor = f"id_scalp-{question.key}_0"
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
    assert "<title>Error: " in html


def test_the_number_field_has_a_label_and_rejects_a_fraction(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health"])
    data = {**step_post_data("device", SAFE_ANSWERS), "device-device_uses": "2.5"}
    html = client.post(step_url("device"), data).content.decode()
    assert re.search(r'<label\s+for="id_device-device_uses"', html)
    assert "Enter how many times you have used this device, from 0 to 1000." in html


@pytest.mark.parametrize("value", ["", "-1", "1001", "lots"])
def test_the_number_field_says_in_words_what_to_enter(client, value):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health"])
    data = {**step_post_data("device", SAFE_ANSWERS), "device-device_uses": value}
    html = client.post(step_url("device"), data).content.decode()
    assert "Enter how many times you have used this device, from 0 to 1000." in html
    assert "Ensure this value" not in html


def test_the_review_step_offers_notes_once_and_shows_the_answers(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, STEP_KEYS[:5])
    html = client.get(step_url("review")).content.decode()
    assert html.count('name="review-notes"') == 1
    assert "Check your answers" in html
    assert rulebook.QUESTIONS["needle_length"].label_for("0_3_to_0_5") in html
    assert f'href="{step_url("device")}?return_to=review"' in html
    assert "See my result" in html


def test_change_on_the_review_step_returns_there_after_the_step_is_saved(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, STEP_KEYS[:5])
    page = client.get(f"{step_url('device')}?return_to=review").content.decode()
    assert '<input type="hidden" name="return_to" value="review">' in page
    assert "Save and continue" in page

    changed = {**SAFE_ANSWERS, "needle_length": "up_to_0_25"}
    data = {**step_post_data("device", changed), "return_to": "review"}
    response = client.post(step_url("device"), data)

    assert response["Location"] == step_url("review")
    review = client.get(step_url("review")).content.decode()
    assert rulebook.QUESTIONS["needle_length"].label_for("up_to_0_25") in review


def test_a_change_that_shows_the_history_step_asks_it_then_returns_to_the_review(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, STEP_KEYS[:5])
    changed = {**SAFE_ANSWERS, "used_before": "yes", "past_reactions": ["none"]}
    changed["reaction_now"] = "no"  # asked on the history step from rulebook 2026.12

    response = client.post(
        step_url("technique"), {**step_post_data("technique", changed), "return_to": "review"}
    )
    assert response["Location"] == f"{step_url('history')}?return_to=review"
    history = client.get(response["Location"]).content.decode()
    assert '<input type="hidden" name="return_to" value="review">' in history

    response = client.post(
        step_url("history"), {**step_post_data("history", changed), "return_to": "review"}
    )
    assert response["Location"] == step_url("review")


def test_a_page_opened_by_change_is_never_served_from_the_blank_page_cache(client):
    agree(client)
    answer_steps(client, EVERY_STEP_ANSWERS, STEP_KEYS[:5])
    opened = client.get(f"{step_url('history')}?return_to=review").content.decode()
    assert 'name="return_to"' in opened

    someone_else = Client()
    agree(someone_else)
    answer_steps(someone_else, EVERY_STEP_ANSWERS, STEP_KEYS[:5])
    assert 'name="return_to"' not in someone_else.get(step_url("history")).content.decode()


def test_without_change_a_step_goes_on_to_the_next_one(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, STEP_KEYS[:3])
    response = client.post(step_url("device"), step_post_data("device", SAFE_ANSWERS))
    assert response["Location"] == step_url("technique")


def test_notes_are_asked_once_on_the_review_step_even_with_the_history_step(client):
    agree(client)
    answers = {
        **SAFE_ANSWERS,
        "used_before": "yes",
        "past_reactions": ["none"],
        "reaction_now": "no",
    }
    answer_steps(client, answers, [*STEP_KEYS[:5], "history"])
    history = client.get(step_url("history")).content.decode()
    review = client.get(step_url("review")).content.decode()
    assert "notes" not in history
    assert review.count('name="review-notes"') == 1


def test_questionnaire_pages_are_not_cached(client):
    agree(client)
    response = client.get(step_url("scalp"))
    assert "no-store" in response["Cache-Control"]


def test_a_cached_blank_form_carries_nothing_personal(client):
    other = Client()
    agree(client)
    agree(other)
    mine = client.get(step_url("scalp")).content.decode()
    theirs = other.get(step_url("scalp")).content.decode()
    form = mine[mine.index('<form method="post" action="/assessment/scalp/"') :]
    form = form[: form.index("</form>")]
    assert "<form" not in form[5:], "no form nested inside the step's form"
    assert form.count("csrfmiddlewaretoken") == 1
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(mine).group(1) != token.search(theirs).group(1)


def test_a_cached_step_page_carries_a_working_csrf_token_of_ones_own():
    for _ in range(2):  # the first visitor fills the cache, the second is served from it
        client = Client(enforce_csrf_checks=True)
        client.get("/assessment/before-you-start/")
        notice_token = client.cookies["csrftoken"].value
        client.post(
            "/assessment/before-you-start/",
            {"agree": "on", "csrfmiddlewaretoken": notice_token},
        )
        html = client.get(step_url("scalp")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = {**step_post_data("scalp", SAFE_ANSWERS), "csrfmiddlewaretoken": token}
        assert client.post(step_url("scalp"), data)["Location"] == step_url("hair")


def test_the_csrf_token_on_a_cached_step_page_is_the_requesters_own():
    # The blank form comes from the cache; the token is rendered for each request (beside the
    # form, never inside the cached part), from the requester's own CSRF cookie.
    for visitor in range(2):  # the first fills the cache, the second is served from it
        client = Client()
        agree(client)
        html = client.get(step_url("scalp")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert _does_token_match(token, client.cookies["csrftoken"].value), visitor
        cached = cached_values(caches["forms"])
        assert len(cached) == 1 and 'name="scalp-' in cached[0]
        assert "csrfmiddlewaretoken" not in cached[0]


def test_a_step_page_with_a_message_is_not_served_from_the_cache(client):
    agree(client)
    client.get(step_url("scalp"))
    response = client.post("/assessment/start-over/", follow=True)
    assert "Your answers were cleared" in response.content.decode()
    assert "Your answers were cleared" not in client.get(step_url("scalp")).content.decode()


def test_a_refused_use_count_is_shown_back_as_typed(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, STEP_KEYS[:3])
    data = {**step_post_data("device", SAFE_ANSWERS), "device-device_uses": "lots"}
    html = client.post(step_url("device"), data).content.decode()
    field = re.search(r'<input[^>]*name="device-device_uses"[^>]*>', html).group(0)
    assert 'value="lots"' in field and 'inputmode="numeric"' in field
    assert 'type="text"' in field, "a number box would empty itself in the browser"
