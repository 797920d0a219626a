"""Rulebook 2026.12 "All the changes together", and snapshots of it.

Pure tests: no database, no Django.
"""

import json

import pytest

from assessments import rulebook
from assessments.rulebook import Disposition
from assessments.scoring import AllChanges, Result, score, validate
from tests.support.answers import answers


def together(**changes) -> AllChanges:
    result = score(answers(**changes))
    assert result.all_changes is not None
    return result.all_changes


def test_a_new_device_of_your_own_clears_cleaning_wear_and_sharing_together():
    # R-RINSED-ONLY (4) + R-WORN (2) + R-SHARED (stop): the later changes of the device
    # answers replace the earlier ones, ending with a new sterile device nobody else used.
    result = score(answers(device_condition="reused_rinsed", device_uses=20, device_shared="yes"))
    assert {f.rule_id for f in result.factors} == {"R-RINSED-ONLY", "R-WORN", "R-SHARED"}
    assert result.disposition is Disposition.STOP
    assert result.all_changes == AllChanges(
        points=0,
        level="low",
        hard_stop=False,
        consult_professional=False,
        disposition=Disposition.GO_AHEAD,
        remaining_stops=(),
    )


def test_a_worn_device_that_was_not_cleaned_becomes_a_new_one():
    all_changes = together(device_condition="reused_not_cleaned", device_uses=40)
    assert (all_changes.points, all_changes.disposition) == (0, Disposition.GO_AHEAD)


def test_the_aftercare_changes_combine():
    # R-MINOXIDIL-IMMEDIATE (2) + R-SERUM (4) + R-INJECTABLE (4) = 10: high, consult.
    result = score(answers(aftercare=["minoxidil_immediately", "serum", "prp_or_injectable"]))
    assert (result.points, result.disposition) == (10, Disposition.CONSULT)
    all_changes = result.all_changes
    assert (all_changes.points, all_changes.level) == (0, "low")
    assert all_changes.disposition is Disposition.GO_AHEAD
    # Each change alone leaves the others.
    assert min(s.points for s in result.lower_risk) == 6


def test_a_heart_condition_keeps_its_minoxidil_rule_after_all_the_changes():
    all_changes = together(
        heart_condition="yes", aftercare=["minoxidil_immediately", "serum", "prp_or_injectable"]
    )
    # minoxidil_after_24h is left, so R-HEART-MINOXIDIL (3, consult) still fires.
    assert (all_changes.points, all_changes.level) == (3, "low")
    assert all_changes.disposition is Disposition.CONSULT


def test_dropping_every_product_leaves_nothing():
    clean = validate(answers(aftercare=["serum", "prp_or_injectable"]))
    assert score(clean).all_changes.points == 0
    after = clean
    for rule_id in ["R-SERUM", "R-INJECTABLE"]:
        after = rulebook.RULES_BY_ID[rule_id].safer.apply(after)
    assert after["aftercare"] == ["nothing"]


def test_a_stop_that_no_answer_can_change_remains():
    all_changes = together(scalp_open_wounds="yes", frequency="daily", device_shared="not_sure")
    assert all_changes.remaining_stops == ("R-SCALP-OPEN",)
    assert (all_changes.points, all_changes.level, all_changes.hard_stop) == (0, "high", True)
    assert all_changes.disposition is Disposition.STOP


def test_a_reaction_now_stays_urgent_after_all_the_changes():
    all_changes = together(reaction_now="yes", device_type="pen", pressure="hard_bleeding")
    assert all_changes.remaining_stops == ("R-REACTION-NOW",)
    assert all_changes.disposition is Disposition.URGENT


def test_the_longest_needle_and_its_frequency_change_together():
    # R-NEEDLE-CLINICAL (stop) + R-FREQUENT-LONG (3): a 0.3-0.5 mm needle once a week.
    all_changes = together(needle_length="over_1_5", frequency="2_3_per_week")
    assert (all_changes.points, all_changes.remaining_stops) == (0, ())
    assert all_changes.disposition is Disposition.GO_AHEAD


@pytest.mark.parametrize(
    "changes",
    [{}, {"keloid": "yes"}, {"age_band": "under_18"}, {"diagnosis": "not_diagnosed"}],
    ids=["nothing-fires", "keloid", "minor", "undiagnosed"],
)
def test_there_is_nothing_to_show_without_a_fired_rule_that_has_a_safer_answer(changes):
    assert score(answers(**changes)).all_changes is None


def test_all_the_changes_together_round_trip_through_a_snapshot():
    result = score(answers(device_shared="yes", scalp_open_wounds="yes", pressure="not_sure"))
    snapshot = json.loads(json.dumps(result.to_dict()))
    assert snapshot["disposition"] == "stop"
    assert snapshot["all_changes"] == {
        "points": 0,
        "level": "high",
        "hard_stop": True,
        "consult_professional": True,
        "disposition": "stop",
        "remaining_stops": ["R-SCALP-OPEN"],
    }
    assert [s["disposition"] for s in snapshot["lower_risk"]] == ["stop", "stop"]
    assert Result.from_dict(snapshot) == result
    assert score(answers()).to_dict()["all_changes"] is None
