"""Reminder emails end to end: a logged session's reminders, the worker run at the clock's
chosen time, a real SMTP server on loopback (tests/support/emails.py)."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import rulebook
from assessments.services import account_delete, assessment_delete
from roller_sessions import reminders, services
from roller_sessions.models import Reminder
from tests.support import sessions as s
from tests.support.emails import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

CHECKIN_SUBJECT = "ScalpSafe: a check-in is due"
NEXT_SUBJECT = "ScalpSafe: the earliest date for your next session"


def reminder(session, kind: str) -> Reminder:
    return Reminder.objects.get(session=session, kind=kind)


def unsubscribe_link(message) -> str:
    # A long header is folded; unfolded, its value starts with the fold's space.
    value = message["List-Unsubscribe"].strip()
    assert value.startswith("<") and value.endswith(">")
    return value[1:-1]


def at_due(clock, session, kind: str, **delta) -> None:
    clock.now = reminder(session, kind).due_at + datetime.timedelta(**delta)


@pytest.fixture
def session(owner, clock):
    s.save_base(owner)
    return s.take_and_log(owner)


def test_reminders_are_off_by_default_and_nothing_is_sent(owner, session, clock, smtp_server):
    assert not reminders.reminders_wanted(owner)
    at_due(clock, session, "next_session")
    run_worker()
    assert smtp_server.messages == []
    assert Reminder.objects.filter(session=session, skipped_at__isnull=False).count() == 4


def test_the_day_1_reminder_is_one_email_at_9_with_no_health_details(
    owner, session, clock, smtp_server
):
    reminders.reminders_set(user=owner, on=True)
    due = reminder(session, "checkin_1").due_at
    local_due = timezone.localtime(due)
    assert (local_due.date(), local_due.time()) == (
        session.date + datetime.timedelta(days=1),
        datetime.time(9),
    )
    clock.now = due
    run_worker()
    [message] = smtp_server.messages
    assert message["To"] == owner.email
    assert message["Subject"] == CHECKIN_SUBJECT
    body = message.get_content()
    assert settings.SITE_URL + reverse("roller_sessions:mine") in body
    off = unsubscribe_link(message)
    assert off in body
    token = off.removeprefix(settings.SITE_URL + "/reminders/off/").rstrip("/")
    assert reminders.user_for_unsubscribe_token(token) == owner
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Without the link: its random token can hold a short label ("no") by chance.
    text = (message["Subject"] + body.replace(off, "")).lower()
    for disposition in rulebook.Disposition:
        assert disposition.value not in text
        assert disposition.label.lower() not in text
    for question in (*rulebook.CHECK_QUESTIONS, rulebook.AFTER_SIGNS):
        for choice in question.choices:
            assert choice.label.lower() not in text
    for code in ("same_disinfected", "go_ahead", "past_reactions"):
        assert code not in text
    assert reminder(session, "checkin_1").emailed_at == due


def test_nothing_is_sent_before_it_is_due(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_1", minutes=-1)
    run_worker()
    assert smtp_server.messages == []
    assert reminder(session, "checkin_1").emailed_at is None
    clock.advance(minutes=1)
    run_worker()
    assert len(smtp_server.messages) == 1


def test_a_checkin_taken_before_its_reminder_skips_it(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_1", hours=-2)
    s.take_checkin(session, 1)
    clock.advance(hours=2)
    run_worker()
    assert smtp_server.messages == []
    assert reminder(session, "checkin_1").skipped_at is not None


def test_a_later_session_skips_the_next_session_reminder(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_3", hours=1)
    s.take_and_log(owner)
    at_due(clock, session, "next_session")
    run_worker()
    subjects = [message["Subject"] for message in smtp_server.messages]
    assert NEXT_SUBJECT not in subjects
    assert CHECKIN_SUBJECT in subjects, "the check-ins still go"
    assert reminder(session, "next_session").skipped_at is not None


def test_an_urgent_checkin_skips_the_next_session_reminder(owner, session, clock, smtp_server):
    # "Today is the earliest date for your next session" must not follow "get help today".
    reminders.reminders_set(user=owner, on=True)
    s.take_checkin(session, 1, "infection_signs")
    at_due(clock, session, "next_session")
    run_worker()
    assert NEXT_SUBJECT not in [message["Subject"] for message in smtp_server.messages]
    assert reminder(session, "next_session").skipped_at is not None


def test_the_next_session_reminder_goes_when_no_session_was_logged(
    owner, session, clock, smtp_server
):
    reminders.reminders_set(user=owner, on=True)
    for day in rulebook.CHECKIN_DAYS:
        s.take_checkin(session, day)
    at_due(clock, session, "next_session")
    run_worker()
    assert [message["Subject"] for message in smtp_server.messages] == [NEXT_SUBJECT]


def test_turning_reminders_off_after_scheduling_sends_nothing(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    reminders.reminders_set(user=owner, on=False)
    at_due(clock, session, "next_session")
    run_worker()
    assert smtp_server.messages == []


def test_running_the_worker_twice_sends_once(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_1")
    run_worker()
    run_worker()
    clock.advance(minutes=30)  # past the recovery sweep's ORPHANED_AFTER too
    run_worker()
    assert len(smtp_server.messages) == 1


def test_two_sessions_on_one_day_get_one_email_per_reminder(owner, session, clock, smtp_server):
    second = s.take_and_log(owner)  # the same day: a "change" check allows it
    assert second.date == session.date
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_1")
    run_worker()
    assert [message["Subject"] for message in smtp_server.messages] == [CHECKIN_SUBJECT]


def test_a_refusing_smtp_server_is_retried_and_the_reminder_delivered_once(
    owner, session, clock, smtp_server
):
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_1")
    smtp_server.refuse("451 4.3.0 Try again later")
    run_worker()
    assert smtp_server.messages == []
    smtp_server.refuse(None)
    clock.advance(minutes=1)
    run_worker()
    clock.advance(minutes=30)
    run_worker()
    assert [message["Subject"] for message in smtp_server.messages] == [CHECKIN_SUBJECT]


def test_the_one_click_post_from_the_mail_client_turns_them_off(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    at_due(clock, session, "checkin_1")
    run_worker()
    [message] = smtp_server.messages
    url = unsubscribe_link(message).removeprefix(settings.SITE_URL)
    # A mail client: no cookies, no CSRF token, only RFC 8058's body.
    response = Client(enforce_csrf_checks=True).post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not reminders.reminders_wanted(owner)
    at_due(clock, session, "checkin_3")
    run_worker()
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("what", ["session", "assessment", "account"])
def test_deleting_sends_nothing(owner, session, clock, smtp_server, what):
    reminders.reminders_set(user=owner, on=True)
    if what == "session":
        services.session_delete(session=session)
    elif what == "assessment":
        assessment_delete(assessment=session.base)
    else:
        account_delete(user=owner)
    assert not Reminder.objects.exists()
    clock.now = clock.now + datetime.timedelta(days=30)
    run_worker()
    assert smtp_server.messages == []


def test_an_address_no_longer_confirmed_sends_nothing(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    EmailAddress.objects.filter(user=owner).update(verified=False)
    at_due(clock, session, "checkin_1")
    run_worker()
    assert smtp_server.messages == []
    assert reminder(session, "checkin_1").skipped_at is not None


def test_they_go_to_the_primary_address_of_the_day(owner, session, clock, smtp_server):
    reminders.reminders_set(user=owner, on=True)
    EmailAddress.objects.filter(user=owner).update(primary=False)
    EmailAddress.objects.create(user=owner, email="new@example.org", primary=True, verified=True)
    at_due(clock, session, "checkin_1")
    run_worker()
    assert [message["To"] for message in smtp_server.messages] == ["new@example.org"]
