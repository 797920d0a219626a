"""assessments.scoring: what would lower my risk (safer answers, rescored and ordered). Pure."""

import pytest

from assessments import rulebook
from assessments.scoring import score, validate
from tests.support.answers import SAFE_ANSWERS, answers

SAFEST = SAFE_ANSWERS


def suggestion_for(result, rule_id):
    matches = [s for s in result.lower_risk if s.rule_id == rule_id]
    assert len(matches) == 1, f"expected one suggestion for {rule_id}, got {result.lower_risk}"
    return matches[0]


MODIFIABLE = {
    "R-IRRITATED",
    "R-PEN",
    "R-NEEDLE-MEDIUM",
    "R-NEEDLE-LONG",
    "R-NEEDLE-CLINICAL",
    "R-NEEDLE-UNKNOWN",
    "R-RINSED-ONLY",
    "R-NOT-CLEANED",
    "R-WORN",
    "R-SHARED",
    "R-DAILY",
    "R-FREQUENT-SHORT",
    "R-FREQUENT-LONG",
    "R-PINPOINT",
    "R-HARD",
    "R-PRESSURE-UNSURE",
    "R-MINOXIDIL-IMMEDIATE",
    "R-SERUM",
    "R-INJECTABLE",
}


def test_it_has_safer_answers_for_exactly_the_modifiable_rules():
    assert {rule.id for rule in rulebook.RULES if rule.safer} == MODIFIABLE


@pytest.mark.parametrize(
    ("changes", "rule_id", "points", "level"),
    [
        ({"scalp_irritated": "yes"}, "R-IRRITATED", 0, "low"),
        ({"device_type": "pen", "metal_allergy": "yes"}, "R-PEN", 3, "low"),
        ({"needle_length": "0_6_to_1_0"}, "R-NEEDLE-MEDIUM", 0, "low"),
        ({"needle_length": "1_1_to_1_5"}, "R-NEEDLE-LONG", 0, "low"),
        ({"needle_length": "unknown"}, "R-NEEDLE-UNKNOWN", 0, "low"),
        # The shorter needle at 2-3 a week swaps FREQUENT-LONG (3) for FREQUENT-SHORT (1).
        (
            {"needle_length": "1_1_to_1_5", "frequency": "2_3_per_week"},
            "R-NEEDLE-LONG",
            1,
            "low",
        ),
        ({"device_condition": "reused_rinsed"}, "R-RINSED-ONLY", 0, "low"),
        ({"device_condition": "reused_not_cleaned"}, "R-NOT-CLEANED", 0, "low"),
        # A new device also clears the cleaning rule.
        ({"device_uses": 40, "device_condition": "reused_rinsed"}, "R-WORN", 0, "low"),
        ({"frequency": "daily", "pressure": "not_sure"}, "R-DAILY", 1, "low"),
        ({"frequency": "2_3_per_week"}, "R-FREQUENT-SHORT", 0, "low"),
        (
            {"frequency": "2_3_per_week", "needle_length": "0_6_to_1_0"},
            "R-FREQUENT-LONG",
            3,
            "low",
        ),
        ({"pressure": "pinpoint_bleeding"}, "R-PINPOINT", 0, "low"),
        ({"pressure": "hard_bleeding", "frequency": "daily"}, "R-HARD", 4, "moderate"),
        ({"pressure": "not_sure"}, "R-PRESSURE-UNSURE", 0, "low"),
        ({"aftercare": ["minoxidil_immediately"]}, "R-MINOXIDIL-IMMEDIATE", 0, "low"),
        # Waiting 24 h still fires R-HEART-MINOXIDIL (3, consult) for a heart condition.
        (
            {"aftercare": ["minoxidil_immediately"], "heart_condition": "yes"},
            "R-MINOXIDIL-IMMEDIATE",
            3,
            "low",
        ),
        ({"aftercare": ["serum", "prp_or_injectable"]}, "R-SERUM", 4, "moderate"),
        ({"aftercare": ["prp_or_injectable"]}, "R-INJECTABLE", 0, "low"),
    ],
)
def test_it_rescores_each_safer_answer(changes, rule_id, points, level):
    result = score(answers(**changes))
    suggestion = suggestion_for(result, rule_id)
    assert suggestion.change == rulebook.RULES_BY_ID[rule_id].safer.change
    assert (suggestion.points, suggestion.level) == (points, level)
    assert suggestion.points < result.points


def test_it_shows_the_way_out_of_a_clinical_needle_stop():
    result = score(answers(needle_length="over_1_5", pressure="pinpoint_bleeding"))
    assert result.hard_stop
    suggestion = suggestion_for(result, "R-NEEDLE-CLINICAL")
    assert (suggestion.hard_stop, suggestion.level, suggestion.points) == (False, "low", 2)
    assert not suggestion.consult_professional
    assert result.lower_risk[0] == suggestion


def test_it_shows_the_way_out_of_a_shared_device_stop():
    result = score(
        answers(device_shared="not_sure", device_condition="reused_not_cleaned", device_uses=30)
    )
    assert (result.points, result.hard_stop) == (7, True)
    suggestion = suggestion_for(result, "R-SHARED")
    assert (suggestion.hard_stop, suggestion.points, suggestion.level) == (False, 0, "low")
    assert result.lower_risk[0] == suggestion


def test_it_orders_suggestions_with_the_largest_drop_first():
    result = score(
        answers(needle_length="over_1_5", frequency="daily", device_type="pen", pressure="not_sure")
    )
    assert (result.points, result.hard_stop) == (7, True)
    # Out of the stop first; then the remaining stops by fewest points left.
    assert [s.rule_id for s in result.lower_risk] == [
        "R-NEEDLE-CLINICAL",
        "R-DAILY",
        "R-PEN",
        "R-PRESSURE-UNSURE",
    ]
    assert [s.points for s in result.lower_risk] == [7, 3, 5, 6]


def test_it_orders_suggestions_without_a_stop_by_points_left():
    result = score(
        answers(device_condition="reused_not_cleaned", pressure="hard_bleeding", device_uses=15)
    )
    assert (result.points, result.level) == (11, "high")
    # A new device (R-WORN's fix) also clears the cleaning rule, so it drops the most.
    assert [(s.rule_id, s.level, s.points) for s in result.lower_risk] == [
        ("R-WORN", "moderate", 4),
        ("R-NOT-CLEANED", "moderate", 6),
        ("R-HARD", "moderate", 7),
    ]


def test_it_breaks_ties_in_rulebook_order():
    result = score(answers(pressure="pinpoint_bleeding", device_type="pen", scalp_irritated="yes"))
    assert [s.rule_id for s in result.lower_risk] == ["R-IRRITATED", "R-PEN", "R-PINPOINT"]
    assert {s.points for s in result.lower_risk} == {4}


@pytest.mark.parametrize(
    "changes",
    [
        {"scalp_inflammatory": "history"},
        {"diagnosis": "not_diagnosed"},
        {"keloid": "yes"},
        {"heart_condition": "yes", "aftercare": ["minoxidil_after_24h"]},
        {"used_before": "yes", "past_reactions": ["shedding"], "reaction_now": "no"},
        {"age_band": "under_18"},
    ],
)
def test_it_suggests_nothing_for_rules_without_a_safer_answer(changes):
    result = score(answers(**changes))
    assert result.factors
    assert result.lower_risk == ()


def test_it_replaces_immediate_minoxidil_without_a_duplicate():
    apply = rulebook.RULES_BY_ID["R-MINOXIDIL-IMMEDIATE"].safer.apply
    safer = apply(validate(answers(aftercare=["minoxidil_immediately", "minoxidil_after_24h"])))
    assert safer["aftercare"] == ["minoxidil_after_24h"]


@pytest.mark.parametrize(
    ("rule_id", "aftercare", "left"),
    [
        ("R-SERUM", ["serum"], ["nothing"]),
        ("R-SERUM", ["plain_moisturiser_or_saline", "serum"], ["plain_moisturiser_or_saline"]),
        ("R-INJECTABLE", ["prp_or_injectable"], ["nothing"]),
        ("R-INJECTABLE", ["serum", "prp_or_injectable"], ["serum"]),
    ],
)
def test_it_drops_the_product_and_falls_back_to_nothing(rule_id, aftercare, left):
    clean = validate(answers(aftercare=aftercare))
    assert rulebook.RULES_BY_ID[rule_id].safer.apply(clean)["aftercare"] == left
    assert clean["aftercare"] == sorted(aftercare, key=rulebook.QUESTIONS["aftercare"].codes.index)


def test_it_replaces_a_worn_or_shared_device_with_a_new_one():
    clean = validate(answers(device_uses=99, device_condition="reused_rinsed", device_shared="yes"))
    worn = rulebook.RULES_BY_ID["R-WORN"].safer.apply(clean)
    shared = rulebook.RULES_BY_ID["R-SHARED"].safer.apply(clean)
    assert (worn["device_uses"], worn["device_condition"], worn["device_shared"]) == (
        0,
        "new_sterile",
        "yes",
    )
    assert (shared["device_uses"], shared["device_condition"], shared["device_shared"]) == (
        0,
        "new_sterile",
        "no",
    )
    assert clean["device_uses"] == 99, "apply must not change its input"


def test_it_tells_people_with_an_unknown_needle_to_check_the_packaging():
    assert "packaging" in rulebook.RULES_BY_ID["R-NEEDLE-UNKNOWN"].safer.change
