"""assessments.checks rejects any check, check-in or log section 6 does not allow, with a
ValueError (AnswerError) naming the key. Pure, no database."""

import datetime

import pytest

from assessments.checks import check_answers, checkin_answers
from assessments.scoring import AnswerError, validate
from tests.support.answers import answers

DAY = datetime.date(2026, 12, 1)
BASE = validate(answers())
CALM = {"scalp_today": ["none"], "reaction_now": "no", "device_today": "same_disinfected"}
SESSION = {"date": DAY, "device_today": "same_rinsed", "added_reactions": []}


def assert_check_rejected(given, key, log=(), today=DAY):
    with pytest.raises(ValueError) as caught:
        check_answers(BASE, given, list(log), today)
    assert isinstance(caught.value, AnswerError)
    assert caught.value.key == key
    assert repr(key) in str(caught.value)


def assert_checkin_rejected(given, key, days_after=1):
    with pytest.raises(ValueError) as caught:
        checkin_answers(BASE, given, days_after)
    assert isinstance(caught.value, AnswerError)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("scalp_today", ["sunburn"]),
        ("scalp_today", ["none", "flare"]),
        ("scalp_today", []),
        ("scalp_today", "none"),
        ("scalp_today", None),
        ("scalp_today", [1]),
        ("reaction_now", "maybe"),
        ("reaction_now", True),
        ("reaction_now", ["yes"]),
        ("device_today", "new_sterile"),
        ("device_today", 3),
        ("device_today", ""),
    ],
)
def test_it_rejects_a_bad_check_answer(key, value):
    assert_check_rejected({**CALM, key: value}, key)


@pytest.mark.parametrize("key", list(CALM))
def test_it_rejects_a_missing_check_answer(key):
    assert_check_rejected({k: v for k, v in CALM.items() if k != key}, key)


def test_it_rejects_an_unknown_check_key():
    assert_check_rejected({**CALM, "frequency": "daily"}, "frequency")
    assert_check_rejected({**CALM, "mood": "fine"}, "mood")


def test_a_check_that_is_not_a_mapping_is_refused():
    with pytest.raises(TypeError):
        check_answers(BASE, [("reaction_now", "no")], [], DAY)


@pytest.mark.parametrize(
    ("session", "key"),
    [
        ({**SESSION, "date": "2026-12-01"}, "date"),
        ({**SESSION, "date": datetime.datetime(2026, 12, 1, 9)}, "date"),
        ({**SESSION, "device_today": "old"}, "device_today"),
        ({**SESSION, "added_reactions": ["none"]}, "added_reactions"),
        ({**SESSION, "added_reactions": ["sunburn"]}, "added_reactions"),
    ],
)
def test_it_rejects_a_bad_log(session, key):
    assert_check_rejected(CALM, key, log=[session])


def test_it_rejects_a_log_out_of_order_and_a_bad_today():
    later = {**SESSION, "date": DAY + datetime.timedelta(days=1)}
    assert_check_rejected(CALM, "date", log=[later, SESSION], today=DAY + datetime.timedelta(3))
    assert_check_rejected(CALM, "today", today="2026-12-01")
    assert_check_rejected(CALM, "today", today=datetime.datetime(2026, 12, 1, 9))
    assert_check_rejected(CALM, "today", log=[later], today=DAY)


@pytest.mark.parametrize(
    "value",
    [["bruise"], ["none", "shedding"], [], "none", None, [None], {"shedding": True}],
)
def test_it_rejects_a_bad_checkin_answer(value):
    assert_checkin_rejected({"after_signs": value}, "after_signs")


def test_it_rejects_a_missing_or_unknown_checkin_key():
    assert_checkin_rejected({}, "after_signs")
    assert_checkin_rejected({"after_signs": ["none"], "reaction_now": "yes"}, "reaction_now")


@pytest.mark.parametrize("days_after", [-1, 1.5, "7", True, None])
def test_it_rejects_a_bad_day_count(days_after):
    assert_checkin_rejected({"after_signs": ["none"]}, "days_after", days_after)
