"""The rulebook's internal consistency: codes that exist, safer answers that remove their rule,
texts and labels for everything, steps and questions complete. Pure: no Django.
"""

import pytest

from assessments import rulebook
from tests.support.answers import SAFE_ANSWERS as SAFEST
from tests.support.answers import conditions


def _checkconditions(predicate):
    for kind, key, codes in conditions(predicate):
        question = rulebook.QUESTIONS[key]
        assert question.kind == kind, key
        if kind == "int":
            assert question.min_value <= codes <= question.max_value
        else:
            assert codes, key
            assert set(codes) <= set(question.codes), (key, codes)


@pytest.mark.parametrize("rule", rulebook.RULES, ids=lambda rule: rule.id)
def test_it_only_refers_to_codes_that_exist(rule):
    _checkconditions(rule.fires)


def test_it_only_ticks_checklist_items_on_codes_that_exist():
    for item in rulebook.CHECKLIST:
        if item.id != "warning_signs":
            _checkconditions(item.met)
    assert [item.id for item in rulebook.CHECKLIST] == [
        "needle",
        "own_clean_device",
        "light_pressure",
        "no_serums",
        "minoxidil_wait",
        "warning_signs",
    ]


def test_it_gives_stop_rules_zero_points_and_other_rules_positive_points():
    for rule in rulebook.RULES:
        assert isinstance(rule.severity, rulebook.Severity), rule.id
        assert (rule.points == 0) is (rule.severity == "stop"), rule.id
        if rule.severity == "stop":
            assert rule.consult, rule.id


def test_it_writes_a_title_why_and_advice_for_every_rule():
    for rule in rulebook.RULES:
        assert rule.title and rule.why and rule.advice, rule.id
        assert "\n" not in rule.title, rule.id


def test_it_has_labels_for_every_level_and_severity():
    assert set(rulebook.Level) == {"low", "moderate", "high"}
    assert all(level.label for level in rulebook.Level)
    assert all(severity.label for severity in rulebook.Severity)


def test_it_asks_the_steps_in_rulebook_order():
    assert [step.key for step in rulebook.STEPS] == [
        "scalp",
        "hair",
        "health",
        "device",
        "technique",
        "history",
    ]
    assert [q.key for q in rulebook.STEPS[-1].questions] == ["past_reactions", "reaction_now"]
    asked = [q.key for step in rulebook.STEPS for q in step.questions]
    assert asked == list(SAFEST) + ["past_reactions", "reaction_now"]
    assert list(rulebook.QUESTIONS) == asked + ["notes"]


def test_it_offers_notes_once_outside_every_step():
    notes = rulebook.NOTES
    assert rulebook.QUESTIONS["notes"] is notes
    assert (notes.kind, notes.required, notes.max_length) == ("text", False, 1000)
    assert all(notes not in step.questions for step in rulebook.STEPS)


def test_it_describes_every_question_completely():
    for question in rulebook.QUESTIONS.values():
        assert question.kind in rulebook.QUESTION_KINDS
        assert question.text.strip()
        assert len(set(question.codes)) == len(question.codes), question.key
        assert all(choice.label for choice in question.choices), question.key
        if question.kind in ("one", "many"):
            assert len(question.choices) >= 2, question.key
        if question.exclusive is not None:
            assert question.kind == "many" and question.exclusive in question.codes
    assert rulebook.QUESTIONS["hair_loss_signs"].exclusive == "none"
    assert rulebook.QUESTIONS["past_reactions"].exclusive == "none"
    assert rulebook.QUESTIONS["aftercare"].exclusive == "nothing"
    uses = rulebook.QUESTIONS["device_uses"]
    assert (uses.kind, uses.min_value, uses.max_value) == ("int", 0, 1000)


def test_it_gives_a_label_for_a_code_and_the_code_itself_when_unknown():
    needle = rulebook.QUESTIONS["needle_length"]
    assert needle.label_for("0_3_to_0_5") == "0.3\u20130.5 mm"
    assert needle.label_for("0_2_mm") == "0_2_mm"
    assert rulebook.QUESTIONS["keloid"].label_for("not_sure") == "Not sure"


def test_it_shows_the_history_step_only_to_returning_users():
    assert rulebook.step_is_shown("history", {"used_before": "yes"})
    assert not rulebook.step_is_shown("history", {"used_before": "no"})
    assert not rulebook.step_is_shown("history", {})
    for key in rulebook.ALWAYS_SHOWN_STEP_KEYS:
        assert rulebook.step_is_shown(key, {})
    assert "history" not in rulebook.ALWAYS_SHOWN_STEP_KEYS
    with pytest.raises(KeyError):
        rulebook.step_is_shown("histroy", {"used_before": "yes"})


def test_it_states_the_status_notice_word_for_word():
    assert rulebook.STATUS_NOTICE == (
        "Not a diagnosis. This rulebook has not been clinically validated; it summarises "
        "published evidence and needs review by a clinician before clinical use."
    )
