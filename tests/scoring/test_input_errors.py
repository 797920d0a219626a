"""assessments.scoring rejects anything rulebook 2026.12 does not allow, naming key and value."""

import pytest

from assessments import rulebook
from assessments.scoring import AnswerError, score, validate
from tests.support.answers import SAFE_ANSWERS as SAFEST
from tests.support.answers import answers


def assert_rejected(given, key, value):
    with pytest.raises(AnswerError) as caught:
        score(given)
    error = caught.value
    assert (error.key, error.value) == (key, value)
    assert repr(key) in str(error)
    assert repr(value) in str(error)
    assert isinstance(error, ValueError)


def test_it_rejects_an_unknown_key():
    assert_rejected(answers(favourite_colour="blue"), "favourite_colour", "blue")


def test_it_rejects_a_key_that_is_not_a_string():
    assert_rejected({**SAFEST, 7: "yes"}, 7, "yes")


@pytest.mark.parametrize("key", list(SAFEST))
def test_it_rejects_a_missing_required_answer(key):
    given = {k: v for k, v in SAFEST.items() if k != key}
    assert_rejected(given, key, None)


def test_it_rejects_missing_past_reactions_from_a_returning_user():
    assert_rejected(answers(used_before="yes"), "past_reactions", None)


def test_it_accepts_missing_past_reactions_from_a_first_time_user():
    assert validate(answers(used_before="no"))["past_reactions"] == ["none"]


@pytest.mark.parametrize("value", ["maybe", "YES", "", " yes", 1, None, True, ["yes"]])
def test_it_rejects_a_single_choice_that_is_not_a_listed_code(value):
    assert_rejected(answers(bleeding_risk=value), "bleeding_risk", value)


def test_it_rejects_a_code_from_another_question():
    # "flare" is a real code, but not for needle_length.
    assert_rejected(answers(needle_length="flare"), "needle_length", "flare")


@pytest.mark.parametrize("value", ["none", None, {"none"}, 3, {"none": True}])
def test_it_rejects_a_multiple_choice_that_is_not_a_list(value):
    assert_rejected(answers(hair_loss_signs=value), "hair_loss_signs", value)


@pytest.mark.parametrize("key", ["hair_loss_signs", "aftercare"])
@pytest.mark.parametrize("empty", [[], ()])
def test_it_rejects_an_empty_multiple_choice(key, empty):
    assert_rejected(answers(**{key: empty}), key, empty)


def test_it_rejects_empty_past_reactions():
    given = answers(used_before="yes", past_reactions=[], reaction_now="no")
    assert_rejected(given, "past_reactions", [])


@pytest.mark.parametrize("code", ["sunburn", "NONE", 1, None, ["sudden"]])
def test_it_rejects_an_unlisted_code_in_a_multiple_choice(code):
    assert_rejected(answers(hair_loss_signs=["sudden", code]), "hair_loss_signs", code)


@pytest.mark.parametrize(
    ("key", "value", "extra"),
    [
        ("hair_loss_signs", ["none", "sudden"], {}),
        ("hair_loss_signs", ["patches", "none"], {}),
        ("aftercare", ["nothing", "serum"], {}),
        ("aftercare", ("minoxidil_after_24h", "nothing"), {}),
        ("past_reactions", ["none", "shedding"], {"used_before": "yes", "reaction_now": "no"}),
    ],
)
def test_it_rejects_an_exclusive_code_combined_with_others(key, value, extra):
    assert_rejected(answers(**{key: value}, **extra), key, value)


def test_it_accepts_an_exclusive_code_given_twice():
    assert validate(answers(aftercare=["nothing", "nothing"]))["aftercare"] == ["nothing"]


@pytest.mark.parametrize("value", [True, False, 1.0, 3.5, "3", None, -1, 1001, 10**9, [3]])
def test_it_rejects_device_uses_that_are_not_a_whole_number_from_0_to_1000(value):
    assert_rejected(answers(device_uses=value), "device_uses", value)


@pytest.mark.parametrize("value", [0, 1, 999, 1000])
def test_it_accepts_device_uses_from_0_to_1000(value):
    # A device used before (2026.12 rejects uses for one from a sealed sterile pack).
    given = answers(device_uses=value, device_condition="reused_disinfected")
    assert validate(given)["device_uses"] == value


@pytest.mark.parametrize("value", [123, None, b"notes", ["a note"]])
def test_it_rejects_notes_that_are_not_text(value):
    assert_rejected(answers(notes=value), "notes", value)


def test_it_rejects_notes_over_1000_characters():
    too_long = "x" * 1001
    assert_rejected(answers(notes=too_long), "notes", too_long)


@pytest.mark.parametrize("notes", ["", "x" * 1000, "\u00e9" * 1000])
def test_it_accepts_notes_up_to_1000_characters(notes):
    assert validate(answers(notes=notes))["notes"] == notes


def test_it_rejects_answers_that_are_not_a_mapping():
    with pytest.raises(TypeError):
        score(list(SAFEST.items()))


def test_it_names_the_first_bad_answer_in_rulebook_order():
    # Errors are deterministic: the earliest question in the rulebook is reported first.
    given = answers(device_uses=-5, scalp_open_wounds="perhaps")
    assert_rejected(given, "scalp_open_wounds", "perhaps")


def test_it_accepts_every_listed_code_of_every_question():
    for question in rulebook.QUESTIONS.values():
        for code in question.codes:
            value = [code] if question.kind == "many" else code
            extra = {"used_before": "yes", "reaction_now": "no"}
            if question.key != "past_reactions":
                extra = {}
            if (question.key, code) == ("used_before", "yes"):
                extra = {"past_reactions": ["none"], "reaction_now": "no"}
            assert validate(answers(**{question.key: value}, **extra))[question.key] == value
