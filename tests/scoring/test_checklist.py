"""assessments.scoring: the safe-use checklist ticked from the answers. Pure: no Django."""

import pytest

from assessments import rulebook
from assessments.scoring import score
from tests.support.answers import SAFE_ANSWERS, answers

SAFEST = SAFE_ANSWERS


def ticks(result):
    return {tick.id: tick.met for tick in result.checklist}


def test_it_ticks_every_checklist_item_the_safest_answers_meet():
    assert ticks(score(SAFEST)) == {
        "needle": True,
        "own_clean_device": True,
        "light_pressure": True,
        "no_serums": True,
        "minoxidil_wait": True,
        "warning_signs": None,
    }
    assert [tick.text for tick in score(SAFEST).checklist] == [
        item.text for item in rulebook.CHECKLIST
    ]


@pytest.mark.parametrize(
    ("changes", "item", "met"),
    [
        ({"needle_length": "up_to_0_25"}, "needle", True),
        ({"needle_length": "0_6_to_1_0"}, "needle", False),
        ({"needle_length": "unknown"}, "needle", False),
        ({"device_condition": "reused_disinfected"}, "own_clean_device", True),
        ({"device_condition": "reused_rinsed"}, "own_clean_device", False),
        ({"device_shared": "not_sure"}, "own_clean_device", False),
        ({"pressure": "not_sure"}, "light_pressure", False),
        ({"aftercare": ["serum"]}, "no_serums", False),
        ({"aftercare": ["prp_or_injectable"]}, "no_serums", False),
        ({"aftercare": ["minoxidil_immediately"]}, "minoxidil_wait", False),
        ({"aftercare": ["minoxidil_after_24h"]}, "minoxidil_wait", True),
        ({"aftercare": ["nothing"]}, "minoxidil_wait", True),
        (
            {"used_before": "yes", "past_reactions": ["track_marks"], "reaction_now": "no"},
            "warning_signs",
            None,
        ),
    ],
)
def test_it_ticks_checklist_items_from_the_answers(changes, item, met):
    assert ticks(score(answers(**changes)))[item] is met
