"""Answer sets for tests, by rulebook keys and codes, and small helpers on scoring results.

Pure: no Django needed (the scoring tests run without it).
"""

from assessments.rulebook import AllOf, AnswerHas, AnswerIs, AtLeast, Disposition, NoneOf

# A complete set of answers that fires no rule: the starting point for tests that change one.
SAFE_ANSWERS: dict = {
    "scalp_open_wounds": "no",
    "scalp_inflammatory": "never",
    "scarring_signs": "no",
    "suspicious_lesion": "no",
    "scalp_irritated": "no",
    "hair_loss_signs": ["none"],
    "diagnosis": "aga",
    "systemic_symptoms": "no",
    "recent_trigger": "no",
    "age_band": "22_plus",
    "pregnant_or_breastfeeding": "not_applicable",
    "bleeding_risk": "no",
    "isotretinoin": "never",
    "immunosuppressed": "no",
    "diabetes": "no",
    "keloid": "no",
    "metal_allergy": "no",
    "heart_condition": "no",
    "device_type": "roller",
    "needle_length": "0_3_to_0_5",
    "device_condition": "new_sterile",
    "device_uses": 0,
    "device_shared": "no",
    "frequency": "weekly",
    "pressure": "light",
    "aftercare": ["plain_moisturiser_or_saline"],
    "used_before": "no",
}


def answers(**changes) -> dict:
    """SAFE_ANSWERS with some answers changed; a fresh dict every time."""
    return {**SAFE_ANSWERS, **changes}


def fired(result) -> set[str]:
    """The ids of the rules a scoring result fired."""
    return {factor.rule_id for factor in result.factors}


def conditions(predicate):
    """Flatten a rule's predicate into its (kind, key, codes or minimum) parts."""
    if isinstance(predicate, AllOf | NoneOf):
        return [part for inner in predicate.parts for part in conditions(inner)]
    if isinstance(predicate, AnswerIs):
        return [("one", predicate.key, predicate.codes)]
    if isinstance(predicate, AnswerHas):
        return [("many", predicate.key, predicate.codes)]
    if isinstance(predicate, AtLeast):
        return [("int", predicate.key, predicate.minimum)]
    raise AssertionError(f"unknown predicate {predicate!r}")


# The answer set that fires the most rules found (31 of 45, by trying every answer of every
# question in turn until nothing fires more): the longest result, for layout and print tests.
MOST_RULES: dict = {
    "scalp_open_wounds": "yes",
    "scalp_inflammatory": "flare",
    "scarring_signs": "yes",
    "suspicious_lesion": "yes",
    "scalp_irritated": "yes",
    "hair_loss_signs": ["sudden", "patches", "clumps", "itching_burning"],
    "diagnosis": "other_diagnosis",
    "systemic_symptoms": "yes",
    "recent_trigger": "yes",
    "age_band": "under_18",
    "pregnant_or_breastfeeding": "yes",
    "bleeding_risk": "yes",
    "isotretinoin": "current",
    "immunosuppressed": "yes",
    "diabetes": "controlled",
    "keloid": "yes",
    "metal_allergy": "yes",
    "heart_condition": "yes",
    "device_type": "pen",
    "needle_length": "0_6_to_1_0",
    "device_condition": "reused_rinsed",
    "device_uses": 15,
    "device_shared": "yes",
    "frequency": "daily",
    "pressure": "pinpoint_bleeding",
    "aftercare": [
        "plain_moisturiser_or_saline",
        "minoxidil_immediately",
        "minoxidil_after_24h",
        "serum",
        "prp_or_injectable",
    ],
    "used_before": "yes",
    "past_reactions": [
        "redness_over_7_days",
        "infection_signs",
        "delayed_lumps",
        "track_marks",
        "new_bald_patches",
        "shedding",
    ],
    "reaction_now": "yes",
    "notes": "Scalp sore since last week; using a friend's pen. " * 18,
}

RETURNING = {"used_before": "yes", "past_reactions": ["none"], "reaction_now": "no"}

# Answers that give each disposition (the result page is drawn for each).
ANSWERS_FOR_EACH_DISPOSITION = {
    Disposition.URGENT: {**SAFE_ANSWERS, **RETURNING, "reaction_now": "yes"},
    # Many factors: the headline must still come first, above the fold.
    Disposition.STOP: {
        **SAFE_ANSWERS,
        "device_shared": "yes",
        "frequency": "daily",
        "device_type": "pen",
        "scarring_signs": "yes",
        "pressure": "hard_bleeding",
    },
    Disposition.CONSULT: {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5"},
    Disposition.CHANGE: {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "not_sure"},
    Disposition.GO_AHEAD: SAFE_ANSWERS,
}
