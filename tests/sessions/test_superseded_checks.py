"""A check before a session is superseded by a later one of the same base: the newest check
says how the scalp is now, so an earlier check (of the same day) can no longer be logged.
Otherwise a person told `stop` could go back to the page of the calm check they took an hour
before and log it."""

import pytest

from assessments.rulebook import Disposition
from roller_sessions import services
from roller_sessions.models import ConsultConfirmation, Session
from tests.support import sessions as s

pytestmark = pytest.mark.django_db

LOG_BUTTON = "Log this session</button>"


def test_an_earlier_calm_check_cannot_be_logged_after_a_stop_check(owner, owner_client):
    s.save_base(owner, days_ago=3)
    calm = s.take_check(owner)
    wounds = s.take_check(owner, scalp_today=["open_wounds"])
    assert calm.disposition == Disposition.GO_AHEAD
    assert Disposition(wounds.disposition).is_stop
    with pytest.raises(services.SessionNotAllowed):
        s.log_session(calm)
    assert not Session.objects.exists()
    page = owner_client.get(calm.get_absolute_url()).text
    assert LOG_BUTTON not in page
    assert "it can no longer be logged" in page


def test_the_newest_check_may_still_be_logged(owner):
    s.save_base(owner, days_ago=3)
    s.take_check(owner, scalp_today=["open_wounds"])
    calm = s.take_check(owner)
    assert s.log_session(calm).before_check == calm


def test_a_confirmation_does_not_reach_back_to_an_earlier_check(owner, owner_client):
    """ "That check, and any later check of this base": not one taken before it."""
    s.save_base(owner, days_ago=3, needle_length="1_1_to_1_5")
    earlier = s.take_check(owner)
    later = s.take_check(owner)
    services.consult_confirm(check=later)
    assert ConsultConfirmation.objects.get().before_check == later
    assert not services.session_may_be_logged_for(earlier)
    assert services.session_may_be_logged_for(later)
