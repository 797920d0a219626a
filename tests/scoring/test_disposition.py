"""Rulebook 2026.12 in assessments.scoring: reaction_now, the disposition, the factors' order,
"What to do first", "What would lower my risk" lines, and the new input error.

Pure tests: no database, no Django.
"""

import pytest

from assessments import rulebook
from assessments.rulebook import Disposition
from assessments.scoring import AnswerError, score, validate
from tests.support.answers import answers, fired

RETURNING = {"used_before": "yes", "past_reactions": ["none"], "reaction_now": "no"}


# --- reaction_now and R-REACTION-NOW ----------------------------------------------------------


def test_it_counts_a_skipped_reaction_now_as_no():
    clean = validate(answers(used_before="no"))
    assert clean["reaction_now"] == "no"
    assert clean["past_reactions"] == ["none"]
    assert score(answers(used_before="no")).factors == ()


def test_it_asks_reaction_now_of_a_returning_user():
    with pytest.raises(AnswerError) as caught:
        score(answers(used_before="yes", past_reactions=["none"]))
    assert (caught.value.key, caught.value.value) == ("reaction_now", None)


def test_it_scores_reaction_now_given_by_a_first_time_user():
    # Section 2: given with used_before = no, it is scored as given.
    assert fired(score(answers(used_before="no", reaction_now="yes"))) == {"R-REACTION-NOW"}


def test_a_reaction_now_is_a_stop_with_the_consult_flag_and_no_points():
    result = score(answers(**{**RETURNING, "reaction_now": "yes"}))
    assert [f.rule_id for f in result.factors] == ["R-REACTION-NOW"]
    assert (result.points, result.level, result.hard_stop) == (0, "high", True)
    assert result.consult_professional
    assert result.lower_risk == ()
    assert result.all_changes is None, "no answer can change it"


# --- The disposition --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "disposition"),
    [
        ({**RETURNING, "reaction_now": "yes"}, Disposition.URGENT),
        # Urgent comes first, whatever other stop fires beside it.
        ({"reaction_now": "yes", "scalp_open_wounds": "yes"}, Disposition.URGENT),
        ({"scalp_open_wounds": "yes"}, Disposition.STOP),
        ({"device_shared": "not_sure", "pressure": "not_sure"}, Disposition.STOP),
        # A consult rule at a low level.
        ({"diagnosis": "other_diagnosis"}, Disposition.CONSULT),
        # High through points alone sets the flag, so: consult.
        ({"device_condition": "reused_rinsed", "frequency": "daily"}, Disposition.CONSULT),
        # Moderate, no consult rule.
        ({"device_condition": "reused_rinsed", "pressure": "not_sure"}, Disposition.CHANGE),
        # Low, with a factor that needs no professional.
        ({"metal_allergy": "yes"}, Disposition.GO_AHEAD),
        ({}, Disposition.GO_AHEAD),
    ],
    ids=[
        "urgent",
        "urgent-beside-a-stop",
        "stop",
        "stop-modifiable",
        "consult-low",
        "consult-high-points",
        "change",
        "go-ahead-with-factor",
        "go-ahead-safest",
    ],
)
def test_it_gives_the_first_disposition_that_applies(changes, disposition):
    result = score(answers(**changes))
    assert result.disposition is disposition
    assert result.disposition == disposition.value, "a string-valued code"
    assert result.disposition.is_stop is (disposition in (Disposition.URGENT, Disposition.STOP))


def test_each_disposition_has_the_rulebooks_headline_and_next_step():
    assert [d.value for d in Disposition] == ["urgent", "stop", "consult", "change", "go_ahead"]
    assert Disposition.URGENT.headline == "Get medical help today"
    assert Disposition.URGENT.next_step == (
        "Contact your GP surgery today, or an urgent care service (in the UK: NHS 111). Don't "
        "needle again until a clinician has seen it."
    )
    assert Disposition.STOP.headline == (
        "Don't use a dermaroller on your scalp until you've seen a professional"
    )
    assert Disposition.CONSULT.headline == "Talk to a professional before you use it"
    assert Disposition.CHANGE.headline == "Make these changes before you use it"
    assert Disposition.GO_AHEAD.headline == "Lower risk: go ahead with care"
    assert Disposition.GO_AHEAD.next_step == "Follow the safe-use checklist every session."
    for disposition in Disposition:
        assert disposition.label and disposition.next_step


def test_it_derives_a_2026_11_disposition_without_urgent():
    decide = Disposition.decide
    common = {"urgent": False, "consult_professional": True, "level": "high"}
    assert decide(**{**common, "hard_stop": True}) is Disposition.STOP
    assert decide(**{**common, "hard_stop": False}) is Disposition.CONSULT
    assert (
        decide(urgent=False, hard_stop=False, consult_professional=False, level="moderate")
        is Disposition.CHANGE
    )
    assert (
        decide(urgent=False, hard_stop=False, consult_professional=False, level="low")
        is Disposition.GO_AHEAD
    )


def test_the_safety_net_is_the_rulebooks():
    assert rulebook.SAFETY_NET == (
        "If, after any session, you get spreading redness, warmth, pus, a fever, a growing lump "
        "or new bald patches, get medical help the same day."
    )


# --- The order of the factors and "What to do first" -----------------------------------------


def test_it_lists_the_reaction_first_then_stops_high_caution_info_by_points():
    result = score(
        answers(
            reaction_now="yes",
            device_shared="yes",
            scalp_open_wounds="yes",
            bleeding_risk="yes",  # high 4
            diagnosis="other_diagnosis",  # high 3
            device_condition="reused_not_cleaned",  # high 5
            frequency="daily",  # caution 4
            scalp_irritated="yes",  # caution 2
            recent_trigger="yes",  # info 1
            age_band="18_21",  # info 1
        )
    )
    assert [f.rule_id for f in result.factors] == [
        "R-REACTION-NOW",
        "R-SCALP-OPEN",
        "R-SHARED",
        "R-NOT-CLEANED",
        "R-BLEEDING",
        "R-OTHER-DIAGNOSIS",
        "R-DAILY",
        "R-IRRITATED",
        "R-RECENT-TRIGGER",
        "R-YOUNG-ADULT",
    ]
    assert result.first_actions == tuple(
        rulebook.RULES_BY_ID[rule_id].advice
        for rule_id in ["R-REACTION-NOW", "R-SCALP-OPEN", "R-SHARED"]
    )


def test_what_to_do_first_has_fewer_than_three_actions_when_fewer_factors_fire():
    result = score(answers(pressure="not_sure", device_type="pen"))
    assert [f.rule_id for f in result.factors] == ["R-PEN", "R-PRESSURE-UNSURE"]
    assert len(result.first_actions) == 2
    assert score(answers()).first_actions == ()


# --- "What would lower my risk" ---------------------------------------------------------------


def test_it_lists_a_stops_way_out_first_even_when_another_change_drops_more_points():
    result = score(answers(device_shared="yes", frequency="daily", device_type="pen"))
    assert (result.points, result.disposition) == (6, Disposition.STOP)
    lines = [(s.rule_id, s.points, s.level, s.disposition) for s in result.lower_risk]
    assert lines == [
        ("R-SHARED", 6, "moderate", Disposition.CHANGE),
        ("R-DAILY", 2, "high", Disposition.STOP),
        ("R-PEN", 4, "high", Disposition.STOP),
    ]


def test_it_lists_lines_that_lower_the_level_first_then_by_the_drop():
    result = score(
        answers(
            needle_length="1_1_to_1_5",
            device_condition="reused_rinsed",
            pressure="pinpoint_bleeding",
        )
    )
    assert (result.points, result.level, result.disposition) == (11, "high", Disposition.CONSULT)
    lines = [(s.rule_id, s.points, s.level, s.disposition) for s in result.lower_risk]
    assert lines == [
        ("R-NEEDLE-LONG", 6, "moderate", Disposition.CHANGE),
        # Still moderate, but R-NEEDLE-LONG's consult flag stays: not "high" on every line.
        ("R-RINSED-ONLY", 7, "moderate", Disposition.CONSULT),
        ("R-PINPOINT", 9, "high", Disposition.CONSULT),
    ]


def test_each_line_says_the_level_and_disposition_that_change_would_give():
    result = score(answers(needle_length="0_6_to_1_0", pressure="pinpoint_bleeding"))
    assert result.disposition is Disposition.CHANGE
    needle = next(s for s in result.lower_risk if s.rule_id == "R-NEEDLE-MEDIUM")
    assert (needle.points, needle.level, needle.disposition) == (2, "low", Disposition.GO_AHEAD)


# --- The new input error ----------------------------------------------------------------------


@pytest.mark.parametrize("uses", [1, 14, 15, 1000])
def test_it_rejects_a_new_sterile_device_that_has_been_used(uses):
    with pytest.raises(AnswerError) as caught:
        score(answers(device_condition="new_sterile", device_uses=uses))
    error = caught.value
    assert (error.key, error.value) == ("device_uses", uses)
    assert "'device_uses'" in str(error) and repr(uses) in str(error)
    assert "new_sterile" in str(error)


@pytest.mark.parametrize(
    "condition", ["reused_disinfected", "reused_rinsed", "reused_not_cleaned", "new_sterile"]
)
def test_it_accepts_any_condition_with_no_uses_yet(condition):
    assert validate(answers(device_condition=condition, device_uses=0))["device_uses"] == 0


# --- Evidence ---------------------------------------------------------------------------------


def test_pregnant_cites_the_minoxidil_label_only_with_grade_c():
    rule = rulebook.RULES_BY_ID["R-PREGNANT"]
    assert (rule.grade, rule.source_ids) == ("C", ("S31",))


def test_every_grade_comes_with_its_meaning():
    assert rulebook.grade_meanings("A (shared), D (wear)") == (
        ("A", rulebook.EVIDENCE_GRADES["A"]),
        ("D", rulebook.EVIDENCE_GRADES["D"]),
    )
    assert [letter for letter, _ in rulebook.grade_meanings("B/C (conflicting)")] == ["B", "C"]
    assert [letter for letter, _ in rulebook.grade_meanings("A (indirect)")] == ["A"]
    for rule in rulebook.RULES:
        assert rulebook.grade_meanings(rule.grade), rule.id


def test_sources_with_a_doi_link_to_it():
    assert rulebook.SOURCES["S1"].doi == "10.4103/0974-7753.114700"
    assert rulebook.SOURCES["S1"].doi_url == "https://doi.org/10.4103/0974-7753.114700"
    assert rulebook.SOURCES["S13"].doi_url == "https://doi.org/10.1097/DSS.0000000000004450"
    assert rulebook.SOURCES["S31"].doi_url == ""
    with_doi = {s.id for s in rulebook.SOURCES.values() if s.doi}
    assert with_doi == {"S1", "S3", "S5", "S13"}
