"""The queue's list: its order, the due time, and the filters staff work it with."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from assessments.rulebook import Disposition
from clinics.models import Share
from clinics.services import share_review
from tests.support.queue import (
    CONSULT_ANSWERS,
    GO_AHEAD_ANSWERS,
    QUEUE_URL,
    STOP_ANSWERS,
    URGENT_ANSWERS,
    listed,
    send,
)

pytestmark = pytest.mark.django_db


def ago(**kwargs) -> datetime:
    return timezone.now() - timedelta(**kwargs)


def test_it_puts_open_first_then_urgent_stop_consult_the_rest_oldest_first(
    staff_client, clinic, clinic_staff
):
    newer_consult = send(clinic, CONSULT_ANSWERS, sent_at=ago(hours=1))
    go_ahead = send(clinic, GO_AHEAD_ANSWERS, sent_at=ago(days=9))
    older_consult = send(clinic, CONSULT_ANSWERS, sent_at=ago(days=2))
    stop = send(clinic, STOP_ANSWERS, sent_at=ago(minutes=5))
    closed_urgent = send(clinic, URGENT_ANSWERS, sent_at=ago(days=20))
    share_review(share=closed_urgent, reviewer=clinic_staff, status="closed")
    follow_up = send(clinic, CONSULT_ANSWERS, sent_at=ago(days=30))
    share_review(share=follow_up, reviewer=clinic_staff, status="follow_up")
    urgent = send(clinic, URGENT_ANSWERS, sent_at=ago(minutes=1))

    response = staff_client.get(QUEUE_URL)

    assert listed(response) == [
        urgent.pk,
        stop.pk,
        # Follow-up needed stays in the open block, in its place by priority and age.
        follow_up.pk,
        older_consult.pk,
        newer_consult.pk,
        go_ahead.pk,
        closed_urgent.pk,
    ]


@pytest.mark.parametrize("order", ["1", "-1", "3", "-4.2", "99", "abc"])
def test_no_sort_parameter_reorders_the_queue(staff_client, clinic, order):
    stop = send(clinic, STOP_ANSWERS, sent_at=ago(minutes=1))
    consult = send(clinic, CONSULT_ANSWERS, sent_at=ago(days=3))

    response = staff_client.get(QUEUE_URL, {"o": order})

    assert response.status_code == 200
    assert listed(response) == [stop.pk, consult.pk]


def test_it_shows_each_columns_words(staff_client, clinic):
    send(
        clinic,
        {**STOP_ANSWERS, "notes": "Please ring after 5"},
        contact={"contact_way": "phone", "contact_phone": "07700 900123"},
    )

    page = staff_client.get(QUEUE_URL).content.decode()

    headers = ("Disposition", "Reasons", "Due by", "Status", "Assignee", "Contact", "Their note")
    for header in headers:
        assert f">{header}<" in page or f">{header}</a>" in page, header
    assert Disposition.STOP.label in page
    assert "Needle longer than 1.5 mm" in page
    assert ">Phone<" in page
    assert ">Yes<" in page  # they left a note, whose words are on the item's page only
    assert "Please ring after 5" not in page
    assert "ScalpSafe clinic" in page


def test_it_names_items_by_date_and_disposition_never_by_id(staff_client, clinic):
    share = send(clinic, CONSULT_ANSWERS)

    page = staff_client.get(QUEUE_URL).content.decode()
    item_page = staff_client.get(f"{QUEUE_URL}{share.pk}/change/").content.decode()

    # The id is in the link and in the checkbox's value, never in the words shown.
    visible = page.replace(f"/{share.pk}/", "").replace(f'value="{share.pk}"', "")
    assert str(share.pk) not in visible
    assert str(share.assessment_id) not in visible
    assert str(share) in item_page
    assert f"<title>{share} | Queue item, {share.clinic} | ScalpSafe clinic</title>" in item_page


def test_it_says_when_each_item_is_due_in_the_sites_time_and_marks_the_overdue(
    staff_client, clinic, settings
):
    # Sent Monday 1 June 2026 09:00 London time (08:00 UTC): stop is due Wednesday 09:00.
    stop = send(clinic, STOP_ANSWERS, sent_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    fresh = send(clinic, CONSULT_ANSWERS, sent_at=ago(minutes=1))

    response = staff_client.get(QUEUE_URL)
    rows = {
        share.pk: str(response.context_data["cl"].model_admin.due(share))
        for share in response.context_data["cl"].result_list
    }

    assert settings.TIME_ZONE == "Europe/London"
    assert rows[stop.pk].startswith("Wed 03 Jun 09:00")
    assert "Overdue" in rows[stop.pk]
    assert "Overdue" not in rows[fresh.pk]


def test_the_overdue_filter_keeps_open_items_past_their_due_time(
    staff_client, clinic, clinic_staff
):
    late = send(clinic, CONSULT_ANSWERS, sent_at=ago(days=30))
    late_closed = send(clinic, CONSULT_ANSWERS, sent_at=ago(days=40))
    share_review(share=late_closed, reviewer=clinic_staff, status="closed")
    send(clinic, CONSULT_ANSWERS, sent_at=ago(minutes=1))
    send(clinic, GO_AHEAD_ANSWERS, sent_at=ago(days=50))  # no due time at all

    response = staff_client.get(QUEUE_URL, {"overdue": "yes"})

    assert listed(response) == [late.pk]


def test_the_mine_filter_keeps_my_items(staff_client, clinic, clinic_staff, django_user_model):
    colleague = django_user_model.objects.create_user("colleague", password="x", is_staff=True)
    clinic.members.add(colleague)
    mine = send(clinic, CONSULT_ANSWERS)
    theirs = send(clinic, STOP_ANSWERS)
    nobodys = send(clinic, GO_AHEAD_ANSWERS)
    share_review(share=mine, reviewer=clinic_staff, assigned_to=clinic_staff)
    share_review(share=theirs, reviewer=colleague, assigned_to=colleague)

    assert listed(staff_client.get(QUEUE_URL, {"assigned": "mine"})) == [mine.pk]
    assert listed(staff_client.get(QUEUE_URL, {"assigned": "nobody"})) == [nobodys.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "in_progress"}, {"in_progress"}),
        ({"status__exact": "follow_up"}, {"follow_up"}),
        ({"status__exact": "closed"}, {"closed"}),
        ({"status__exact": "new"}, {"new"}),
        ({"disposition__exact": "stop"}, {"in_progress"}),
        ({"disposition__exact": "urgent"}, set()),
    ],
)
def test_it_filters_by_status_and_disposition(staff_client, clinic, clinic_staff, params, expected):
    made = {
        "new": send(clinic, CONSULT_ANSWERS),
        "in_progress": send(clinic, STOP_ANSWERS),
        "follow_up": send(clinic, CONSULT_ANSWERS),
        "closed": send(clinic, GO_AHEAD_ANSWERS),
    }
    for status, share in made.items():
        if status != "new":
            share_review(share=share, reviewer=clinic_staff, status=status)

    response = staff_client.get(QUEUE_URL, params)

    assert set(listed(response)) == {made[name].pk for name in expected}


def test_the_clinic_filter_shows_only_for_someone_with_several_clinics(
    staff_client, clinic_staff, other_clinic
):
    def titles():
        return [spec.title for spec in staff_client.get(QUEUE_URL).context_data["cl"].filter_specs]

    assert "clinic" not in titles()
    other_clinic.members.add(clinic_staff)
    assert "clinic" in titles()


def test_the_queue_index_serves_the_order():
    assert Share._meta.ordering == ["-is_open", "priority", "sent_at", "id"]
    [index] = [i for i in Share._meta.indexes if i.name == "share_queue"]
    assert index.fields == ["clinic", *Share._meta.ordering]
