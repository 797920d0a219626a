"""Bad values on every step: a form error page, never a 500, and nothing saved unless every
answer is one the rulebook allows. The test client raises any exception a view lets escape, so a
would-be 500 fails these tests with its traceback. The other bad input (back, URLs, methods,
the request body, random input, the review step) has a file of its own beside this one.
"""

import pytest

from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    assert_accepted,
    assert_form_error_page,
    field_name,
    post_step,
    reach_step,
    step_questions,
    stored_step_data,
)
from tests.support.questionnaire import (
    ALL_STEPS,
    EVERY_STEP_ANSWERS,
    SAFE_ANSWERS,
    step_post_data,
    step_url,
    take_assessment,
)

OVERSIZED = "x" * 10_000


# --- The table: every step x every kind of bad value ---------------------------------------


def _bad_value_cases():
    """(step, case, field overrides) rows; a value of None removes the field from the POST."""
    for step in ALL_STEPS:
        valid = step_post_data(step, EVERY_STEP_ANSWERS)
        for question in step_questions(step):
            name = field_name(step, question)
            if question.required:
                yield step, f"{question.key} missing", {name: None}
            if question.kind == "text":
                yield step, f"{question.key} oversized", {name: OVERSIZED}
                yield step, f"{question.key} with a NUL byte", {name: "a note\x00"}
                continue
            if question.kind == "int":
                yield step, f"{question.key} not a number", {name: "several"}
                yield step, f"{question.key} a number then a word", {name: ["3", "several"]}
            else:
                yield step, f"{question.key} unknown code", {name: "not_a_code"}
                yield step, f"{question.key} code in the wrong case", {name: "YES"}
                yield step, f"{question.key} a NUL byte", {name: "\x00"}
                yield step, f"{question.key} a code with a NUL byte", {name: f"{valid[name]}\x00"}
            yield step, f"{question.key} oversized", {name: OVERSIZED}
            yield step, f"{question.key} empty", {name: ""}
            if question.kind == "one":
                yield step, f"{question.key} a list ending in junk", {name: [valid[name], "junk"]}
            if question.kind == "many":
                yield step, f"{question.key} a list with junk", {name: [*valid[name], "junk"]}
                others = [code for code in question.codes if code != question.exclusive]
                yield (
                    step,
                    f"{question.key} {question.exclusive!r} with {others[0]!r}",
                    {name: [question.exclusive, others[0]]},
                )
        if step != REVIEW_STEP_KEY:
            yield step, "every answer missing", dict.fromkeys(valid)


BAD_VALUE_CASES = list(_bad_value_cases())


@pytest.mark.parametrize(
    ("step", "overrides"),
    [(step, overrides) for step, _, overrides in BAD_VALUE_CASES],
    ids=[f"{step}: {case}" for step, case, _ in BAD_VALUE_CASES],
)
def test_it_shows_a_form_error_page_for_a_bad_value(client, db, step, overrides):
    reach_step(client, step)
    data = {**step_post_data(step, EVERY_STEP_ANSWERS), **overrides}
    data = {key: value for key, value in data.items() if value is not None}

    response = post_step(client, step, data)

    assert_form_error_page(response)
    assert step not in stored_step_data(client)


@pytest.mark.parametrize(
    ("step", "name"), [("scalp", "scalp_open_wounds"), ("hair", "hair_loss_signs")]
)
def test_it_does_not_echo_an_unknown_code_back_into_the_page(client, db, step, name):
    reach_step(client, step)
    data = {**step_post_data(step, EVERY_STEP_ANSWERS), f"{step}-{name}": OVERSIZED}

    response = post_step(client, step, data)

    assert_form_error_page(response)
    assert OVERSIZED not in response.content.decode()
    assert "Select a valid choice" not in response.content.decode()


@pytest.mark.parametrize(
    ("step", "exclusive", "other"),
    [
        ("hair", "none", "sudden"),
        ("technique", "nothing", "serum"),
        ("history", "none", "shedding"),
    ],
)
def test_it_explains_that_an_exclusive_answer_cannot_be_combined(
    client, db, step, exclusive, other
):
    reach_step(client, step)
    (question,) = [q for q in step_questions(step) if q.exclusive == exclusive]
    data = {
        **step_post_data(step, EVERY_STEP_ANSWERS),
        field_name(step, question): [exclusive, other],
    }

    response = post_step(client, step, data)

    assert_form_error_page(response)
    label = question.label_for(exclusive)
    assert (
        f"\u201c{label}\u201d can\u2019t be combined with other answers"
        in response.content.decode()
    )


@pytest.mark.parametrize("step", ALL_STEPS)
def test_it_ignores_unknown_extra_fields(client, db, step):
    reach_step(client, step)
    extras = {
        f"{step}-favourite_colour": "blue",
        "favourite_colour": "blue",
        "scalp-scalp_open_wounds": "yes" if step != "scalp" else "no",
        "wizard_goto_step": "no_such_step",
        "questionnaire_wizard-current_step": "review",
    }
    data = {**step_post_data(step, EVERY_STEP_ANSWERS), **extras}

    response = post_step(client, step, data)

    if step == REVIEW_STEP_KEY:
        assert response.status_code == 302
        (assessment,) = Assessment.objects.all()
        assert response["Location"] == assessment.get_absolute_url()
        assert "favourite_colour" not in assessment.answers
        assert assessment.answers["scalp_open_wounds"] == "no"
    else:
        assert_accepted(response, step)


def test_it_keeps_only_the_steps_own_fields_in_the_session(client, db):
    reach_step(client, "scalp")
    data = {**step_post_data("scalp", EVERY_STEP_ANSWERS), "scalp-favourite_colour": "x" * 100_000}

    assert_accepted(client.post(step_url("scalp"), data), "scalp")

    assert set(stored_step_data(client)["scalp"]) == set(
        step_post_data("scalp", EVERY_STEP_ANSWERS)
    )


# One single-answer question of each kind, from every step that has one.
SINGLE_ANSWER_QUESTIONS = [
    (step, question)
    for step in ALL_STEPS
    for question in step_questions(step)
    if question.kind in ("one", "int", "text")
    and question.key
    in ("scalp_open_wounds", "diagnosis", "age_band", "device_uses", "frequency", "notes")
]


@pytest.mark.parametrize(
    ("step", "question"),
    SINGLE_ANSWER_QUESTIONS,
    ids=[f"{step}: {question.key}" for step, question in SINGLE_ANSWER_QUESTIONS],
)
def test_it_rejects_two_different_answers_to_a_single_answer_question(client, db, step, question):
    reach_step(client, step)
    valid = step_post_data(step, EVERY_STEP_ANSWERS).get(field_name(step, question), "a note")
    other = {"int": "5", "text": "another note"}.get(question.kind)
    other = other or next(code for code in question.codes if code != valid)
    data = {
        **step_post_data(step, EVERY_STEP_ANSWERS),
        field_name(step, question): [other, str(valid)],
    }

    assert_form_error_page(post_step(client, step, data))


# --- How many times the device has been used ------------------------------------------------


@pytest.mark.parametrize(
    "posted",
    ["-1", "1001", "1e3", "3.5", "", "   ", "99999999999999999999", "9" * 5000, "0x10", "½", "NaN"],
)
def test_it_rejects_a_device_use_count_that_is_not_a_whole_number_from_0_to_1000(
    client, db, posted
):
    reach_step(client, "device")
    data = {**step_post_data("device", EVERY_STEP_ANSWERS), "device-device_uses": posted}

    assert_form_error_page(client.post(step_url("device"), data))


@pytest.mark.parametrize(
    ("posted", "saved"),
    [("0", 0), ("1000", 1000), (" 7 ", 7), ("3.0", 3), ("\u0663", 3), ("007", 7)],
)
def test_it_reads_a_device_use_count_that_is_a_whole_number(client, db, posted, saved):
    # Django reads surrounding spaces, a trailing ".0" and non-ASCII digits (here Arabic-Indic
    # three) as the whole number they write; what is saved is that number, never the text.
    # A device used before: a new one from a sealed pack must have 0 uses (rulebook 2026.12).
    answers = {**SAFE_ANSWERS, "device_condition": "reused_disinfected", "device_uses": posted}
    assessment = take_assessment(client, answers)

    assert assessment.answers["device_uses"] == saved
    assert type(assessment.answers["device_uses"]) is int
