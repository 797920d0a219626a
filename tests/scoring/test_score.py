"""assessments.scoring: levels, hard stops, consult flag, normalised answers, snapshots.

Pure tests: no database, no Django. Beside this file: per-rule tables (test_rules.py), the
rulebook's consistency (test_rulebook_consistency.py), what would lower the risk
(test_lower_risk.py), the safe-use checklist (test_checklist.py), input errors
(test_input_errors.py) and Hypothesis properties (test_properties.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assessments import rulebook
from assessments.scoring import Result, score, validate
from tests.support.answers import SAFE_ANSWERS, answers, fired

# The safest complete answer set: it fires no rule at all. Every other test changes it a little.
SAFEST = SAFE_ANSWERS


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


@pytest.mark.system
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
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
