"""Properties of assessments.checks.check_answers over any valid base, check, log and day
(rulebook section 6, "The check before a session"). Pure, no database."""

import copy
import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments.checks import check_answers
from assessments.scoring import AnswerError, score, validate
from tests.support.check_strategies import PROPERTY, base_answers, checks, logs_and_today

# The keys section 6 sets; every other one is the base's.
SET_BY_A_CHECK = {
    "scalp_open_wounds",
    "scalp_inflammatory",
    "scalp_irritated",
    "suspicious_lesion",
    "reaction_now",
    "used_before",
    "device_condition",
    "device_uses",
    "frequency",
    "past_reactions",
}
CONDITION = {
    "same_disinfected": "reused_disinfected",
    "same_rinsed": "reused_rinsed",
    "same_not_cleaned": "reused_not_cleaned",
    "new_device": "new_sterile",
}


def expected_frequency(gap: int) -> str:
    # The section's table, typed out again on purpose: the rulebook's copy is what is tested.
    if gap <= 1:
        return "daily"
    if gap <= 6:
        return "2_3_per_week"
    if gap <= 13:
        return "weekly"
    if gap <= 29:
        return "every_2_weeks"
    return "monthly_or_less"


def expected_uses(base: dict, log: list[dict]) -> int:
    restarts = [i for i, session in enumerate(log) if session["device_today"] == "new_device"]
    uses = len(log) - restarts[-1] if restarts else base["device_uses"] + len(log)
    return min(uses, 1000)


@PROPERTY
@given(base_answers(), checks(), logs_and_today())
def test_it_maps_every_line_of_the_section(base, check, log_today):
    log, today = log_today
    result = check_answers(base, check, log, today)
    ticked = set(check["scalp_today"])

    assert result["scalp_open_wounds"] == (
        "yes" if "open_wounds" in ticked else base["scalp_open_wounds"]
    )
    assert result["scalp_inflammatory"] == (
        "flare" if "flare" in ticked else base["scalp_inflammatory"]
    )
    assert result["scalp_irritated"] == ("yes" if "irritated" in ticked else "no")
    assert result["suspicious_lesion"] == (
        "yes" if "new_spot" in ticked else base["suspicious_lesion"]
    )
    assert result["reaction_now"] == check["reaction_now"]
    assert result["used_before"] == "yes"

    device_today = check["device_today"]
    assert result["device_condition"] == CONDITION[device_today]
    if device_today == "new_device":
        assert result["device_uses"] == 0
    else:
        assert result["device_uses"] == expected_uses(base, log)

    if log:
        assert result["frequency"] == expected_frequency((today - log[-1]["date"]).days)
    else:
        assert result["frequency"] == base["frequency"]

    for key in base.keys() - SET_BY_A_CHECK:
        assert result[key] == base[key], key
    assert result.keys() == base.keys()


@PROPERTY
@given(base_answers(), checks(), logs_and_today())
def test_it_carries_every_reaction_and_removes_none(base, check, log_today):
    log, today = log_today
    reactions = check_answers(base, check, log, today)["past_reactions"]
    added = {code for session in log for code in session["added_reactions"]}
    wanted = set(base["past_reactions"]) | added
    if len(wanted) > 1:
        wanted.discard("none")
    assert set(reactions) == wanted
    assert len(reactions) == len(set(reactions)), "no duplicates"
    assert reactions, "never empty"


@PROPERTY
@given(base_answers(), checks(), logs_and_today())
def test_its_answer_set_is_valid_and_scores(base, check, log_today):
    log, today = log_today
    before = copy.deepcopy((base, check, log))
    result = check_answers(base, check, log, today)
    assert validate(result) == result
    score(result)
    assert (base, check, log) == before, "its inputs are not changed"


@PROPERTY
@given(base_answers(), checks(), logs_and_today(), st.integers(1, 400))
def test_today_before_the_last_session_is_always_an_input_error(base, check, log_today, days):
    log, _ = log_today
    assume(log)
    with pytest.raises(AnswerError) as caught:
        check_answers(base, check, log, log[-1]["date"] - datetime.timedelta(days=days))
    assert caught.value.key == "today"
