"""assessments.checks.check_answers, line by line of rulebook section 6 ("The check before a
session"): worked examples. Pure, no database."""

import datetime

import pytest

from assessments.checks import check_answers
from assessments.scoring import score, validate
from tests.support.answers import answers

DAY = datetime.date(2026, 12, 1)
CALM = {"scalp_today": ["none"], "reaction_now": "no", "device_today": "same_disinfected"}


def base(**changes) -> dict:
    return validate(answers(**changes))


def check(**changes) -> dict:
    return {**CALM, **changes}


def session(days_before: int, device_today: str = "same_disinfected", *added: str) -> dict:
    return {
        "date": DAY - datetime.timedelta(days=days_before),
        "device_today": device_today,
        "added_reactions": list(added),
    }


def mapped(base_answers=None, given=None, log=(), today=DAY) -> dict:
    return check_answers(base_answers or base(), given or check(), list(log), today)


# --- scalp_today ---


@pytest.mark.parametrize(
    ("code", "key", "ticked"),
    [
        ("open_wounds", "scalp_open_wounds", "yes"),
        ("flare", "scalp_inflammatory", "flare"),
        ("irritated", "scalp_irritated", "yes"),
        ("new_spot", "suspicious_lesion", "yes"),
    ],
)
def test_a_ticked_scalp_today_code_sets_its_answer(code, key, ticked):
    assert mapped(given=check(scalp_today=[code]))[key] == ticked


def test_open_wounds_flare_and_new_spot_keep_the_bases_when_not_ticked():
    flagged = base(scalp_open_wounds="yes", scalp_inflammatory="history", suspicious_lesion="yes")
    result = mapped(flagged, check(scalp_today=["none"]))
    assert result["scalp_open_wounds"] == "yes"
    assert result["scalp_inflammatory"] == "history"
    assert result["suspicious_lesion"] == "yes"
    flared = base(scalp_inflammatory="flare")
    assert mapped(flared, check(scalp_today=["irritated"]))["scalp_inflammatory"] == "flare"


def test_irritated_is_no_when_not_ticked_whatever_the_base_said():
    assert mapped(base(scalp_irritated="yes"))["scalp_irritated"] == "no"
    ticked = check(scalp_today=["open_wounds", "irritated"])
    assert mapped(base(scalp_irritated="no"), ticked)["scalp_irritated"] == "yes"


def test_several_ticked_codes_each_set_their_answer():
    result = mapped(given=check(scalp_today=["new_spot", "open_wounds", "flare", "new_spot"]))
    assert (result["scalp_open_wounds"], result["scalp_inflammatory"]) == ("yes", "flare")
    assert (result["suspicious_lesion"], result["scalp_irritated"]) == ("yes", "no")


# --- reaction_now, used_before ---


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_reaction_now_is_as_answered(answer):
    assert (
        mapped(
            base(reaction_now="yes", used_before="yes", past_reactions=["none"]),
            check(reaction_now=answer),
        )["reaction_now"]
        == answer
    )


def test_used_before_is_yes():
    assert base()["used_before"] == "no"
    assert mapped()["used_before"] == "yes"


# --- device ---


@pytest.mark.parametrize(
    ("device_today", "condition"),
    [
        ("same_disinfected", "reused_disinfected"),
        ("same_rinsed", "reused_rinsed"),
        ("same_not_cleaned", "reused_not_cleaned"),
        ("new_device", "new_sterile"),
    ],
)
def test_the_device_condition_follows_device_today(device_today, condition):
    base_answers = base(device_condition="reused_rinsed", device_uses=5)
    assert mapped(base_answers, check(device_today=device_today))["device_condition"] == condition


def test_device_uses_are_the_bases_plus_the_sessions_since():
    base_answers = base(device_condition="reused_disinfected", device_uses=5)
    assert mapped(base_answers)["device_uses"] == 5
    log = [session(10), session(3)]
    assert mapped(base_answers, log=log)["device_uses"] == 7


def test_device_uses_restart_at_a_new_device_session_since_and_including_it():
    base_answers = base(device_condition="reused_disinfected", device_uses=50)
    log = [session(20), session(14, "new_device"), session(7), session(3)]
    assert mapped(base_answers, log=log)["device_uses"] == 3
    log = [session(20, "new_device"), session(14), session(7, "new_device")]
    assert mapped(base_answers, log=log)["device_uses"] == 1


def test_a_new_device_check_gives_0_uses():
    base_answers = base(device_condition="reused_disinfected", device_uses=50)
    given = check(device_today="new_device")
    result = mapped(base_answers, given, log=[session(7), session(3)])
    assert (result["device_condition"], result["device_uses"]) == ("new_sterile", 0)
    assert score(result)  # a valid answer set: 0 uses for a sealed device


def test_device_uses_are_capped_at_1000():
    base_answers = base(device_condition="reused_disinfected", device_uses=999)
    assert mapped(base_answers, log=[session(3)])["device_uses"] == 1000
    assert mapped(base_answers, log=[session(9), session(3)])["device_uses"] == 1000
    assert mapped(base(device_condition="reused_rinsed", device_uses=1000))["device_uses"] == 1000


# --- frequency ---


@pytest.mark.parametrize(
    ("gap", "frequency"),
    [
        (0, "daily"),
        (1, "daily"),
        (2, "2_3_per_week"),
        (6, "2_3_per_week"),
        (7, "weekly"),
        (13, "weekly"),
        (14, "every_2_weeks"),
        (29, "every_2_weeks"),
        (30, "monthly_or_less"),
        (400, "monthly_or_less"),
    ],
)
def test_the_frequency_comes_from_the_days_since_the_last_session(gap, frequency):
    log = [session(gap + 20), session(gap)]
    assert mapped(base(frequency="monthly_or_less"), log=log)["frequency"] == frequency
    assert mapped(base(frequency="daily"), log=log)["frequency"] == frequency


@pytest.mark.parametrize("frequency", ["daily", "weekly", "monthly_or_less"])
def test_with_no_session_logged_the_frequency_is_the_bases(frequency):
    assert mapped(base(frequency=frequency))["frequency"] == frequency


# --- past_reactions ---


def test_past_reactions_are_the_bases_plus_every_reaction_recorded_since():
    base_answers = base(used_before="yes", past_reactions=["shedding"], reaction_now="no")
    log = [session(10, "same_disinfected", "track_marks"), session(3, "new_device", "shedding")]
    result = mapped(base_answers, log=log)
    assert result["past_reactions"] == ["track_marks", "shedding"]
    assert len(result["past_reactions"]) == len(set(result["past_reactions"]))


def test_none_goes_once_a_reaction_is_added_and_stays_when_none_is():
    assert mapped()["past_reactions"] == ["none"]
    log = [session(3, "same_disinfected", "infection_signs", "infection_signs")]
    assert mapped(log=log)["past_reactions"] == ["infection_signs"]


def test_a_reaction_is_never_removed_when_another_is_added():
    base_answers = base(used_before="yes", past_reactions=["infection_signs"], reaction_now="no")
    log = [session(3, "same_disinfected", "new_bald_patches")]
    assert set(mapped(base_answers, log=log)["past_reactions"]) == {
        "infection_signs",
        "new_bald_patches",
    }


# --- everything else, and the input ---


def test_every_other_key_is_the_bases():
    base_answers = base(age_band="18_21", needle_length="0_6_to_1_0", pressure="not_sure")
    result = mapped(base_answers, log=[session(3)])
    changed = {key for key in result if result[key] != base_answers[key]}
    assert changed <= {"used_before", "device_uses", "frequency", "device_condition"}
    assert result.keys() == base_answers.keys()


def test_it_changes_neither_the_base_nor_the_log():
    base_answers = base()
    log = [session(3, "same_disinfected", "shedding")]
    before = (repr(base_answers), repr(log))
    mapped(base_answers, check(scalp_today=["flare"]), log)
    assert (repr(base_answers), repr(log)) == before


def test_today_before_the_last_session_is_an_input_error():
    with pytest.raises(ValueError, match="'today'"):
        mapped(log=[session(0)], today=DAY - datetime.timedelta(days=1))
    assert mapped(log=[session(0)], today=DAY)["frequency"] == "daily"
