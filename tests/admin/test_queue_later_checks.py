"""A queue item's later checks (rulebook section 6): every check before a session and check-in
after one, of the result sent, newest first, with what changed and what the person answered in
words; in a number of queries that does not grow with the checks; only while it is shared, and
never a check of another result."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from assessments import rulebook
from assessments.rulebook import Disposition
from clinics.admin.item_page import later_checks
from clinics.services import share_withdraw
from roller_sessions.models import Check
from tests.support import sessions as s
from tests.support.queue import item_url, send

pytestmark = pytest.mark.django_db


def checks_section(page: str) -> str:
    """The item page's "Later checks" fieldset."""
    start = page.index("Later checks, before and after sessions")
    return page[start : page.index("</fieldset>", start)]


def answered(question, value) -> str:
    return f"<p>{escape(question.text)}<br><strong>{escape(question.describe(value))}</strong></p>"


def test_each_check_shows_newest_first_with_what_changed_and_what_was_answered(
    staff_client, clinic, owner
):
    base = s.save_base(owner, days_ago=5)
    share = send(clinic, assessment=base)
    before = s.take_check(owner, on=s.days_from_today(-3), device_today="same_rinsed")
    session = s.log_session(before)
    checkin = s.take_checkin(session, 3, "shedding")
    unlogged = s.take_check(owner)

    section = checks_section(staff_client.get(item_url(share)).content.decode())

    rows = section.split("<tr>")[2:]  # after the header row
    assert len(rows) == 3
    newest, middle, oldest = rows
    assert Check.objects.get(pk=unlogged.pk).date.strftime("%d %b %Y") in newest
    assert "Check before a session" in newest
    assert "No session logged" in newest
    assert f"Check-in 3 days after the session of {session.date:%d %b %Y}" in middle
    past = rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS]
    assert escape(f"Recorded as past reactions: {past.label_for('shedding')}") in middle
    assert answered(rulebook.AFTER_SIGNS, ["shedding"]) in middle
    assert "Check before a session" in oldest
    assert f"Session logged on {session.date:%d %b %Y}" in oldest
    for question in rulebook.CHECK_QUESTIONS:
        assert answered(question, before.given[question.key]) in oldest

    # The oldest against the result sent, each later one against the one before it.
    go_ahead, change = Disposition.GO_AHEAD.label, Disposition.CHANGE.label
    rinsed = rulebook.RULES_BY_ID["R-RINSED-ONLY"]
    assert escape(f"Since the result sent: {go_ahead} \u2192 {change}") in oldest
    assert escape(f"0 \u2192 {before.points} points") in oldest
    assert escape(f"new: {rinsed.title} (R-RINSED-ONLY)") in oldest
    shedding = rulebook.RULES_BY_ID["R-PAST-SHEDDING"]
    assert checkin.disposition == Disposition.CHANGE  # scored on the rinsed check's answers
    assert (
        escape(
            f"Since the check before: {before.points} \u2192 {checkin.points} points, "
            f"new: {shedding.title} (R-PAST-SHEDDING)"
        )
        in middle
    )
    assert unlogged.disposition == Disposition.GO_AHEAD
    assert escape(f"Since the check before: {change} \u2192 {go_ahead}") in newest
    assert escape(f"gone: {rinsed.title} (R-RINSED-ONLY)") in newest
    assert "R-PAST-SHEDDING" not in newest.split("gone:")[1], "a recorded reaction stays"


def test_an_item_without_checks_says_so(staff_client, clinic, owner):
    share = send(clinic, assessment=s.save_base(owner))

    section = checks_section(staff_client.get(item_url(share)).content.decode())

    assert "None yet: the person has logged no check against this result." in section


def make_checks(owner, sessions: int) -> None:
    """`sessions` logged sessions two days apart, each with its day-1 check-in: twice as many
    checks."""
    first = -2 * sessions - 1
    for n in range(sessions):
        session = s.take_and_log(owner, on=s.days_from_today(first + 2 * n))
        s.take_checkin(session, 1)


def page_queries(client, share) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(item_url(share))
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_checks(staff_client, clinic, owner, someone_else):
    few = send(clinic, assessment=s.save_base(owner, days_ago=80))
    s.take_and_log(owner)
    assert Check.objects.filter(base=few.assessment).count() == 1
    many = send(clinic, assessment=s.save_base(someone_else, days_ago=80))
    make_checks(someone_else, 25)
    assert Check.objects.filter(base=many.assessment).count() == 50
    page_queries(staff_client, few)  # the first request's one-off queries (session, groups)

    assert page_queries(staff_client, few) == page_queries(staff_client, many)
    assert checks_section(staff_client.get(item_url(many)).content.decode()).count("<tr>") == 51


def test_a_check_of_another_result_never_shows(staff_client, clinic, owner, someone_else):
    sent = send(clinic, assessment=s.save_base(owner, days_ago=10))
    s.take_check(owner, on=s.days_from_today(-9), scalp_today=["irritated"])
    # A newer full assessment is the base of every later check; it was never sent.
    s.save_base(owner, days_ago=1)
    s.take_check(owner, device_today="same_not_cleaned")
    # Someone else's checks, of their own result sent to the same clinic.
    send(clinic, assessment=s.save_base(someone_else))
    s.take_check(someone_else, device_today="new_device")

    section = checks_section(staff_client.get(item_url(sent)).content.decode())

    assert section.count("<tr>") == 2
    assert "R-IRRITATED" in section
    assert rulebook.DEVICE_TODAY.label_for("same_not_cleaned") not in section
    assert rulebook.DEVICE_TODAY.label_for("new_device") not in section


def test_once_the_person_stops_sharing_no_staff_sees_the_checks(
    staff_client, clinic, owner, other_clinic_staff
):
    share = send(clinic, assessment=s.save_base(owner, days_ago=3))
    s.take_check(owner, scalp_today=["irritated"])
    outsider = Client()
    outsider.force_login(other_clinic_staff)
    assert outsider.get(item_url(share)).status_code == 404

    share_withdraw(assessment=share.assessment)
    s.take_check(owner, scalp_today=["irritated"], device_today="same_rinsed")

    share.refresh_from_db()
    assert later_checks(share) == []
    for client in (staff_client, outsider):
        assert client.get(item_url(share)).status_code == 404
        page = client.get("/admin/clinics/share/").content.decode()
        assert "R-IRRITATED" not in page
        assert rulebook.SCALP_TODAY.label_for("irritated") not in page


def test_sent_again_after_stopping_the_new_clinic_sees_every_check_the_old_one_none(
    staff_client, clinic, other_clinic, owner, other_clinic_staff
):
    first = send(clinic, assessment=s.save_base(owner, days_ago=3))
    s.take_check(owner, on=s.days_from_today(-2), scalp_today=["irritated"])
    share_withdraw(assessment=first.assessment)
    s.take_check(owner, device_today="same_rinsed")  # while shared with nobody

    again = send(other_clinic, assessment=first.assessment)
    other = Client()
    other.force_login(other_clinic_staff)

    section = checks_section(other.get(item_url(again)).content.decode())
    assert section.count("<tr>") == 3
    assert "R-IRRITATED" in section and "R-RINSED-ONLY" in section
    assert staff_client.get(item_url(first)).status_code == 404
    assert staff_client.get(item_url(again)).status_code == 404
