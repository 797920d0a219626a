"""When a check may be taken and when its session may be logged (rulebook section 6):
check_refusal, consult_reasons, session_may_be_logged, next_session_earliest. Pure."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import rulebook
from assessments.checks import (
    CheckRefusal,
    check_refusal,
    consult_reasons,
    next_session_earliest,
    session_may_be_logged,
)
from assessments.rulebook import Disposition
from assessments.scoring import score, validate
from tests.support.answers import answers
from tests.support.check_strategies import PROPERTY, base_answers

DAY = datetime.date(2026, 12, 1)

# A consult for one rule (R-BLEEDING), at a moderate level.
ONE_REASON = answers(bleeding_risk="yes")
# A consult for a rule (R-NEEDLE-LONG) and for the high level.
RULE_AND_HIGH = answers(
    needle_length="1_1_to_1_5", device_condition="reused_rinsed", device_uses=3, frequency="daily"
)
# A consult for the high level alone: points, no consult rule.
HIGH_ONLY = answers(
    frequency="daily",
    device_condition="reused_not_cleaned",
    device_uses=50,
    pressure="pinpoint_bleeding",
    device_type="pen",
)


def refusal(*, days_old=0, version=rulebook.VERSION, disposition=Disposition.GO_AHEAD):
    return check_refusal(
        base_date=DAY - datetime.timedelta(days=days_old),
        base_rulebook_version=version,
        base_disposition=disposition,
        today=DAY,
    )


@pytest.mark.parametrize("days_old", [0, 1, 89, 90])
def test_a_base_90_days_old_or_less_allows_a_check(days_old):
    assert refusal(days_old=days_old) is None


@pytest.mark.parametrize("days_old", [91, 92, 365])
def test_a_base_more_than_90_days_old_is_retaken(days_old):
    assert refusal(days_old=days_old) is CheckRefusal.RETAKE


def test_a_base_of_an_older_rulebook_is_retaken():
    assert refusal(version="2026.11") is CheckRefusal.RETAKE
    assert refusal(version="") is CheckRefusal.RETAKE


@pytest.mark.parametrize("disposition", [Disposition.URGENT, Disposition.STOP])
def test_an_urgent_or_stop_base_repeats_its_disposition(disposition):
    assert refusal(disposition=disposition) is CheckRefusal.REPEAT
    # Repeating comes first: the page says what to do, whatever the base's age.
    assert refusal(disposition=disposition, days_old=200) is CheckRefusal.REPEAT
    assert refusal(disposition=disposition, version="2026.11") is CheckRefusal.REPEAT


@pytest.mark.parametrize("disposition", [Disposition.CONSULT, Disposition.CHANGE])
def test_consult_and_change_bases_allow_a_check(disposition):
    assert refusal(disposition=disposition) is None


def test_consult_reasons_are_the_consult_rules_plus_high_when_high():
    assert consult_reasons(score(ONE_REASON)) == ["R-BLEEDING"]
    assert consult_reasons(score(RULE_AND_HIGH)) == ["R-NEEDLE-LONG", "high"]
    assert consult_reasons(score(HIGH_ONLY)) == ["high"]
    assert consult_reasons(score(answers())) == []


def test_go_ahead_and_change_may_be_logged():
    assert score(answers()).disposition is Disposition.GO_AHEAD
    assert session_may_be_logged(score(answers()), [])
    change = score(answers(frequency="daily"))
    assert change.disposition is Disposition.CHANGE
    assert session_may_be_logged(change, [])


@pytest.mark.parametrize("given_answers", [ONE_REASON, RULE_AND_HIGH, HIGH_ONLY])
def test_a_consult_may_be_logged_once_every_reason_is_confirmed(given_answers):
    result = score(given_answers)
    assert result.disposition is Disposition.CONSULT
    reasons = consult_reasons(result)
    assert not session_may_be_logged(result, [])
    assert not session_may_be_logged(result, reasons[:-1])
    assert session_may_be_logged(result, reasons)
    assert session_may_be_logged(result, [*reasons, "R-SOMETHING-ELSE"])


def test_a_new_reason_needs_a_new_confirmation():
    assert not session_may_be_logged(score(RULE_AND_HIGH), ["R-BLEEDING", "R-NEEDLE-LONG"])


@pytest.mark.parametrize(
    "given_answers",
    [
        answers(scarring_signs="yes"),
        answers(used_before="yes", past_reactions=["none"], reaction_now="yes"),
    ],
)
def test_urgent_and_stop_are_never_logged(given_answers):
    result = score(given_answers)
    assert result.disposition.is_stop
    everything = [rule.id for rule in rulebook.RULES] + ["high"]
    assert not session_may_be_logged(result, everything)


@PROPERTY
@given(base_answers(), st.lists(st.sampled_from([r.id for r in rulebook.RULES] + ["high"])))
def test_logging_follows_the_disposition_for_any_answers(given_answers, confirmed):
    result = score(given_answers)
    allowed = session_may_be_logged(result, confirmed)
    if result.disposition in (Disposition.GO_AHEAD, Disposition.CHANGE):
        assert allowed
    elif result.disposition is Disposition.CONSULT:
        assert allowed == set(consult_reasons(result)).issubset(confirmed)
    else:
        assert not allowed


@pytest.mark.parametrize(
    ("needle_length", "days"),
    [
        ("up_to_0_25", 2),
        ("0_3_to_0_5", 7),
        ("0_6_to_1_0", 7),
        ("1_1_to_1_5", 7),
        ("over_1_5", 7),
        ("unknown", 7),
    ],
)
def test_the_earliest_next_session(needle_length, days):
    base = validate(answers(needle_length=needle_length))
    assert next_session_earliest(base, DAY) == DAY + datetime.timedelta(days=days)


def test_the_earliest_next_session_adds_no_frequency_points():
    # The shortest gap that adds no frequency points, per needle length (section 6).
    for needle_length, days in (("up_to_0_25", 2), ("0_6_to_1_0", 7)):
        base = answers(needle_length=needle_length)
        frequency = "2_3_per_week" if days == 2 else "weekly"
        fired = {f.rule_id for f in score({**base, "frequency": frequency}).factors}
        assert not fired & rulebook.FREQUENCY_RULE_IDS
    shorter = {f.rule_id for f in score(answers(frequency="2_3_per_week")).factors}
    assert shorter & rulebook.FREQUENCY_RULE_IDS
