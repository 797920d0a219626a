"""Every rule of rulebook 2026.12, one by one, with its evidence grade and sources.

The tables here are typed from /work/shared/RULEBOOK.md on purpose: they are the contract the
data in assessments/rulebook.py must match.
"""

import pytest

from assessments import rulebook
from assessments.scoring import score, validate
from tests.support.answers import SAFE_ANSWERS as SAFEST
from tests.support.answers import answers, conditions, fired

# rule id -> (answers changed from SAFEST, other rules that necessarily fire too)
RULE_CASES = {
    "R-SCALP-OPEN": ({"scalp_open_wounds": "yes"}, set()),
    "R-SCALP-FLARE": ({"scalp_inflammatory": "flare"}, set()),
    "R-SCALP-HISTORY": ({"scalp_inflammatory": "history"}, set()),
    "R-SCARRING": ({"scarring_signs": "yes"}, set()),
    "R-LESION": ({"suspicious_lesion": "yes"}, set()),
    "R-IRRITATED": ({"scalp_irritated": "yes"}, set()),
    "R-HAIR-REDFLAG": ({"hair_loss_signs": ["patches"]}, set()),
    "R-SYSTEMIC": ({"systemic_symptoms": "yes"}, set()),
    "R-UNDIAGNOSED": ({"diagnosis": "not_diagnosed"}, set()),
    "R-OTHER-DIAGNOSIS": ({"diagnosis": "other_diagnosis"}, set()),
    "R-RECENT-TRIGGER": ({"recent_trigger": "yes"}, set()),
    "R-MINOR": ({"age_band": "under_18"}, set()),
    "R-YOUNG-ADULT": ({"age_band": "18_21"}, set()),
    "R-PREGNANT": ({"pregnant_or_breastfeeding": "yes"}, set()),
    "R-BLEEDING": ({"bleeding_risk": "yes"}, set()),
    "R-ISOTRETINOIN": ({"isotretinoin": "current"}, set()),
    "R-IMMUNO": ({"immunosuppressed": "yes"}, set()),
    "R-DIABETES-CONTROLLED": ({"diabetes": "controlled"}, set()),
    "R-DIABETES-UNCONTROLLED": ({"diabetes": "uncontrolled_or_unsure"}, set()),
    "R-KELOID": ({"keloid": "yes"}, set()),
    "R-KELOID-UNSURE": ({"keloid": "not_sure"}, set()),
    "R-METAL": ({"metal_allergy": "yes"}, set()),
    "R-METAL-UNSURE": ({"metal_allergy": "not_sure"}, set()),
    "R-HEART-MINOXIDIL": (
        {"heart_condition": "yes", "aftercare": ["minoxidil_after_24h"]},
        set(),
    ),
    "R-PEN": ({"device_type": "pen"}, set()),
    "R-NEEDLE-MEDIUM": ({"needle_length": "0_6_to_1_0"}, set()),
    "R-NEEDLE-LONG": ({"needle_length": "1_1_to_1_5"}, set()),
    "R-NEEDLE-CLINICAL": ({"needle_length": "over_1_5"}, set()),
    "R-NEEDLE-UNKNOWN": ({"needle_length": "unknown"}, set()),
    "R-RINSED-ONLY": ({"device_condition": "reused_rinsed"}, set()),
    "R-NOT-CLEANED": ({"device_condition": "reused_not_cleaned"}, set()),
    # 2026.12: a sealed sterile pack with uses is an input error, so the device was cleaned.
    "R-WORN": ({"device_uses": 15, "device_condition": "reused_disinfected"}, set()),
    "R-SHARED": ({"device_shared": "yes"}, set()),
    "R-DAILY": ({"frequency": "daily"}, set()),
    "R-FREQUENT-SHORT": ({"frequency": "2_3_per_week"}, set()),
    # No needle longer than 0.5 mm is free of its own needle rule.
    "R-FREQUENT-LONG": (
        {"frequency": "2_3_per_week", "needle_length": "0_6_to_1_0"},
        {"R-NEEDLE-MEDIUM"},
    ),
    "R-PINPOINT": ({"pressure": "pinpoint_bleeding"}, set()),
    "R-HARD": ({"pressure": "hard_bleeding"}, set()),
    "R-PRESSURE-UNSURE": ({"pressure": "not_sure"}, set()),
    "R-MINOXIDIL-IMMEDIATE": ({"aftercare": ["minoxidil_immediately"]}, set()),
    "R-SERUM": ({"aftercare": ["serum"]}, set()),
    "R-INJECTABLE": ({"aftercare": ["prp_or_injectable"]}, set()),
    "R-PAST-SERIOUS": (
        {"used_before": "yes", "past_reactions": ["track_marks"], "reaction_now": "no"},
        set(),
    ),
    "R-PAST-SHEDDING": (
        {"used_before": "yes", "past_reactions": ["shedding"], "reaction_now": "no"},
        set(),
    ),
    "R-REACTION-NOW": (
        {"used_before": "yes", "past_reactions": ["none"], "reaction_now": "yes"},
        set(),
    ),
}

# Section 2 table: rule id -> (points, severity, consult), in rulebook order.
EXPECTED = {
    "R-SCALP-OPEN": (0, "stop", True),
    "R-SCALP-FLARE": (0, "stop", True),
    "R-SCALP-HISTORY": (2, "caution", False),
    "R-SCARRING": (0, "stop", True),
    "R-LESION": (0, "stop", True),
    "R-IRRITATED": (2, "caution", False),
    "R-HAIR-REDFLAG": (0, "stop", True),
    "R-SYSTEMIC": (0, "stop", True),
    "R-UNDIAGNOSED": (2, "caution", False),
    "R-OTHER-DIAGNOSIS": (3, "high", True),
    "R-RECENT-TRIGGER": (1, "info", False),
    "R-MINOR": (0, "stop", True),
    "R-YOUNG-ADULT": (1, "info", False),
    "R-PREGNANT": (4, "high", True),
    "R-BLEEDING": (4, "high", True),
    "R-ISOTRETINOIN": (4, "high", True),
    "R-IMMUNO": (4, "high", True),
    "R-DIABETES-CONTROLLED": (1, "info", False),
    "R-DIABETES-UNCONTROLLED": (4, "high", True),
    "R-KELOID": (4, "high", True),
    "R-KELOID-UNSURE": (1, "info", False),
    "R-METAL": (3, "caution", False),
    "R-METAL-UNSURE": (1, "info", False),
    "R-HEART-MINOXIDIL": (3, "high", True),
    "R-PEN": (2, "caution", False),
    "R-NEEDLE-MEDIUM": (3, "caution", False),
    "R-NEEDLE-LONG": (5, "high", True),
    "R-NEEDLE-CLINICAL": (0, "stop", True),
    "R-NEEDLE-UNKNOWN": (2, "caution", False),
    "R-RINSED-ONLY": (4, "caution", False),
    "R-NOT-CLEANED": (5, "high", False),
    "R-WORN": (2, "caution", False),
    "R-SHARED": (0, "stop", True),
    "R-DAILY": (4, "caution", False),
    "R-FREQUENT-SHORT": (1, "info", False),
    "R-FREQUENT-LONG": (3, "caution", False),
    "R-PINPOINT": (2, "caution", False),
    "R-HARD": (4, "high", False),
    "R-PRESSURE-UNSURE": (1, "info", False),
    "R-MINOXIDIL-IMMEDIATE": (2, "caution", False),
    "R-SERUM": (4, "high", True),
    "R-INJECTABLE": (4, "high", True),
    "R-PAST-SERIOUS": (0, "stop", True),
    "R-PAST-SHEDDING": (2, "caution", False),
    "R-REACTION-NOW": (0, "stop", True),
}

# Section 3 table: (rule ids, grade, source ids). The shared hygiene grade is split as described
# in scoring.py's "Rulebook interpretations" 3.
HYGIENE_SOURCES = ("S23", "S25", "S26", "S27", "S43")
EVIDENCE = [
    (("R-SCALP-OPEN",), "A/B", ("S11", "S34", "S39", "S31")),
    (("R-SCALP-FLARE", "R-SCALP-HISTORY"), "A/B", ("S18", "S34", "S39", "S41")),
    (("R-SCARRING",), "B", ("S33", "S34", "S35")),
    (("R-LESION",), "C", ("S39",)),
    (("R-IRRITATED",), "C", ("S31", "S41")),
    (("R-HAIR-REDFLAG", "R-SYSTEMIC"), "A/B", ("S32", "S34")),
    (("R-UNDIAGNOSED", "R-OTHER-DIAGNOSIS"), "A", ("S5", "S34")),
    (("R-RECENT-TRIGGER",), "A", ("S32",)),
    (("R-MINOR", "R-YOUNG-ADULT"), "A (indirect)", ("S24",)),
    (("R-PREGNANT",), "C", ("S31",)),
    (
        ("R-BLEEDING", "R-IMMUNO", "R-DIABETES-CONTROLLED", "R-DIABETES-UNCONTROLLED"),
        "D",
        ("S23", "S39"),
    ),
    (("R-ISOTRETINOIN",), "B/C", ("S19", "S21")),
    (("R-KELOID", "R-KELOID-UNSURE"), "C (conflicting)", ("S39", "S47")),
    (("R-METAL", "R-METAL-UNSURE"), "A/B", ("S11", "S17")),
    (("R-HEART-MINOXIDIL",), "A/B", ("S30", "S31")),
    (("R-PEN",), "A", ("S13",)),
    (
        ("R-NEEDLE-MEDIUM", "R-NEEDLE-LONG", "R-NEEDLE-CLINICAL", "R-NEEDLE-UNKNOWN"),
        "A/C",
        ("S0", "S5", "S25", "S39"),
    ),
    (("R-RINSED-ONLY", "R-NOT-CLEANED"), "A (shared), D (wear)", HYGIENE_SOURCES),
    (("R-WORN",), "D", HYGIENE_SOURCES),
    (("R-SHARED",), "A", HYGIENE_SOURCES),
    (("R-DAILY", "R-FREQUENT-SHORT", "R-FREQUENT-LONG"), "A/B", ("S1", "S3", "S29")),
    (("R-PINPOINT", "R-HARD", "R-PRESSURE-UNSURE"), "A/B", ("S0", "S11", "S16")),
    (("R-MINOXIDIL-IMMEDIATE",), "B/C (conflicting)", ("S1", "S30", "S31")),
    (("R-SERUM", "R-INJECTABLE"), "A/B", ("S11", "S13", "S14", "S15")),
    (("R-PAST-SERIOUS", "R-PAST-SHEDDING"), "A/B", ("S11", "S13", "S16", "S37")),
    (("R-REACTION-NOW",), "A/B", ("S11", "S13", "S25")),
]


def test_it_has_all_45_rules_in_rulebook_order():
    assert [rule.id for rule in rulebook.RULES] == list(EXPECTED)
    assert len(rulebook.RULES) == 45
    assert set(RULE_CASES) == set(EXPECTED)
    assert {rule.id: rule for rule in rulebook.RULES} == rulebook.RULES_BY_ID


@pytest.mark.parametrize("rule_id", list(EXPECTED))
def test_it_fires_each_rule_with_its_points_severity_and_consult(rule_id):
    changes, also = RULE_CASES[rule_id]
    points, severity, consult = EXPECTED[rule_id]
    result = score(answers(**changes))
    assert fired(result) == {rule_id} | also
    factor = next(f for f in result.factors if f.rule_id == rule_id)
    assert (factor.points, factor.severity, factor.consult) == (points, severity, consult)
    rule = rulebook.RULES_BY_ID[rule_id]
    assert (factor.title, factor.why, factor.advice, factor.grade) == (
        rule.title,
        rule.why,
        rule.advice,
        rule.grade,
    )
    assert factor.sources == rule.sources
    assert result.points == sum(f.points for f in result.factors)
    assert result.hard_stop is (severity == "stop")


@pytest.mark.parametrize("rule_id", list(EXPECTED))
def test_it_does_not_fire_a_rule_once_its_answer_is_undone(rule_id):
    changes, _ = RULE_CASES[rule_id]
    # Only the answers the rule reads; the others (used_before, the other history answer, the
    # device condition beside a use count) only make the answer set valid.
    read = {key for _, key, _ in conditions(rulebook.RULES_BY_ID[rule_id].fires)} & set(changes)
    assert read, rule_id
    for key in read:
        undone = {**changes, key: SAFEST.get(key, rulebook.SKIPPED_ANSWERS.get(key))}
        assert rule_id not in fired(score(answers(**undone))), f"still fires without {key}"


# Every answer code on its own, from SAFEST: which rules it fires. Anything not listed fires
# nothing, which is how each rule is shown *not* to fire for its neighbours.
FIRES_ALONE = {
    ("scalp_open_wounds", "yes"): "R-SCALP-OPEN",
    ("scalp_inflammatory", "flare"): "R-SCALP-FLARE",
    ("scalp_inflammatory", "history"): "R-SCALP-HISTORY",
    ("scarring_signs", "yes"): "R-SCARRING",
    ("suspicious_lesion", "yes"): "R-LESION",
    ("scalp_irritated", "yes"): "R-IRRITATED",
    ("hair_loss_signs", "sudden"): "R-HAIR-REDFLAG",
    ("hair_loss_signs", "patches"): "R-HAIR-REDFLAG",
    ("hair_loss_signs", "clumps"): "R-HAIR-REDFLAG",
    ("hair_loss_signs", "itching_burning"): "R-HAIR-REDFLAG",
    ("diagnosis", "other_diagnosis"): "R-OTHER-DIAGNOSIS",
    ("diagnosis", "not_diagnosed"): "R-UNDIAGNOSED",
    ("systemic_symptoms", "yes"): "R-SYSTEMIC",
    ("recent_trigger", "yes"): "R-RECENT-TRIGGER",
    ("age_band", "under_18"): "R-MINOR",
    ("age_band", "18_21"): "R-YOUNG-ADULT",
    ("pregnant_or_breastfeeding", "yes"): "R-PREGNANT",
    ("bleeding_risk", "yes"): "R-BLEEDING",
    ("isotretinoin", "current"): "R-ISOTRETINOIN",
    ("isotretinoin", "within_6_months"): "R-ISOTRETINOIN",
    ("immunosuppressed", "yes"): "R-IMMUNO",
    ("diabetes", "controlled"): "R-DIABETES-CONTROLLED",
    ("diabetes", "uncontrolled_or_unsure"): "R-DIABETES-UNCONTROLLED",
    ("keloid", "yes"): "R-KELOID",
    ("keloid", "not_sure"): "R-KELOID-UNSURE",
    ("metal_allergy", "yes"): "R-METAL",
    ("metal_allergy", "not_sure"): "R-METAL-UNSURE",
    ("device_type", "pen"): "R-PEN",
    ("needle_length", "0_6_to_1_0"): "R-NEEDLE-MEDIUM",
    ("needle_length", "1_1_to_1_5"): "R-NEEDLE-LONG",
    ("needle_length", "over_1_5"): "R-NEEDLE-CLINICAL",
    ("needle_length", "unknown"): "R-NEEDLE-UNKNOWN",
    ("device_condition", "reused_rinsed"): "R-RINSED-ONLY",
    ("device_condition", "reused_not_cleaned"): "R-NOT-CLEANED",
    ("device_shared", "yes"): "R-SHARED",
    ("device_shared", "not_sure"): "R-SHARED",
    ("frequency", "daily"): "R-DAILY",
    ("frequency", "2_3_per_week"): "R-FREQUENT-SHORT",
    ("pressure", "pinpoint_bleeding"): "R-PINPOINT",
    ("pressure", "hard_bleeding"): "R-HARD",
    ("pressure", "not_sure"): "R-PRESSURE-UNSURE",
    ("aftercare", "minoxidil_immediately"): "R-MINOXIDIL-IMMEDIATE",
    ("aftercare", "serum"): "R-SERUM",
    ("aftercare", "prp_or_injectable"): "R-INJECTABLE",
    ("past_reactions", "redness_over_7_days"): "R-PAST-SERIOUS",
    ("past_reactions", "infection_signs"): "R-PAST-SERIOUS",
    ("past_reactions", "delayed_lumps"): "R-PAST-SERIOUS",
    ("past_reactions", "track_marks"): "R-PAST-SERIOUS",
    ("past_reactions", "new_bald_patches"): "R-PAST-SERIOUS",
    ("past_reactions", "shedding"): "R-PAST-SHEDDING",
    ("reaction_now", "yes"): "R-REACTION-NOW",
}

EVERY_CODE = [
    (question.key, code)
    for question in rulebook.QUESTIONS.values()
    if question.kind in ("one", "many")
    for code in question.codes
]


@pytest.mark.parametrize(("key", "code"), EVERY_CODE, ids=[f"{k}={c}" for k, c in EVERY_CODE])
def test_it_fires_only_the_listed_rule_for_each_answer_code(key, code):
    value = [code] if rulebook.QUESTIONS[key].kind == "many" else code
    # The history step only exists for returning users, so it needs its answers too.
    extra = {"used_before": "yes", "reaction_now": "no"} if key == "past_reactions" else {}
    if key == "reaction_now":
        extra = {"used_before": "yes", "past_reactions": ["none"]}
    if (key, code) == ("used_before", "yes"):
        extra = {"past_reactions": ["none"], "reaction_now": "no"}
    result = score(answers(**{key: value}, **extra))
    expected = {FIRES_ALONE[(key, code)]} if (key, code) in FIRES_ALONE else set()
    assert fired(result) == expected


@pytest.mark.parametrize(("uses", "fires"), [(0, False), (14, False), (15, True), (1000, True)])
def test_it_fires_the_worn_rule_from_15_uses(uses, fires):
    given = answers(device_uses=uses, device_condition="reused_disinfected")
    assert ("R-WORN" in fired(score(given))) is fires


def test_it_fires_the_hair_red_flag_once_for_several_signs():
    result = score(answers(hair_loss_signs=["sudden", "patches", "clumps", "itching_burning"]))
    assert [f.rule_id for f in result.factors] == ["R-HAIR-REDFLAG"]


@pytest.mark.parametrize(
    "rule", [rule for rule in rulebook.RULES if rule.safer], ids=lambda rule: rule.id
)
def test_it_gives_safer_answers_that_are_valid_and_remove_their_rule(rule):
    changes, _ = RULE_CASES[rule.id]
    clean = validate(answers(**changes))
    safer = rule.safer.apply(clean)
    assert safer is not clean
    assert validate(safer) == safer
    assert not rule.fires(safer)
    assert rule.safer.change


# --- Evidence -------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule_ids", "grade", "source_ids"), EVIDENCE)
def test_it_gives_each_rule_its_grade_and_sources(rule_ids, grade, source_ids):
    for rule_id in rule_ids:
        rule = rulebook.RULES_BY_ID[rule_id]
        assert (rule.grade, rule.source_ids) == (grade, source_ids)


def test_it_covers_every_rule_in_the_evidence_table():
    covered = [rule_id for rule_ids, _, _ in EVIDENCE for rule_id in rule_ids]
    assert sorted(covered) == sorted(EXPECTED)


def test_it_cites_only_sources_that_exist():
    for rule in rulebook.RULES:
        assert rule.source_ids, rule.id
        assert all(source_id in rulebook.SOURCES for source_id in rule.source_ids), rule.id
        assert [s.id for s in rule.sources] == list(rule.source_ids)
    for source_id, source in rulebook.SOURCES.items():
        assert source.id == source_id
        assert source.citation


def test_it_never_shows_a_percentage_risk():
    # The only percentages allowed are the alcohol strength in cleaning advice.
    for rule in rulebook.RULES:
        for text in (rule.title, rule.why, rule.advice, rule.safer.change if rule.safer else ""):
            assert "%" not in text.replace("70% isopropyl", ""), rule.id


@pytest.mark.parametrize("rule_id", ["R-MINOR", "R-YOUNG-ADULT"])
def test_the_age_rules_advice_does_not_assume_hair_loss(rule_id):
    # They fire on age alone; someone may use a roller with no hair loss at all.
    advice = rulebook.RULES_BY_ID[rule_id].advice

    assert "your hair loss" not in advice
