"""assessments.scoring: levels, hard stops, consult flag, suggestions, checklist, snapshots.

Pure tests: no database, no Django. Per-rule tables live in test_scoring_rules.py, input errors
in test_scoring_input_errors.py and Hypothesis properties in test_scoring_properties.py; the
answer helpers below are shared with them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assessments import rulebook
from assessments.scoring import Result, score, validate
from tests.answers import SAFE_ANSWERS

# The safest complete answer set: it fires no rule at all. Every other test changes it a little.
# The shared answer set that fires no rule.
SAFEST = SAFE_ANSWERS


def answers(**changes):
    """SAFEST with some answers changed; a fresh dict every time."""
    return {**SAFEST, **changes}


def fired(result):
    return {factor.rule_id for factor in result.factors}


def suggestion_for(result, rule_id):
    matches = [s for s in result.lower_risk if s.rule_id == rule_id]
    assert len(matches) == 1, f"expected one suggestion for {rule_id}, got {result.lower_risk}"
    return matches[0]


# --- Baseline and bands ---------------------------------------------------------------------


def test_it_fires_nothing_for_the_safest_answers():
    result = score(SAFEST)
    assert result.factors == ()
    assert (result.points, result.level) == (0, "low")
    assert not result.hard_stop
    assert not result.consult_professional
    assert result.lower_risk == ()
    assert result.rulebook_version == rulebook.VERSION == "2026.12"


@pytest.mark.parametrize(
    ("changes", "points", "level", "consult"),
    [
        # R-METAL (3)
        ({"metal_allergy": "yes"}, 3, "low", False),
        # R-METAL (3) + R-RECENT-TRIGGER (1)
        ({"metal_allergy": "yes", "recent_trigger": "yes"}, 4, "moderate", False),
        # R-METAL (3) + R-RINSED-ONLY (4)
        ({"metal_allergy": "yes", "device_condition": "reused_rinsed"}, 7, "moderate", False),
        # R-RINSED-ONLY (4) + R-DAILY (4): high through points alone sets the flag.
        ({"device_condition": "reused_rinsed", "frequency": "daily"}, 8, "high", True),
    ],
    ids=["3-low", "4-moderate", "7-moderate", "8-high"],
)
def test_it_puts_band_edges_in_the_right_level(changes, points, level, consult):
    result = score(answers(**changes))
    assert not any(f.consult for f in result.factors), "edges must not depend on consult rules"
    assert (result.points, result.level, result.consult_professional) == (points, level, consult)


# --- Hard stops and the consult flag --------------------------------------------------------


def test_it_makes_a_hard_stop_with_no_other_points_high_and_flagged():
    result = score(answers(age_band="under_18"))
    assert result.points == 0
    assert result.hard_stop
    assert result.level == "high"
    assert result.consult_professional


def test_it_keeps_a_hard_stop_high_whatever_else_is_added():
    result = score(
        answers(
            device_shared="yes",
            device_condition="reused_not_cleaned",
            device_uses=200,
            frequency="daily",
            pressure="hard_bleeding",
            aftercare=["serum", "prp_or_injectable"],
        )
    )
    assert result.points == 5 + 2 + 4 + 4 + 4 + 4
    assert result.hard_stop
    assert (result.level, result.consult_professional) == ("high", True)


def test_it_does_not_let_a_hard_stop_be_outweighed_by_low_points():
    result = score(answers(suspicious_lesion="yes", recent_trigger="yes"))
    assert result.points == 1
    assert result.level == "high"


@pytest.mark.parametrize(
    ("key", "sibling", "stop"),
    [
        ("age_band", "18_21", "under_18"),
        ("scalp_inflammatory", "history", "flare"),
        ("needle_length", "1_1_to_1_5", "over_1_5"),
    ],
)
def test_it_may_total_fewer_points_when_a_stop_replaces_a_sibling_answer(key, sibling, stop):
    # Stops carry 0 points (rulebook section 2), so the total is not monotonic across
    # mutually exclusive answers; the level and the flag are.
    with_points = score(answers(**{key: sibling}, device_shared="yes"))
    with_stop = score(answers(**{key: stop}, device_shared="yes"))
    assert with_stop.points < with_points.points
    assert with_stop.level == with_points.level == "high"
    assert with_stop.consult_professional and with_points.consult_professional


def test_it_flags_a_consult_rule_even_at_a_low_level():
    result = score(answers(diagnosis="other_diagnosis"))
    assert (result.points, result.level, result.hard_stop) == (3, "low", False)
    assert result.consult_professional
    assert [f.rule_id for f in result.consult_reasons] == ["R-OTHER-DIAGNOSIS"]


def test_it_does_not_flag_a_moderate_level_without_consult_rules():
    result = score(answers(device_condition="reused_rinsed", pressure="not_sure"))
    assert (result.points, result.level) == (5, "moderate")
    assert not result.consult_professional
    assert result.consult_reasons == ()


def test_it_gives_every_factor_as_the_reason_when_only_the_total_is_high():
    result = score(answers(device_condition="reused_rinsed", frequency="daily"))
    assert result.consult_professional
    assert result.consult_reasons == result.factors


def test_it_gives_only_stop_and_consult_factors_as_reasons_when_there_are_some():
    result = score(answers(device_shared="not_sure", frequency="daily", bleeding_risk="yes"))
    # In display order (2026.12): the stop before the high-severity rule.
    assert [f.rule_id for f in result.consult_reasons] == ["R-SHARED", "R-BLEEDING"]


def test_it_lists_factors_by_severity_before_rulebook_order():
    # 2026.12 "Order of the factors": high, then caution, then info (rule order was 2026.11's).
    result = score(answers(pressure="hard_bleeding", scalp_irritated="yes", age_band="18_21"))
    assert [f.rule_id for f in result.factors] == ["R-HARD", "R-IRRITATED", "R-YOUNG-ADULT"]


# --- Combination rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heart", "aftercare", "fires"),
    [
        ("yes", ["minoxidil_immediately"], True),
        ("yes", ["minoxidil_after_24h"], True),
        ("yes", ["minoxidil_immediately", "minoxidil_after_24h"], True),
        ("yes", ["plain_moisturiser_or_saline"], False),
        ("yes", ["nothing"], False),
        ("no", ["minoxidil_immediately"], False),
        ("no", ["minoxidil_after_24h"], False),
    ],
)
def test_it_fires_heart_minoxidil_only_for_a_heart_condition_with_minoxidil(
    heart, aftercare, fires
):
    result = score(answers(heart_condition=heart, aftercare=aftercare))
    assert ("R-HEART-MINOXIDIL" in fired(result)) is fires


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        # 2026.12: 0.25 mm or shorter at 2-3 times a week fires no frequency rule.
        ("up_to_0_25", set()),
        ("0_3_to_0_5", {"R-FREQUENT-SHORT"}),
        ("0_6_to_1_0", {"R-FREQUENT-LONG", "R-NEEDLE-MEDIUM"}),
        ("1_1_to_1_5", {"R-FREQUENT-LONG", "R-NEEDLE-LONG"}),
        ("over_1_5", {"R-FREQUENT-LONG", "R-NEEDLE-CLINICAL"}),
        ("unknown", {"R-FREQUENT-LONG", "R-NEEDLE-UNKNOWN"}),
    ],
)
def test_it_picks_the_frequent_rule_by_needle_length_at_two_to_three_times_a_week(needle, expected):
    assert fired(score(answers(frequency="2_3_per_week", needle_length=needle))) == expected


@pytest.mark.parametrize("needle", rulebook.QUESTIONS["needle_length"].codes)
@pytest.mark.parametrize("frequency", ["daily", "weekly", "every_2_weeks", "monthly_or_less"])
def test_it_fires_no_frequent_rule_at_other_frequencies(needle, frequency):
    result = score(answers(frequency=frequency, needle_length=needle))
    assert not fired(result) & {"R-FREQUENT-SHORT", "R-FREQUENT-LONG"}


# --- The skipped history step ---------------------------------------------------------------


def test_it_counts_skipped_past_reactions_as_none():
    result = score(answers(used_before="no"))
    assert result.answers["past_reactions"] == ["none"]
    assert result.factors == ()


def test_it_scores_past_reactions_given_by_a_first_time_user():
    # Interpretation 2: a reported reaction counts even if used_before says "no".
    result = score(answers(used_before="no", past_reactions=["infection_signs"]))
    assert fired(result) == {"R-PAST-SERIOUS"}


def test_it_scores_past_reactions_of_a_returning_user():
    result = score(answers(used_before="yes", past_reactions=["none"], reaction_now="no"))
    assert result.factors == ()


# --- Normalised answers ---------------------------------------------------------------------


def test_it_normalises_many_answers_to_rulebook_order_without_duplicates():
    clean = validate(answers(aftercare=("serum", "minoxidil_after_24h", "serum"), notes="Thanks"))
    assert clean["aftercare"] == ["minoxidil_after_24h", "serum"]
    assert clean["notes"] == "Thanks"


def test_it_normalises_absent_notes_to_an_empty_string():
    assert validate(SAFEST)["notes"] == ""


def test_it_does_not_change_the_answers_it_was_given():
    given = answers(aftercare=["serum"], device_shared="yes")
    before = json.dumps(given, sort_keys=True)
    score(given)
    assert json.dumps(given, sort_keys=True) == before


def test_it_gives_the_same_result_twice():
    given = answers(frequency="2_3_per_week", needle_length="unknown", pressure="not_sure")
    assert score(given) == score(given)


# --- What would lower my risk ---------------------------------------------------------------


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


# --- Safe-use checklist ---------------------------------------------------------------------


def ticks(result):
    return {tick.id: tick.met for tick in result.checklist}


def test_it_ticks_every_checklist_item_the_safest_answers_meet():
    assert ticks(score(SAFEST)) == {
        "needle": True,
        "own_clean_device": True,
        "light_pressure": True,
        "no_serums": True,
        "minoxidil_wait": True,
        "warning_signs": None,
    }
    assert [tick.text for tick in score(SAFEST).checklist] == [
        item.text for item in rulebook.CHECKLIST
    ]


@pytest.mark.parametrize(
    ("changes", "item", "met"),
    [
        ({"needle_length": "up_to_0_25"}, "needle", True),
        ({"needle_length": "0_6_to_1_0"}, "needle", False),
        ({"needle_length": "unknown"}, "needle", False),
        ({"device_condition": "reused_disinfected"}, "own_clean_device", True),
        ({"device_condition": "reused_rinsed"}, "own_clean_device", False),
        ({"device_shared": "not_sure"}, "own_clean_device", False),
        ({"pressure": "not_sure"}, "light_pressure", False),
        ({"aftercare": ["serum"]}, "no_serums", False),
        ({"aftercare": ["prp_or_injectable"]}, "no_serums", False),
        ({"aftercare": ["minoxidil_immediately"]}, "minoxidil_wait", False),
        ({"aftercare": ["minoxidil_after_24h"]}, "minoxidil_wait", True),
        ({"aftercare": ["nothing"]}, "minoxidil_wait", True),
        (
            {"used_before": "yes", "past_reactions": ["track_marks"], "reaction_now": "no"},
            "warning_signs",
            None,
        ),
    ],
)
def test_it_ticks_checklist_items_from_the_answers(changes, item, met):
    assert ticks(score(answers(**changes)))[item] is met


# --- Snapshot -------------------------------------------------------------------------------


def test_it_snapshots_a_result_as_json_that_round_trips():
    result = score(
        answers(
            device_shared="yes",
            aftercare=["minoxidil_immediately", "serum"],
            heart_condition="yes",
            notes="Allergic to plasters \u2013 and \u201cquotes\u201d.",
        )
    )
    snapshot = result.to_dict()
    loaded = json.loads(json.dumps(snapshot))
    assert loaded == snapshot
    assert Result.from_dict(loaded) == result
    assert Result.from_dict(loaded).to_dict() == snapshot
    # The stop comes first in display order (2026.12); R-HEART-MINOXIDIL cites S30 first.
    heart = next(f for f in snapshot["factors"] if f["rule_id"] == "R-HEART-MINOXIDIL")
    assert heart["sources"][0] == {
        "id": "S30",
        "citation": rulebook.SOURCES["S30"].citation,
    }


def test_it_snapshots_a_copy_of_the_answers():
    result = score(SAFEST)
    snapshot = result.to_dict()
    snapshot["answers"]["aftercare"].append("serum")
    assert result.answers["aftercare"] == ["plain_moisturiser_or_saline"]


# --- Purity ---------------------------------------------------------------------------------


def test_it_imports_without_django():
    code = (
        "import sys\n"
        "from assessments.scoring import score\n"
        "import assessments.rulebook\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    completed = subprocess.run(  # noqa: S603 - fixed interpreter and code, no shell
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
