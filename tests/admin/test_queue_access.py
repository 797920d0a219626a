"""Row-level access to the clinic's queue: staff see only what was sent to their clinics.

By every URL and method (list, its filters, search and date drill-down, the item's page, its
POST, history, delete, every action, the CSV export), staff of another clinic and staff of no
clinic get a 404, or a list that does not hold the item.
"""

import csv
import io
import uuid

import pytest
from django.utils import timezone

from assessments.models import AuditEvent
from clinics.models import Share
from clinics.services import share_withdraw
from tests.support.queue import (
    CONSULT_ANSWERS,
    QUEUE_URL,
    STOP_ANSWERS,
    item_url,
    listed,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_item(clinic, owner):
    return send(
        clinic,
        STOP_ANSWERS,
        owner=owner,
        contact={
            "contact_way": "email",
            "contact_name": "Northern Person",
            "contact_email": "northern@example.org",
        },
    )


@pytest.fixture
def south_item(other_clinic):
    return send(
        other_clinic,
        CONSULT_ANSWERS,
        contact={
            "contact_way": "phone",
            "contact_name": "Southern Person",
            "contact_phone": "07700 900999",
        },
    )


@pytest.fixture
def no_clinic_staff(django_user_model):
    from django.contrib.auth.models import Group

    from clinics.services import CLINIC_STAFF_GROUP

    user = django_user_model.objects.create_user("loose", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=CLINIC_STAFF_GROUP))
    return user


@pytest.fixture(params=["other_clinic_staff", "no_clinic_staff"])
def outsider(request, client):
    """A logged-in client of staff who must not see north's items."""
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return client


def today_drill_down() -> dict:
    today = timezone.localdate()
    return {"sent_at__year": today.year, "sent_at__month": today.month, "sent_at__day": today.day}


LIST_PARAMS = [
    {},
    {"status__exact": "new"},
    {"disposition__exact": "stop"},
    {"overdue": "yes"},
    {"assigned": "nobody"},
    {"clinic": "north"},
    {"q": "Northern"},
    {"q": "northern@example.org"},
]


# --- The list -----------------------------------------------------------------------------------


def test_staff_list_only_their_clinics_items(staff_client, north_item, south_item):
    response = staff_client.get(QUEUE_URL)

    assert response.status_code == 200
    assert listed(response) == [north_item.pk]
    page = response.content.decode()
    assert "Southern Person" not in page
    assert str(south_item.pk) not in page


@pytest.mark.parametrize("params", LIST_PARAMS, ids=lambda p: "&".join(p) or "plain")
def test_it_keeps_another_clinics_items_out_of_every_filter_and_search(
    outsider, north_item, params
):
    response = outsider.get(QUEUE_URL, params)

    assert response.status_code in (200, 302)  # 302: a filter the outsider's list has not
    if response.status_code == 200:
        assert north_item.pk not in listed(response)
        assert response.context_data["cl"].result_count == 0
        # The name given is in no query above; the search box may echo the term itself.
        assert "Northern Person" not in response.content.decode()


@pytest.mark.parametrize("kind", ["drill-down", "item id", "result id"])
def test_it_keeps_them_out_of_the_date_drill_down_and_an_id_search(outsider, north_item, kind):
    params = {
        "drill-down": today_drill_down(),
        "item id": {"q": str(north_item.pk)},
        "result id": {"q": str(north_item.assessment_id)},
    }[kind]

    response = outsider.get(QUEUE_URL, params)

    assert response.status_code == 200
    assert listed(response) == []
    # A search says its count beside the search box; every list says it below the table.
    page = response.content.decode()
    assert "0 queue items" in page
    assert ("0 results" in page) == (kind != "drill-down")


def test_the_date_drill_down_offers_no_date_of_another_clinic(outsider, north_item):
    page = outsider.get(QUEUE_URL).content.decode()

    assert "sent_at__year" not in page


def test_the_date_drill_down_offers_their_own_dates(staff_client, north_item):
    page = staff_client.get(QUEUE_URL).content.decode()

    assert f"sent_at__year={timezone.localdate().year}" in page


@pytest.mark.parametrize("params", LIST_PARAMS, ids=lambda p: "&".join(p) or "plain")
def test_staff_find_their_own_item_with_each_filter(staff_client, north_item, south_item, params):
    response = staff_client.get(QUEUE_URL, params)

    if "clinic" in params:
        # One clinic: no clinic filter is offered, so the parameter is refused.
        assert response.status_code == 302
        return
    # Just sent: not overdue.
    assert listed(response) == ([] if "overdue" in params else [north_item.pk])


# --- One item, by every URL and method ---------------------------------------------------------


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_outsiders_get_404_for_each_page_of_an_item(outsider, north_item, view):
    assert outsider.get(item_url(north_item, view)).status_code == 404
    assert outsider.post(item_url(north_item, view), {"post": "yes"}).status_code == 404
    assert not AuditEvent.objects.filter(action="viewed").exists()


def test_a_post_from_an_outsider_changes_nothing(outsider, north_item):
    response = outsider.post(
        item_url(north_item),
        {"status": "closed", "staff_note": "x", "message_to_person": "y", "assigned_to": ""},
    )

    assert response.status_code == 404
    north_item.refresh_from_db()
    assert (north_item.status, north_item.staff_note, north_item.message_to_person) == (
        "new",
        "",
        "",
    )
    assert not AuditEvent.objects.filter(action="review_changed").exists()


@pytest.mark.parametrize(
    "url",
    [
        f"{QUEUE_URL}not-a-uuid/change/",
        f"{QUEUE_URL}{uuid.uuid4()}/change/",
        f"{QUEUE_URL}{uuid.uuid4()}/history/",
        f"{QUEUE_URL}{uuid.uuid4()}/delete/",
    ],
)
def test_a_missing_item_is_404_not_a_redirect(staff_client, url):
    assert staff_client.get(url).status_code == 404


def test_staff_cannot_delete_or_add_their_own_items(staff_client, north_item):
    assert staff_client.post(item_url(north_item, "delete"), {"post": "yes"}).status_code == 403
    assert staff_client.get(f"{QUEUE_URL}add/").status_code == 403
    assert Share.objects.filter(pk=north_item.pk).exists()


def test_the_history_page_opens_for_their_own_item(staff_client, north_item):
    response = staff_client.get(item_url(north_item, "history"))

    assert response.status_code == 200
    assert str(north_item) in response.content.decode()


# --- Actions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action", ["assign_to_me", "mark_in_progress", "mark_follow_up", "mark_closed"]
)
def test_an_action_on_another_clinics_ids_changes_nothing(outsider, north_item, action):
    response = outsider.post(QUEUE_URL, {"action": action, "_selected_action": [north_item.pk]})

    assert response.status_code in (200, 302)
    north_item.refresh_from_db()
    assert (north_item.status, north_item.assigned_to) == ("new", None)
    assert not AuditEvent.objects.filter(action="review_changed").exists()


def test_an_export_of_another_clinics_ids_holds_none_of_them(
    staff_client, clinic_staff, north_item, south_item
):
    response = staff_client.post(
        QUEUE_URL, {"action": "export_csv", "_selected_action": [north_item.pk, south_item.pk]}
    )

    text = response.content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == [str(north_item.assessment_id)]
    assert "Southern" not in text
    assert "07700 900999" not in text
    exported = AuditEvent.objects.filter(action="exported")
    assert {(e.assessment_id, e.clinic_id) for e in exported} == {
        (north_item.assessment_id, north_item.clinic_id)
    }


def test_an_outsiders_export_is_empty(outsider, north_item):
    response = outsider.post(
        QUEUE_URL, {"action": "export_csv", "_selected_action": [north_item.pk]}
    )

    if response.status_code == 200 and response["Content-Type"].startswith("text/csv"):
        rows = list(csv.DictReader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
        assert rows == []
    assert "Northern" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="exported").exists()


# --- What a person withdraws, and a clinic made inactive -----------------------------------------


def test_a_withdrawn_item_disappears_at_once(staff_client, north_item):
    share_withdraw(assessment=north_item.assessment)

    assert listed(staff_client.get(QUEUE_URL)) == []
    assert staff_client.get(item_url(north_item)).status_code == 404
    assert staff_client.get(item_url(north_item, "history")).status_code == 404


def test_an_inactive_clinics_open_items_stay_until_closed(staff_client, clinic, north_item):
    closed = send(clinic, CONSULT_ANSWERS)
    Share.objects.filter(pk=closed.pk).update(status="closed")
    clinic.is_active = False
    clinic.save()

    assert listed(staff_client.get(QUEUE_URL)) == [north_item.pk]
    assert staff_client.get(item_url(north_item)).status_code == 200
    assert staff_client.get(item_url(closed)).status_code == 404


def test_a_removed_member_loses_the_queue(staff_client, clinic, clinic_staff, north_item):
    clinic.members.remove(clinic_staff)

    assert listed(staff_client.get(QUEUE_URL)) == []
    assert staff_client.get(item_url(north_item)).status_code == 404


def test_staff_of_two_clinics_see_both_and_may_filter_by_clinic(
    staff_client, clinic_staff, other_clinic, north_item, south_item
):
    other_clinic.members.add(clinic_staff)

    both = staff_client.get(QUEUE_URL)
    south_only = staff_client.get(QUEUE_URL, {"clinic": "south"})
    nowhere = staff_client.get(QUEUE_URL, {"clinic": "nowhere\x00"})

    assert set(listed(both)) == {north_item.pk, south_item.pk}
    assert listed(south_only) == [south_item.pk]
    assert nowhere.status_code == 400


def test_people_who_are_not_staff_go_to_the_login(client, owner, north_item):
    for who in (None, owner):
        if who:
            client.force_login(who)
        for url in (QUEUE_URL, item_url(north_item)):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")


def test_staff_outside_the_clinic_staff_group_are_refused(client, django_user_model, north_item):
    plain = django_user_model.objects.create_user("plain", password="x", is_staff=True)
    client.force_login(plain)

    assert client.get(QUEUE_URL).status_code == 403
    assert client.get(item_url(north_item)).status_code in (403, 404)


def test_the_autocomplete_gives_no_one_away(outsider, staff_client, north_item):
    params = {"app_label": "clinics", "model_name": "share", "field_name": "assigned_to"}

    for client in (outsider, staff_client):
        response = client.get("/admin/autocomplete/", {**params, "term": "staff"})
        assert response.status_code == 403


def test_the_lists_join_free_rule_gives_the_same_items_as_the_rule(
    clinic_staff, clinic, other_clinic
):
    # The list reads visible_to's form without joins (clinics/models.py); item pages the joined
    # one. An active clinic's items, an inactive clinic's open item but not its closed one, and
    # nothing of a clinic the member is not on.
    from clinics.admin.queue import user_clinics

    active_item = send(clinic, CONSULT_ANSWERS)
    send(other_clinic, CONSULT_ANSWERS)
    closed_clinic = type(clinic).objects.create(
        name="Closed", slug="closed", notify_email="closed@example.org"
    )
    closed_clinic.members.add(clinic_staff)
    open_there, closed_there = send(closed_clinic, CONSULT_ANSWERS), send(closed_clinic)
    Share.objects.filter(pk=closed_there.pk).update(status="closed")
    closed_clinic.is_active = False
    closed_clinic.save()

    class Request:
        user = clinic_staff

    joined = set(Share.objects.visible_to(clinic_staff).values_list("pk", flat=True))
    join_free = set(
        Share.objects.visible_to(clinic_staff, clinics=user_clinics(Request())).values_list(
            "pk", flat=True
        )
    )
    assert joined == join_free == {active_item.pk, open_there.pk}
