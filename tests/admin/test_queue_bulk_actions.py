"""The queue's list actions over many items at once ("select all items on every page"): a few
statements for each batch of items rather than a save for each item, and each item changed
audited exactly as a change from its page is (clinics.services.shares_review_in_bulk)."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import AuditEvent, ReviewStatus
from clinics.models import Share
from clinics.services import REVIEW_BATCH, share_review, shares_review_in_bulk
from tests.support.query_budgets import add_assessments, send_all
from tests.support.queue import QUEUE_URL

pytestmark = pytest.mark.django_db

# More than two batches of the service.
MANY = 2 * REVIEW_BATCH + 200


def queued(clinic, count: int, **fields) -> list[Share]:
    """`count` items in `clinic`'s queue, in two INSERTs."""
    return send_all(add_assessments(count), clinic, **fields)


def on_every_page(client, action: str, query: str = "", *, follow: bool = True):
    """The action on "all items on every page" of the queue (filtered by `query`), as the
    list's form posts it; followed to the list, which shows its messages. Django asks for a
    ticked box too, whatever it is: select_across acts on the whole list."""
    return client.post(
        f"{QUEUE_URL}{query}",
        {"action": action, "select_across": "1", "index": "0", "_selected_action": ["x"]},
        follow=follow,
    )


def reviews_changed() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.REVIEW_CHANGED))


def comparable(event: AuditEvent) -> tuple:
    details = {key: value for key, value in event.details.items() if key != "share"}
    return (event.action, event.actor_id, event.actor_username, event.clinic_id, details)


def test_it_changes_every_item_on_every_page_with_one_entry_each(
    staff_client, clinic, clinic_staff
):
    items = queued(clinic, MANY)
    already = queued(clinic, 30, status=ReviewStatus.CLOSED)

    response = on_every_page(staff_client, "mark_closed")

    assert f"{MANY:,} items marked as \u201cClosed\u201d." in response.content.decode()
    assert not Share.objects.exclude(status=ReviewStatus.CLOSED).exists()
    assert Share.objects.filter(reviewed_by=clinic_staff).count() == MANY
    events = reviews_changed()
    by_share = {event.details["share"]: event for event in events}
    assert len(events) == len(by_share) == MANY
    assert {str(item.pk): item.assessment_id for item in items} == {
        share: event.assessment_id for share, event in by_share.items()
    }
    assert not {str(item.pk) for item in already} & by_share.keys()


@pytest.mark.parametrize(
    ("action", "change"),
    [
        ("mark_in_progress", {"status": ReviewStatus.IN_PROGRESS}),
        ("mark_follow_up", {"status": ReviewStatus.FOLLOW_UP}),
        ("mark_closed", {"status": ReviewStatus.CLOSED}),
        ("assign_to_me", {"assigned_to": "me"}),
    ],
)
def test_each_entry_is_what_a_change_from_the_items_page_records(
    staff_client, clinic, clinic_staff, action, change
):
    by_page, by_action = queued(clinic, 2)
    change = {n: clinic_staff if v == "me" else v for n, v in change.items()}
    share_review(share=by_page, reviewer=clinic_staff, **change)
    before = timezone.now()

    staff_client.post(QUEUE_URL, {"action": action, "_selected_action": [by_action.pk]})

    [one, bulk] = sorted(reviews_changed(), key=lambda event: event.at)
    assert comparable(bulk) == comparable(one)
    assert (bulk.details["share"], bulk.assessment_id) == (
        str(by_action.pk),
        by_action.assessment_id,
    )
    by_action.refresh_from_db()
    assert by_action.reviewed_by == clinic_staff and by_action.reviewed_at >= before
    assert [getattr(by_action, name) for name in change] == list(change.values())


def test_a_withdrawn_item_or_one_already_so_is_left_alone(clinic, clinic_staff):
    current, closed = queued(clinic, 2)
    [withdrawn] = queued(clinic, 1, withdrawn_at=timezone.now())
    Share.objects.filter(pk=closed.pk).update(status=ReviewStatus.CLOSED)

    changed = shares_review_in_bulk(
        shares=Share.objects.all(), reviewer=clinic_staff, status=ReviewStatus.CLOSED
    )

    assert changed == 1
    assert [event.details["share"] for event in reviews_changed()] == [str(current.pk)]
    withdrawn.refresh_from_db()
    closed.refresh_from_db()
    assert (withdrawn.status, withdrawn.reviewed_by) == (ReviewStatus.NEW, None)
    assert closed.reviewed_by is None


def test_its_queries_do_not_grow_with_the_items(staff_client, clinic, other_clinic):
    def queries(action: str, count: int) -> int:
        Share.objects.all().delete()
        queued(clinic, count)
        with CaptureQueriesContext(connection) as captured:
            on_every_page(staff_client, action, follow=False)
        assert Share.objects.filter(reviewed_at__isnull=False).count() == count
        return len(captured)

    queries("mark_closed", 1)  # the browser session's first save, once
    for action in ("mark_follow_up", "assign_to_me"):
        few, more = queries(action, 10), queries(action, 60)
        assert more == few
        # Then a few statements a batch: the lock, the update and the audit entries' insert
        # (which SQLite's bound on parameters cuts in four).
        assert queries(action, MANY) <= few + 6 * math.ceil(MANY / REVIEW_BATCH)


def test_a_filtered_selection_changes_only_the_items_it_lists(staff_client, clinic):
    following = queued(clinic, 120, status=ReviewStatus.FOLLOW_UP)
    queued(clinic, 40)

    response = on_every_page(staff_client, "mark_in_progress", "?status__exact=follow_up")

    assert "120 items marked as \u201cIn progress\u201d." in response.content.decode()
    assert Share.objects.filter(status=ReviewStatus.IN_PROGRESS).count() == len(following)
    assert Share.objects.filter(status=ReviewStatus.NEW).count() == 40


def test_assign_to_me_assigns_only_items_of_my_clinics(
    admin_client, admin_user, clinic, other_clinic, clinic_staff
):
    clinic.members.add(admin_user)
    mine = queued(clinic, 70)
    queued(clinic, 5, assigned_to=admin_user)
    queued(other_clinic, 30)
    queued(clinic, 3, assigned_to=clinic_staff)

    response = on_every_page(admin_client, "assign_to_me")

    page = response.content.decode()
    assert f"{len(mine) + 3} items assigned to you." in page
    assert "30 items not assigned: you are not on that clinic" in page
    assert Share.objects.filter(clinic=clinic).exclude(assigned_to=admin_user).count() == 0
    assert not Share.objects.filter(clinic=other_clinic, assigned_to__isnull=False).exists()
    assert len(reviews_changed()) == len(mine) + 3
    assert {e.details["assigned_to"] for e in reviews_changed()} == {admin_user.get_username()}


def test_it_changes_only_items_the_reviewer_may_see_whatever_it_is_given(
    clinic, other_clinic, clinic_staff
):
    mine, theirs = queued(clinic, 3), queued(other_clinic, 2)

    changed = shares_review_in_bulk(
        shares=Share.objects.all(), reviewer=clinic_staff, status=ReviewStatus.CLOSED
    )

    assert changed == len(mine)
    assert set(Share.objects.filter(status=ReviewStatus.CLOSED)) == set(mine)
    assert not Share.objects.filter(pk__in=[s.pk for s in theirs], reviewed_by__isnull=False)
