"""assessments.checks.checkin_answers, rulebook section 6 ("Check-ins after a session"):
examples and properties. Pure, no database."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.checks import check_answers, checkin_answers
from assessments.scoring import score, validate
from tests.support.answers import answers
from tests.support.check_strategies import (
    PROPERTY,
    base_answers,
    checkins,
    checks,
    logs_and_today,
)

# The section's mapping, typed out again on purpose: the rulebook's copy is what is tested.
RECORDS = {
    "infection_signs": "infection_signs",
    "growing_lump": "delayed_lumps",
    "track_marks": "track_marks",
    "new_bald_patches": "new_bald_patches",
    "shedding": "shedding",
}


def session_answers() -> dict:
    return validate(answers(used_before="yes", reaction_now="no", past_reactions=["none"]))


def signs(*codes: str) -> dict:
    return {"after_signs": list(codes) or ["none"]}


@pytest.mark.parametrize(
    ("codes", "reaction_now"),
    [
        ((), "no"),
        (("infection_signs",), "yes"),
        (("growing_lump",), "yes"),
        (("redness_lasting", "track_marks", "new_bald_patches", "shedding"), "no"),
        (("shedding", "growing_lump"), "yes"),
    ],
)
def test_reaction_now_is_yes_only_for_infection_signs_or_a_growing_lump(codes, reaction_now):
    for days_after in (1, 7):
        assert (
            checkin_answers(session_answers(), signs(*codes), days_after)[0]["reaction_now"]
            == reaction_now
        )


def test_reaction_now_of_the_session_is_not_carried_into_a_calm_checkin():
    yes = {**session_answers(), "reaction_now": "yes"}
    assert checkin_answers(yes, signs(), 3)[0]["reaction_now"] == "no"


@pytest.mark.parametrize(("code", "recorded"), list(RECORDS.items()))
def test_each_sign_records_its_reaction(code, recorded):
    result, records = checkin_answers(session_answers(), signs(code), 1)
    assert records == [recorded]
    assert result["past_reactions"] == [recorded]


@pytest.mark.parametrize("days_after", [0, 1, 3, 6])
def test_lasting_redness_records_nothing_before_day_7(days_after):
    result, records = checkin_answers(session_answers(), signs("redness_lasting"), days_after)
    assert records == []
    assert result["past_reactions"] == ["none"]


@pytest.mark.parametrize("days_after", [7, 8, 30])
def test_lasting_redness_records_redness_over_7_days_from_day_7(days_after):
    result, records = checkin_answers(session_answers(), signs("redness_lasting"), days_after)
    assert records == ["redness_over_7_days"]
    assert result["past_reactions"] == ["redness_over_7_days"]


def test_it_lists_what_it_records_even_when_already_there_and_keeps_it_once():
    there = {**session_answers(), "past_reactions": ["infection_signs", "shedding"]}
    result, records = checkin_answers(there, signs("shedding", "track_marks"), 3)
    assert records == ["track_marks", "shedding"]
    assert sorted(result["past_reactions"]) == ["infection_signs", "shedding", "track_marks"]


def test_a_calm_checkin_records_nothing_and_removes_nothing():
    there = {**session_answers(), "past_reactions": ["delayed_lumps"]}
    result, records = checkin_answers(there, signs(), 7)
    assert (records, result["past_reactions"]) == ([], ["delayed_lumps"])


def test_every_other_key_is_the_sessions():
    before = session_answers()
    result, _ = checkin_answers(before, signs("growing_lump"), 3)
    assert {k for k in result if result[k] != before[k]} == {"reaction_now", "past_reactions"}


@PROPERTY
@given(base_answers(), checks(), logs_and_today(), checkins(), st.integers(0, 60))
def test_any_checkin_maps_and_scores(base, check, log_today, checkin, days_after):
    log, today = log_today
    session = check_answers(base, check, log, today)
    before = copy.deepcopy(session)
    result, records = checkin_answers(session, checkin, days_after)
    ticked = set(checkin["after_signs"])

    assert result["reaction_now"] == (
        "yes" if ticked & {"infection_signs", "growing_lump"} else "no"
    )
    wanted = {RECORDS[code] for code in ticked if code in RECORDS}
    if "redness_lasting" in ticked and days_after >= 7:
        wanted.add("redness_over_7_days")
    assert set(records) == wanted
    assert len(records) == len(set(records))

    reactions = result["past_reactions"]
    assert set(reactions) >= set(records)
    assert set(reactions) >= set(session["past_reactions"]) - {"none"}, "none removed"
    assert ("none" in reactions) == (reactions == ["none"])
    assert len(reactions) == len(set(reactions))
    for key in result.keys() - {"reaction_now", "past_reactions"}:
        assert result[key] == session[key]

    assert validate(result) == result
    score(result)
    assert session == before, "its input is not changed"
