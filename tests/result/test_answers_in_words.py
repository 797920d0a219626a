"""Question.describe: the one way an answer is put in words, on every page and in every export."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.test import Client

from assessments import rulebook
from assessments.scoring import score
from tests.support.assessments import change_url
from tests.support.questionnaire import SAFE_ANSWERS, agree, answer_steps, step_url, take_assessment
from tests.support.queue import QUEUE_URL, item_url, send

QUESTIONS = rulebook.QUESTIONS
# Two codes of a many-question, a number and a note: each kind of answer at once.
ANSWERS = {
    **SAFE_ANSWERS,
    "aftercare": ["plain_moisturiser_or_saline", "minoxidil_after_24h"],
    "device_condition": "reused_disinfected",  # a sealed pack has no uses (rulebook 2026.12)
    "device_uses": 7,
    "notes": "Itchy after use",
}
AFTERCARE_IN_WORDS = "Plain moisturiser or saline; Minoxidil, after waiting about 24 hours"


def test_it_turns_each_kind_of_answer_into_words():
    assert QUESTIONS["needle_length"].describe("0_3_to_0_5") == "0.3\u20130.5 mm"
    assert QUESTIONS["aftercare"].describe(ANSWERS["aftercare"]) == AFTERCARE_IN_WORDS
    assert QUESTIONS["device_uses"].describe(7) == "7"
    assert QUESTIONS["notes"].describe("Itchy") == "Itchy"
    assert QUESTIONS["needle_length"].describe(None) == ""


def test_an_unknown_code_from_old_data_is_shown_as_itself():
    assert QUESTIONS["needle_length"].describe("2_mm") == "2_mm"


def test_describe_answers_lists_answered_questions_in_rulebook_order():
    rows = rulebook.describe_answers({"notes": "x", "scalp_open_wounds": "no"})
    assert [row["key"] for row in rows] == ["scalp_open_wounds", "notes"]
    assert rows[0] == {
        "key": "scalp_open_wounds",
        "question": QUESTIONS["scalp_open_wounds"].text,
        "answer": "No",
    }


def in_words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
def test_the_review_step_uses_it(client):
    agree(client)
    answer_steps(client, ANSWERS, ["scalp", "hair", "health", "device", "technique"])
    review = in_words(client.get(step_url("review")).content.decode())
    assert AFTERCARE_IN_WORDS in review


@pytest.mark.django_db
def test_the_result_page_uses_it(client):
    assessment = take_assessment(client, ANSWERS)
    page = in_words(client.get(assessment.get_absolute_url()).content.decode())
    assert AFTERCARE_IN_WORDS in page
    assert "Itchy after use" in page


@pytest.mark.django_db
def test_the_clinic_queue_and_the_operators_admin_use_it(staff_client, admin_client, clinic):
    share = send(clinic, ANSWERS)
    queue_page = in_words(staff_client.get(item_url(share)).content.decode())
    operator_page = in_words(admin_client.get(change_url(share.assessment)).content.decode())
    assert AFTERCARE_IN_WORDS in queue_page
    assert AFTERCARE_IN_WORDS in operator_page


@pytest.mark.django_db
def test_my_assessments_and_both_of_its_exports_use_it(owner):
    client = Client()
    client.force_login(owner)
    take_assessment(client, ANSWERS)
    listing = in_words(client.get("/my/assessments/").content.decode())
    assert QUESTIONS["needle_length"].describe(ANSWERS["needle_length"]) in listing
    [row] = csv.DictReader(io.StringIO(client.get("/my/assessments/export.csv").content.decode()))
    assert row["aftercare (label)"] == AFTERCARE_IN_WORDS
    exported = json.loads(client.get("/my/assessments/export.json").content)["assessments"][0]
    words = {row["key"]: row["answer"] for row in exported["answers_in_words"]}
    assert words["aftercare"] == AFTERCARE_IN_WORDS
    assert words["device_uses"] == "7"


@pytest.mark.django_db
def test_the_clinic_export_uses_it(staff_client, clinic):
    share = send(clinic, ANSWERS)
    response = staff_client.post(
        QUEUE_URL, {"action": "export_csv", "_selected_action": [share.pk]}
    )
    [row] = csv.DictReader(io.StringIO(response.content.decode().removeprefix("\ufeff")))
    assert row["aftercare (label)"] == AFTERCARE_IN_WORDS


def test_it_leaves_out_the_answers_of_a_skipped_step_and_says_when_no_note_was_given():
    clean = score({**SAFE_ANSWERS, "used_before": "no"}).answers
    assert clean["reaction_now"] == "no", "scored as the rulebook says a skipped step counts"
    rows = {row["key"]: row["answer"] for row in rulebook.describe_answers(clean)}
    assert "past_reactions" not in rows and "reaction_now" not in rows
    assert rows["notes"] == "None given"
    returning = {**SAFE_ANSWERS, "used_before": "yes", "past_reactions": ["none"]}
    rows = {row["key"] for row in rulebook.describe_answers({**returning, "reaction_now": "no"})}
    assert {"past_reactions", "reaction_now"} <= rows
