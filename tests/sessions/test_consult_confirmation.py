"""The consult confirmation (section 6): once confirmed, a later check of the same base with
the same reasons may be logged; a new reason needs a new confirmation."""

import pytest
from django.urls import reverse

from assessments import rulebook
from assessments.rulebook import Disposition
from roller_sessions.models import ConsultConfirmation
from tests.support import sessions as s

pytestmark = pytest.mark.django_db

LOG_BUTTON = "Log this session</button>"
CONFIRM = "I have talked to a professional about these reasons"


def _confirm(client, check):
    client.post(reverse("roller_sessions:consult_confirm", args=[check.id]), {"confirm": "on"})


def test_it_is_recorded_with_its_reasons_and_date(owner, owner_client):
    s.save_base(owner, needle_length="1_1_to_1_5")
    check = s.take_check(owner)
    _confirm(owner_client, check)
    confirmation = ConsultConfirmation.objects.get()
    assert confirmation.before_check == check
    assert confirmation.reasons == [f["rule_id"] for f in check.factors if f["consult"]]
    assert confirmation.confirmed_on == s.today()


def test_a_later_check_with_the_same_reasons_may_be_logged(owner, owner_client):
    s.save_base(owner, days_ago=10, needle_length="1_1_to_1_5")
    earlier = s.take_check(owner, on=s.days_from_today(-8))
    _confirm(owner_client, earlier)
    today = s.take_check(owner)
    assert today.disposition == Disposition.CONSULT
    page = owner_client.get(today.get_absolute_url()).text
    assert LOG_BUTTON in page
    assert CONFIRM not in page


def test_a_new_reason_needs_a_new_confirmation(owner, owner_client):
    s.save_base(owner, days_ago=10, needle_length="1_1_to_1_5")
    earlier = s.take_check(owner, on=s.days_from_today(-8))
    _confirm(owner_client, earlier)
    # A device rinsed with water only adds points: the high band is a reason of its own.
    today = s.take_check(owner, device_today="same_rinsed")
    assert today.disposition == Disposition.CONSULT
    assert today.level == rulebook.Level.HIGH
    page = owner_client.get(today.get_absolute_url()).text
    assert CONFIRM in page
    assert "Your answers add up to the high band" in page
    assert LOG_BUTTON not in page
    _confirm(owner_client, today)
    assert LOG_BUTTON in owner_client.get(today.get_absolute_url()).text
