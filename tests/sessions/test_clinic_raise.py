"""A later check keeps the clinic in the loop (rulebook section 6): an urgent or stop check or
check-in of a result sent to a clinic raises its queue item (never lowers it), reopens it if
closed, sets a new due time and is in the clinic's audit trail in words. Nothing else does, and
nothing does once the person stopped sharing or when the result was never sent."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import AuditEvent, ReviewStatus
from assessments.rulebook import Disposition
from clinics.models import Share
from clinics.services import share_review, share_withdraw
from tests.support import sessions as s
from tests.support.queue import AUDIT_URL, CONSULT_ANSWERS, QUEUE_URL, item_url, listed, send

pytestmark = pytest.mark.django_db

URGENT_HOURS = 4  # clinics.working_time: urgent is due 4 hours after it came in


@pytest.fixture
def item(clinic, owner) -> Share:
    """A go-ahead result of `owner`, sent to the clinic ten days ago: no due time, low priority."""
    share = send(clinic, assessment=s.save_base(owner, days_ago=10))
    assert share.disposition == Disposition.GO_AHEAD and share.due_at is None
    return share


def raised() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.RAISED).order_by("at"))


def assert_due_within_hours(share: Share, hours: int) -> None:
    now = timezone.now()
    assert now < share.due_at <= now + datetime.timedelta(hours=hours)


def test_an_urgent_checkin_raises_the_item_to_urgent_with_a_new_due_time(item, owner):
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    item.refresh_from_db()
    assert item.disposition == Disposition.GO_AHEAD

    checkin = s.take_checkin(session, 3, "infection_signs")

    item.refresh_from_db()
    assert checkin.disposition == Disposition.URGENT
    assert (item.disposition, item.priority, item.status) == (Disposition.URGENT, 0, "new")
    assert_due_within_hours(item, URGENT_HOURS)
    [event] = raised()
    assert (event.clinic_id, event.assessment_id, event.actor) == (
        item.clinic_id,
        item.assessment_id,
        None,
    )
    assert event.details == {
        "share": str(item.pk),
        "check": str(checkin.pk),
        "disposition": [Disposition.GO_AHEAD, Disposition.URGENT],
        "status": ["new", "new"],
    }


def test_a_stop_check_before_a_session_raises_the_item_to_stop(item, owner):
    check = s.take_check(owner, scalp_today=["open_wounds"])

    item.refresh_from_db()
    assert check.disposition == Disposition.STOP
    assert (item.disposition, item.priority) == (Disposition.STOP, 1)
    assert item.due_at > timezone.now()
    assert [e.details["check"] for e in raised()] == [str(check.pk)]


def test_a_later_check_never_lowers_the_item(item, owner):
    s.take_check(owner, reaction_now="yes")  # urgent
    item.refresh_from_db()
    urgent_due = item.due_at

    s.take_check(owner)  # go ahead
    s.take_check(owner, device_today="same_rinsed")  # change
    s.take_check(owner, scalp_today=["new_spot"])  # stop: below urgent in the queue

    item.refresh_from_db()
    assert (item.disposition, item.priority, item.due_at) == (Disposition.URGENT, 0, urgent_due)
    assert [e.details["disposition"] for e in raised()] == [
        [Disposition.GO_AHEAD, Disposition.URGENT],
        [Disposition.URGENT, Disposition.URGENT],
    ]


def test_a_closed_item_reopens_with_a_new_due_time(item, owner, clinic_staff):
    s.take_check(owner, scalp_today=["flare"])  # stop
    item.refresh_from_db()
    share_review(share=item, reviewer=clinic_staff, status=ReviewStatus.CLOSED)
    # Closed long ago: its first due time is past.
    Share.objects.filter(pk=item.pk).update(due_at=timezone.now() - datetime.timedelta(days=9))

    s.take_check(owner, scalp_today=["flare"])

    item.refresh_from_db()
    assert (item.status, item.is_open, item.disposition) == ("new", True, Disposition.STOP)
    assert item.due_at > timezone.now()
    assert raised()[-1].details["status"] == ["closed", "new"]


@pytest.mark.parametrize(
    "given",
    [
        {},  # go ahead
        {"device_today": "same_not_cleaned"},  # change
        {"scalp_today": ["irritated"]},  # go ahead, with a point
    ],
)
def test_any_other_check_changes_nothing(item, owner, clinic_staff, given):
    share_review(share=item, reviewer=clinic_staff, status=ReviewStatus.CLOSED)
    item.refresh_from_db()
    before = Share.objects.values().get(pk=item.pk)

    s.take_check(owner, **given)

    assert Share.objects.values().get(pk=item.pk) == before
    assert raised() == []


def test_a_consult_check_changes_nothing(clinic, owner):
    share = send(clinic, assessment=s.save_base(owner, needle_length="1_1_to_1_5"))
    before = Share.objects.values().get(pk=share.pk)

    check = s.take_check(owner)

    assert check.disposition == Disposition.CONSULT
    assert Share.objects.values().get(pk=share.pk) == before
    assert raised() == []


def test_nothing_is_raised_once_the_person_stopped_sharing(item, owner):
    share_withdraw(assessment=item.assessment)
    before = Share.objects.values().get(pk=item.pk)

    s.take_check(owner, reaction_now="yes")

    assert Share.objects.values().get(pk=item.pk) == before
    assert raised() == []


def test_nothing_is_raised_for_a_result_never_sent(owner):
    s.save_base(owner)

    assert s.take_check(owner, reaction_now="yes").disposition == Disposition.URGENT

    assert raised() == []
    assert not Share.objects.exists()


def test_the_clinics_audit_trail_says_it_in_words(item, owner, staff_client, clinic_staff):
    share_review(share=item, reviewer=clinic_staff, status=ReviewStatus.CLOSED)
    check = s.take_check(owner, scalp_today=["open_wounds"])
    s.take_check(owner, scalp_today=["open_wounds"])

    page = staff_client.get(AUDIT_URL).content.decode()
    rows = page.split('id="result_list"')[1].split("</table>")[0]

    assert rows.count("Raised by a later check") == 2
    go_ahead, stop = Disposition.GO_AHEAD.label, Disposition.STOP.label
    assert f"disposition: {go_ahead} → {stop}; status: Closed → New" in rows
    assert "already at this priority and open" in rows
    assert str(check.pk) not in page
    assert "{" not in rows


def test_a_raised_item_goes_up_the_queue_and_says_why(item, owner, staff_client, clinic):
    consult = send(clinic, CONSULT_ANSWERS)
    assert listed(staff_client.get(QUEUE_URL)) == [consult.pk, item.pk]

    s.take_check(owner, reaction_now="yes")

    response = staff_client.get(QUEUE_URL)
    assert listed(response) == [item.pk, consult.pk]
    rows = response.content.decode().split('id="result_list"')[1].split("</tr>")
    [raised_row] = [row for row in rows if str(item.pk) in row]
    assert "Raised by a later check" in raised_row
    assert Disposition.URGENT.label in raised_row
    assert "Raised by a later check" not in "".join(row for row in rows if row != raised_row)


def test_a_raised_items_page_says_its_disposition_came_from_a_later_check(
    item, owner, staff_client
):
    page = staff_client.get(item_url(item)).content.decode()
    assert "raised by a later check" not in page
    s.take_check(owner, reaction_now="yes")
    page = staff_client.get(item_url(item)).content.decode()
    urgent, go_ahead = Disposition.URGENT.label, Disposition.GO_AHEAD.label
    assert f"{urgent}: raised by a later check" in page
    assert f"The result sent said: {go_ahead}." in page
