"""One session's page, deleting it, and deleting an assessment with its sessions."""

import pytest
from django.urls import reverse

from assessments.services import account_delete
from roller_sessions import services
from roller_sessions.models import Check, ConsultConfirmation, Reminder, Session
from tests.support import sessions as s

pytestmark = pytest.mark.django_db


def test_it_shows_the_session_with_its_check_and_checkins(owner, owner_client):
    s.save_base(owner, days_ago=5)
    session = s.take_and_log(owner, on=s.days_from_today(-4))
    checkin = s.take_checkin(session, 1)
    page = owner_client.get(session.get_absolute_url()).text
    assert session.before_check.get_absolute_url() in page
    assert checkin.get_absolute_url() in page
    assert reverse("roller_sessions:checkin", args=[session.id, 3]) in page


def test_it_asks_then_deletes_the_session_its_check_and_checkins(owner, owner_client):
    s.save_base(owner, days_ago=5)
    session = s.take_and_log(owner, on=s.days_from_today(-4))
    s.take_checkin(session, 1)
    kept = s.take_check(owner)
    url = reverse("roller_sessions:session_delete", args=[session.id])
    assert "Delete this session?" in owner_client.get(url).text
    assert Session.objects.count() == 1, "asking deletes nothing"
    response = owner_client.post(url)
    assert response["Location"] == reverse("roller_sessions:mine")
    assert not Session.objects.exists()
    assert not Reminder.objects.exists()
    assert list(Check.objects.all()) == [kept]
    assert owner_client.post(url).status_code == 404


def test_deleting_an_assessment_deletes_its_sessions(owner, owner_client):
    base = s.save_base(owner, days_ago=5, needle_length="1_1_to_1_5")
    check = s.take_check(owner, on=s.days_from_today(-4))
    services.consult_confirm(check=check, today=check.date)
    session = s.log_session(check)
    s.take_checkin(session, 1)
    owner_client.post(reverse("assessments:delete", args=[base.id]))
    assert not Session.objects.exists()
    assert not Check.objects.exists()
    assert not ConsultConfirmation.objects.exists()
    assert not Reminder.objects.exists()


def test_deleting_the_account_deletes_its_sessions(owner, someone_else):
    s.save_base(owner, days_ago=5)
    s.take_checkin(s.take_and_log(owner, on=s.days_from_today(-4)), 1)
    s.save_base(someone_else, days_ago=5)
    theirs = s.take_and_log(someone_else, on=s.days_from_today(-4))
    owner_id = owner.pk
    account_delete(user=owner)
    assert list(Session.objects.all()) == [theirs]
    assert not Check.objects.filter(owner_id=owner_id).exists()
    assert Check.objects.filter(owner=someone_else).exists()
