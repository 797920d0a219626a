"""A check's or check-in's page says when it went to the clinic that has the result (rulebook
section 6: "every check and check-in is sent with it"), and for an urgent or stop one that the
clinic was told and not to wait for its reply. Nothing is said once the person stopped sharing."""

import pytest

from assessments.rulebook import Disposition
from clinics.services import share_withdraw
from tests.support import sessions as s
from tests.support.queue import send

pytestmark = pytest.mark.django_db

DO_NOT_WAIT = "Do not wait for them to reply"


def test_an_urgent_checkin_of_a_shared_result_says_the_clinic_was_told(clinic, owner, owner_client):
    send(clinic, assessment=s.save_base(owner, days_ago=10))
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    urgent = s.take_checkin(session, 3, "infection_signs")
    assert urgent.disposition == Disposition.URGENT
    page = owner_client.get(urgent.get_absolute_url()).text
    assert f"This check-in was sent to {clinic.name} with your result, and the clinic" in page
    assert DO_NOT_WAIT in page


def test_a_calm_check_of_a_shared_result_says_only_that_it_was_sent(clinic, owner, owner_client):
    send(clinic, assessment=s.save_base(owner, days_ago=10))
    check = s.take_check(owner)
    page = owner_client.get(check.get_absolute_url()).text
    assert f"This check was sent to {clinic.name} with your result." in page
    assert DO_NOT_WAIT not in page


def test_nothing_is_said_when_the_result_is_with_no_clinic(clinic, owner, owner_client):
    base = s.save_base(owner, days_ago=10)
    send(clinic, assessment=base)
    share_withdraw(assessment=base)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    urgent = s.take_checkin(session, 3, "infection_signs")
    page = owner_client.get(urgent.get_absolute_url()).text
    assert "shared-with" not in page
    assert clinic.name not in page
