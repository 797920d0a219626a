"""A queue item's page: how to reach the person, their answers in words, the result, their other
results sent to this clinic with what changed, and the way to the next and previous items.
Every showing of the page is audited under the item's clinic."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from assessments import rulebook
from assessments.models import AuditEvent
from assessments.rulebook import Disposition
from clinics.services import share_review, share_withdraw
from tests.support.assessments import save_assessment
from tests.support.queue import (
    CONSULT_ANSWERS,
    GO_AHEAD_ANSWERS,
    STOP_ANSWERS,
    item_url,
    send,
)

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def test_it_shows_contact_details_answers_and_the_result(staff_client, clinic):
    answers = {**STOP_ANSWERS, "notes": "Itchy <b>after</b> use"}
    share = send(
        clinic,
        answers,
        contact={
            "contact_way": "either",
            "contact_name": "Sam Person",
            "contact_email": "sam@example.org",
            "contact_phone": "07700 900123",
            "contact_time": "After 5pm",
        },
    )

    response = staff_client.get(item_url(share))

    assert response.status_code == 200
    page = response.content.decode()
    for words in ("Sam Person", "sam@example.org", "07700 900123", "After 5pm", "Email or phone"):
        assert words in page
    for row in rulebook.describe_answers(share.assessment.answers):
        assert f"<td>{escape(row['question'])}</td><td>{escape(row['answer'])}</td>" in page
    assert "Itchy &lt;b&gt;after&lt;/b&gt; use" in page
    assert Disposition.STOP.label in page
    assert rulebook.RULES_BY_ID["R-NEEDLE-CLINICAL"].title in page


def test_the_last_reviewer_is_named_not_linked_to_a_page_staff_cannot_open(
    staff_client, clinic, clinic_staff
):
    share = send(clinic, CONSULT_ANSWERS)
    share_review(share=share, reviewer=clinic_staff, status="in_progress")

    page = staff_client.get(item_url(share)).content.decode()

    assert "/admin/auth/user/" not in page
    assert '<div class="readonly">staff</div>' in page
    assert staff_client.get(f"/admin/auth/user/{clinic_staff.pk}/change/").status_code == 403


def test_each_showing_is_audited_under_the_clinic(staff_client, clinic, clinic_staff):
    share = send(clinic, CONSULT_ANSWERS)

    staff_client.get(item_url(share))
    staff_client.post(item_url(share), {"status": "nonsense"})  # shown again, with an error
    staff_client.post(item_url(share), {"status": "closed"})  # saved: a redirect, not a showing

    viewed = AuditEvent.objects.filter(action="viewed")
    assert [(e.actor, e.clinic, e.assessment_id) for e in viewed] == [
        (clinic_staff, clinic, share.assessment_id)
    ] * 2
    assert {e.details["share"] for e in viewed} == {str(share.pk)}


def test_a_save_from_a_popup_is_not_a_showing(staff_client, clinic):
    share = send(clinic, CONSULT_ANSWERS)

    response = staff_client.post(item_url(share), {"status": "closed", "_popup": "1"})

    # Only the pop-up's closing script: the answers were not shown.
    assert response.status_code == 200
    assert "adminform" not in response.context
    assert not AuditEvent.objects.filter(action="viewed").exists()


def test_it_lists_the_persons_other_results_sent_here_with_what_changed(
    staff_client, clinic, other_clinic, owner, someone_else
):
    first = send(clinic, GO_AHEAD_ANSWERS, owner=owner, sent_at=ago(days=10))
    share_withdraw(assessment=first.assessment)
    # A withdrawn share is no longer this clinic's: sent again it is a new, current one.
    earlier = send(clinic, CONSULT_ANSWERS, owner=owner, sent_at=ago(days=5))
    Assessment = type(earlier.assessment)
    Assessment.objects.filter(pk=earlier.assessment_id).update(created_at=ago(days=5))
    withdrawn = send(clinic, CONSULT_ANSWERS, owner=owner)
    share_withdraw(assessment=withdrawn.assessment)
    elsewhere = send(other_clinic, CONSULT_ANSWERS, owner=owner)
    not_theirs = send(clinic, CONSULT_ANSWERS, owner=someone_else)
    latest = send(clinic, STOP_ANSWERS, owner=owner)

    page = staff_client.get(item_url(latest)).content.decode()

    assert item_url(earlier) in page
    for absent in (withdrawn, elsewhere, not_theirs, first):
        assert item_url(absent) not in page
    assert f"Since then: {Disposition.CONSULT.label} \u2192 {Disposition.STOP.label}" in page
    assert "new: " + rulebook.RULES_BY_ID["R-NEEDLE-CLINICAL"].title in page
    assert "gone: " + rulebook.RULES_BY_ID["R-NEEDLE-LONG"].title in page


def test_an_anonymous_persons_other_results_are_those_of_the_same_browser(staff_client, clinic):
    earlier = send(clinic, CONSULT_ANSWERS)
    same_browser = save_assessment(STOP_ANSWERS)
    same_browser.anonymous_owner = earlier.assessment.anonymous_owner
    same_browser.save(update_fields=["anonymous_owner"])
    latest = send(clinic, assessment=same_browser)
    stranger = send(clinic, CONSULT_ANSWERS)

    page = staff_client.get(item_url(latest)).content.decode()

    assert item_url(earlier) in page
    assert item_url(stranger) not in page
    assert "in the same browser, which more than one person may use" in page


def test_other_results_are_only_those_the_viewer_may_open(staff_client, clinic, owner):
    # An inactive clinic's closed items leave its staff's queue: the open one must not name them.
    closed = send(clinic, CONSULT_ANSWERS, owner=owner, sent_at=ago(days=3))
    open_item = send(clinic, STOP_ANSWERS, owner=owner)
    share_review(share=closed, reviewer=clinic.members.get(), status="closed")
    clinic.is_active = False
    clinic.save()

    page = staff_client.get(item_url(open_item)).content.decode()

    assert staff_client.get(item_url(closed)).status_code == 404
    assert item_url(closed) not in page
    assert "this is the only result they have sent to this clinic" in page


def test_it_says_when_there_is_no_other_result(staff_client, clinic):
    share = send(clinic, CONSULT_ANSWERS)

    page = staff_client.get(item_url(share)).content.decode()

    assert "this is the only result they have sent to this clinic" in page


def test_next_and_previous_follow_the_queue_order(staff_client, clinic, other_clinic, clinic_staff):
    stop = send(clinic, STOP_ANSWERS, sent_at=ago(hours=1))
    older = send(clinic, CONSULT_ANSWERS, sent_at=ago(days=2))
    newer = send(clinic, CONSULT_ANSWERS, sent_at=ago(hours=2))
    closed = send(clinic, STOP_ANSWERS, sent_at=ago(days=9))
    share_review(share=closed, reviewer=clinic_staff, status="closed")
    send(other_clinic, CONSULT_ANSWERS, sent_at=ago(days=1))  # another clinic's: never a neighbour

    def neighbours(share):
        context = staff_client.get(item_url(share)).context
        found = context["queue_neighbours"]
        return (
            found["previous"].pk if found["previous"] else None,
            found["next"].pk if found["next"] else None,
        )

    assert neighbours(stop) == (None, older.pk)
    assert neighbours(older) == (stop.pk, newer.pk)
    assert neighbours(newer) == (older.pk, closed.pk)
    assert neighbours(closed) == (newer.pk, None)
    page = staff_client.get(item_url(older)).content.decode()
    assert f'rel="prev" href="{item_url(stop)}"' in page
    assert f'rel="next" href="{item_url(newer)}"' in page


@pytest.mark.parametrize(
    ("answers", "points", "says"),
    [
        # A stop sets the level and carries no points of its own: never "0 points, High risk".
        (STOP_ANSWERS, 0, "High risk, a reason to stop"),
        (STOP_ANSWERS, 3, "High risk, a reason to stop (plus 3 points from other factors)"),
        (CONSULT_ANSWERS, 5, "5 points, {level}"),
        (GO_AHEAD_ANSWERS, 1, "1 point, Lower risk"),
    ],
)
def test_points_and_level_read_as_the_rulebook_means_them(
    staff_client, clinic, answers, points, says
):
    share = send(clinic, answers)
    type(share.assessment).objects.filter(pk=share.assessment_id).update(points=points)
    share.assessment.refresh_from_db()

    page = staff_client.get(item_url(share)).content.decode()

    level = share.assessment.get_level_display()
    assert f'<div class="readonly">{says.format(level=level)}</div>' in page
    assert "0 points, High" not in page


def test_times_are_on_the_24_hour_clock(staff_client, clinic, clinic_staff):
    share = send(clinic, CONSULT_ANSWERS)
    reviewed = share_review(share=share, reviewer=clinic_staff, status="in_progress")
    # An afternoon time, so that the 12-hour clock would show.
    afternoon = timezone.localtime(reviewed.reviewed_at).replace(hour=16, minute=36)
    type(share).objects.filter(pk=share.pk).update(reviewed_at=afternoon)

    page = staff_client.get(item_url(share)).content.decode()

    # Written as the list and this page's "Sent" write times: one way on the page.
    assert f'<div class="readonly">{afternoon:%a %d %b} 16:36</div>' in page
    assert "p.m." not in page
    sent = timezone.localtime(share.sent_at)
    assert f'<div class="readonly">{sent:%a %d %b %H:%M}</div>' in page
