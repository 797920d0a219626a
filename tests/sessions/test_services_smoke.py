"""The services of section 6 end to end, through the database: check, log, check-in."""

import pytest

from assessments.rulebook import Disposition
from roller_sessions.models import Reminder
from tests.support import sessions as s

pytestmark = pytest.mark.django_db


def test_a_calm_check_goes_ahead_and_logs_a_session_with_its_reminders(owner):
    s.save_base(owner)
    check = s.take_check(owner)
    assert check.disposition == Disposition.GO_AHEAD
    session = s.log_session(check)
    assert s.log_session(check) == session, "a double post logs one session"
    assert set(Reminder.objects.filter(session=session).values_list("kind", flat=True)) == {
        "checkin_1",
        "checkin_3",
        "checkin_7",
        "next_session",
    }


def test_a_checkin_with_infection_signs_is_urgent_and_is_carried(owner):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    checkin = s.take_checkin(session, 3, "infection_signs")
    assert checkin.disposition == Disposition.URGENT
    assert checkin.recorded == ["infection_signs"]
    later = s.take_check(owner)
    assert later.disposition == Disposition.STOP, "a serious past reaction is a stop"
