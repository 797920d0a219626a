"""A reaction a check-in records after a newer assessment was taken is not lost to that newer
base (services._base_answers_with_later_reactions): a serious reaction is not forgotten until a
new full assessment taken after it."""

import pytest

from assessments import rulebook
from assessments.rulebook import Disposition
from tests.support import sessions as s

pytestmark = pytest.mark.django_db


def test_an_infection_recorded_after_a_new_assessment_stops_its_checks(owner):
    s.save_base(owner, days_ago=5)
    session = s.take_and_log(owner, on=s.days_from_today(-4))
    s.save_base(owner, days_ago=2)  # a new assessment, before the check-in below
    s.take_checkin(session, 3, "infection_signs", days_after=4)

    check = s.take_check(owner)
    assert "infection_signs" in check.answers[rulebook.KEY_PAST_REACTIONS]
    assert check.disposition == Disposition.STOP


def test_a_reaction_recorded_before_the_new_assessment_is_the_new_assessments_to_tell(owner):
    s.save_base(owner, days_ago=6)
    session = s.take_and_log(owner, on=s.days_from_today(-5))
    s.take_checkin(session, 1, "shedding", days_after=1)
    s.save_base(owner, days_ago=1)  # taken after the check-in: its own history step counts

    check = s.take_check(owner)
    assert check.answers[rulebook.KEY_PAST_REACTIONS] == ["none"]
    assert check.disposition == Disposition.GO_AHEAD
