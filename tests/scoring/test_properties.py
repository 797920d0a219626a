"""Properties of assessments.scoring over any valid answers, drawn from the rulebook itself."""

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments import rulebook
from assessments.rulebook import Disposition
from assessments.scoring import Result, score, validate

# No example database: the run must not write files into the repository.
PROPERTY = settings(max_examples=75, deadline=None, database=None)

LEVEL_RANK = {level: rank for rank, level in enumerate(rulebook.Level)}

# Single-choice codes from least to most risky, each chain one that the rules never make less
# risky going right (codes in one tuple position are equally safe). Only these moves are
# asserted monotonic: the rulebook promises that a *further* risk factor never lowers the
# outcome, not that any change of answer does.
RISK_ORDER = {
    "scalp_open_wounds": ("no", "yes"),
    "scalp_inflammatory": ("never", "history", "flare"),
    "scarring_signs": ("no", "yes"),
    "suspicious_lesion": ("no", "yes"),
    "scalp_irritated": ("no", "yes"),
    "diagnosis": ("aga", "not_diagnosed", "other_diagnosis"),
    "systemic_symptoms": ("no", "yes"),
    "recent_trigger": ("no", "yes"),
    "age_band": ("22_plus", "18_21", "under_18"),
    "pregnant_or_breastfeeding": ("no", "yes"),
    "bleeding_risk": ("no", "yes"),
    "isotretinoin": ("never", "over_6_months", "within_6_months", "current"),
    "immunosuppressed": ("no", "yes"),
    "diabetes": ("no", "controlled", "uncontrolled_or_unsure"),
    "keloid": ("no", "not_sure", "yes"),
    "metal_allergy": ("no", "not_sure", "yes"),
    "heart_condition": ("no", "yes"),
    "device_type": ("roller", "pen"),
    "needle_length": (
        "up_to_0_25",
        "0_3_to_0_5",
        "unknown",
        "0_6_to_1_0",
        "1_1_to_1_5",
        "over_1_5",
    ),
    "device_condition": (
        "new_sterile",
        "reused_disinfected",
        "reused_rinsed",
        "reused_not_cleaned",
    ),
    "device_shared": ("no", "not_sure", "yes"),
    "frequency": ("monthly_or_less", "every_2_weeks", "weekly", "2_3_per_week", "daily"),
    "pressure": ("light", "not_sure", "pinpoint_bleeding", "hard_bleeding"),
    "reaction_now": ("no", "yes"),
}


def _choice(question):
    if question.kind == "one":
        return st.sampled_from(question.codes)
    if question.kind == "many":
        others = [code for code in question.codes if code != question.exclusive]
        # Unordered, possibly repeated, list or tuple: validate() must normalise all of them.
        picked = st.lists(st.sampled_from(others), min_size=1, max_size=len(others) + 2)
        return st.one_of(st.just([question.exclusive]), picked, picked.map(tuple))
    if question.kind == "int":
        return st.integers(question.min_value, question.max_value)
    return st.text(max_size=question.max_length)


_EVERY_ANSWER = st.fixed_dictionaries(
    {question.key: _choice(question) for step in rulebook.STEPS for question in step.questions},
    optional={"notes": _choice(rulebook.NOTES)},
)


@st.composite
def valid_answers(draw):
    drawn = draw(_EVERY_ANSWER)
    # A first-time user may skip the history step: either answer may be absent.
    if drawn["used_before"] == "no":
        for key in rulebook.SKIPPED_ANSWERS:
            if draw(st.booleans()):
                del drawn[key]
    # A device from a sealed sterile pack has not been used (2026.12 input error otherwise).
    if drawn["device_condition"] == "new_sterile":
        drawn["device_uses"] = 0
    return drawn


def stops(result):
    return {f.rule_id for f in result.factors if f.severity == "stop"}


def assert_not_lower(before, after):
    # A stop carries 0 points, so a stop answer that replaces a sibling answer with points
    # (18_21 -> under_18, unknown -> over_1_5) can lower the total; it is "high" either way.
    if stops(after) <= stops(before):
        assert after.points >= before.points
    assert LEVEL_RANK[after.level] >= LEVEL_RANK[before.level]
    assert after.hard_stop >= before.hard_stop
    assert after.consult_professional >= before.consult_professional


def test_it_orders_every_single_choice_question_it_checks_by_real_codes():
    for key, order in RISK_ORDER.items():
        assert set(order) <= set(rulebook.QUESTIONS[key].codes), key


@PROPERTY
@given(valid_answers())
def test_it_scores_the_same_answers_the_same_way(given_answers):
    before = copy.deepcopy(given_answers)
    first = score(given_answers)
    assert score(given_answers) == first
    assert score(copy.deepcopy(given_answers)).to_dict() == first.to_dict()
    assert given_answers == before, "score must not change its input"


@PROPERTY
@given(valid_answers())
def test_it_normalises_answers_to_a_fixed_point(given_answers):
    clean = validate(given_answers)
    assert validate(clean) == clean
    assert score(clean) == score(given_answers)
    assert set(clean) == set(rulebook.QUESTIONS)


@PROPERTY
@given(valid_answers())
def test_it_keeps_points_level_and_flags_consistent(given_answers):
    result = score(given_answers)
    assert result.points == sum(f.points for f in result.factors)
    assert result.hard_stop == any(f.severity == "stop" for f in result.factors)
    if result.hard_stop:
        assert result.level == "high"
        assert result.consult_professional
    elif result.points >= 8:
        assert result.level == "high"
    elif result.points >= 4:
        assert result.level == "moderate"
    else:
        assert result.level == "low"
    if result.level == "high" or any(f.consult for f in result.factors):
        assert result.consult_professional
    assert bool(result.consult_reasons) == result.consult_professional


@PROPERTY
@given(valid_answers(), st.data())
def test_it_never_lowers_the_outcome_when_a_risk_code_is_added(given_answers, data):
    key = data.draw(st.sampled_from(["hair_loss_signs", "aftercare", "past_reactions"]))
    question = rulebook.QUESTIONS[key]
    code = data.draw(st.sampled_from([c for c in question.codes if c != question.exclusive]))
    before = validate(given_answers)
    chosen = [c for c in before[key] if c != question.exclusive]
    after = {**before, key: chosen + [code]}
    assert_not_lower(score(before), score(after))


@PROPERTY
@given(valid_answers(), st.data())
def test_it_never_lowers_the_outcome_for_a_riskier_single_choice(given_answers, data):
    key = data.draw(st.sampled_from(sorted(RISK_ORDER)))
    order = RISK_ORDER[key]
    low = data.draw(st.integers(0, len(order) - 1))
    high = data.draw(st.integers(low, len(order) - 1))
    base = dict(given_answers)
    if key == "device_condition" and order[low] == "new_sterile":
        base["device_uses"] = 0  # the only count a sealed sterile pack allows
    safer = score({**base, key: order[low]})
    riskier = score({**base, key: order[high]})
    assert_not_lower(safer, riskier)


@PROPERTY
@given(valid_answers(), st.integers(0, 1000))
def test_it_never_lowers_the_outcome_for_more_device_uses(given_answers, extra):
    if given_answers["device_condition"] == "new_sterile":
        # Only 0 uses is valid for a sealed sterile pack; count a disinfected one instead.
        given_answers = {**given_answers, "device_condition": "reused_disinfected"}
    fewer = given_answers["device_uses"]
    more = min(1000, fewer + extra)
    assert_not_lower(score(given_answers), score({**given_answers, "device_uses": more}))


@PROPERTY
@given(valid_answers())
def test_it_makes_every_suggestion_a_real_rescoring_that_is_never_worse(given_answers):
    result = score(given_answers)
    fired_with_safer = [f.rule_id for f in result.factors if rulebook.RULES_BY_ID[f.rule_id].safer]
    assert sorted(s.rule_id for s in result.lower_risk) == sorted(fired_with_safer)
    for suggestion in result.lower_risk:
        rule = rulebook.RULES_BY_ID[suggestion.rule_id]
        rescored = score(rule.safer.apply(result.answers))
        assert (suggestion.points, suggestion.level, suggestion.hard_stop) == (
            rescored.points,
            rescored.level,
            rescored.hard_stop,
        )
        assert suggestion.consult_professional == rescored.consult_professional
        assert suggestion.rule_id not in {f.rule_id for f in rescored.factors}
        # Stops carry no points, so a fix beside another stop may change nothing visible;
        # it must never make things worse.
        assert_not_lower(rescored, result)
    # Section 2: a stop's way out first, then a lower level, then the largest drop, then rules.
    table = [rule.id for rule in rulebook.RULES]
    keys = [
        (
            not rulebook.RULES_BY_ID[s.rule_id].is_stop,
            LEVEL_RANK[s.level] >= LEVEL_RANK[result.level],
            s.points,
            table.index(s.rule_id),
        )
        for s in result.lower_risk
    ]
    assert keys == sorted(keys)


@PROPERTY
@given(valid_answers())
def test_it_snapshots_any_result_as_round_tripping_json(given_answers):
    result = score(given_answers)
    snapshot = json.loads(json.dumps(result.to_dict()))
    assert snapshot == result.to_dict()
    assert Result.from_dict(snapshot) == result


@PROPERTY
@given(valid_answers())
def test_it_gives_the_first_disposition_that_applies(given_answers):
    result = score(given_answers)
    fired = {f.rule_id for f in result.factors}
    if "R-REACTION-NOW" in fired:
        expected = Disposition.URGENT
    elif result.hard_stop:
        expected = Disposition.STOP
    elif result.consult_professional:
        expected = Disposition.CONSULT
    elif result.level == "moderate":
        expected = Disposition.CHANGE
    else:
        expected = Disposition.GO_AHEAD
    assert result.disposition is expected
    assert result.disposition.is_stop == result.hard_stop
    for suggestion in result.lower_risk:
        assert suggestion.disposition.is_stop == suggestion.hard_stop


@PROPERTY
@given(valid_answers())
def test_it_lists_factors_in_display_order_and_acts_on_the_first_three(given_answers):
    result = score(given_answers)
    severity_rank = {severity: rank for rank, severity in enumerate(rulebook.Severity)}
    table = [rule.id for rule in rulebook.RULES]
    keys = [
        (
            f.rule_id != "R-REACTION-NOW",
            severity_rank[f.severity],
            -f.points,
            table.index(f.rule_id),
        )
        for f in result.factors
    ]
    assert keys == sorted(keys)
    assert result.first_actions == tuple(f.advice for f in result.factors[:3])


@PROPERTY
@given(valid_answers())
def test_it_makes_all_the_changes_together_never_worse_than_the_answers(given_answers):
    result = score(given_answers)
    modifiable = [f.rule_id for f in result.factors if rulebook.RULES_BY_ID[f.rule_id].safer]
    together = result.all_changes
    assert (together is None) == (not modifiable)
    if together is None:
        return
    assert together.points <= result.points
    assert LEVEL_RANK[together.level] <= LEVEL_RANK[result.level]
    assert together.hard_stop <= result.hard_stop
    assert together.consult_professional <= result.consult_professional
    # Never worse than any one change on its own either.
    assert together.points <= min(s.points for s in result.lower_risk)
    stops = {f.rule_id for f in result.factors if f.severity == "stop"}
    remaining = set(together.remaining_stops)
    assert remaining <= stops
    assert remaining == {s for s in stops if not rulebook.RULES_BY_ID[s].safer}
    assert together.hard_stop == bool(remaining)
    assert together.disposition.is_stop == together.hard_stop
