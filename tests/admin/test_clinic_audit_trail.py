"""A clinic's audit trail: its staff read who viewed, changed and exported what, and when, for
their own clinics only; the operator reads every entry."""

import pytest
from django.utils.html import escape

from assessments.models import AuditEvent
from assessments.services import assessment_delete
from clinics.services import share_review, share_withdraw
from tests.support.queue import AUDIT_URL, CONSULT_ANSWERS, QUEUE_URL, STOP_ANSWERS, item_url, send

pytestmark = pytest.mark.django_db


def entries(response) -> list[AuditEvent]:
    return list(response.context_data["cl"].result_list)


@pytest.fixture
def both_trails(staff_client, clinic, other_clinic, clinic_staff, other_clinic_staff):
    north = send(clinic, STOP_ANSWERS)
    south = send(other_clinic, CONSULT_ANSWERS)
    staff_client.get(item_url(north))
    share_review(share=north, reviewer=clinic_staff, status="in_progress")
    staff_client.post(QUEUE_URL, {"action": "export_csv", "_selected_action": [north.pk]})
    share_review(share=south, reviewer=other_clinic_staff, status="closed")
    return north, south


def test_staff_read_who_did_what_to_which_item_and_when(staff_client, both_trails):
    north, south = both_trails

    response = staff_client.get(AUDIT_URL)

    assert response.status_code == 200
    listed = entries(response)
    assert {e.clinic_id for e in listed} == {north.clinic_id}
    assert sorted(e.action for e in listed) == ["exported", "review_changed", "sent", "viewed"]
    page = response.content.decode()
    assert str(north) in page  # the item, named by date and disposition
    assert item_url(north) in page
    assert "(the person)" in page
    assert str(south.assessment_id) not in page
    assert ">otherstaff<" not in page


def test_what_changed_reads_in_words(staff_client, both_trails, clinic_staff):
    north, _ = both_trails
    share_review(share=north, reviewer=clinic_staff, assigned_to=clinic_staff, note="Rang")
    share_review(share=north, reviewer=clinic_staff, assigned_to=None)

    page = staff_client.get(AUDIT_URL).content.decode()

    assert "status: New → In progress" in page
    assert "assigned to: staff; note changed" in page
    assert "assigned to: nobody" in page
    assert "Rang" not in page  # never the note's words
    assert "{" not in page.split('id="result_list"')[1].split("</table>")[0]


def test_an_item_no_longer_in_the_queue_is_named_by_date_and_disposition_never_by_id(
    staff_client, both_trails
):
    north, _ = both_trails
    share_withdraw(assessment=north.assessment)

    page = staff_client.get(AUDIT_URL).content.decode()

    assert f"{escape(str(north))} (withdrawn by the person)" in page
    assert item_url(north) not in page
    assert str(north.assessment_id) not in page
    assessment_delete(assessment=north.assessment)
    page = staff_client.get(AUDIT_URL).content.decode()
    assert "A result since deleted" in page
    assert str(north.assessment_id) not in page
    assert item_url(north) not in page


@pytest.mark.parametrize(
    "params",
    [
        {"action__exact": "review_changed"},
        {"q": "otherstaff"},
        {"actor__id__exact": "999"},
    ],
)
def test_filters_and_search_never_reach_another_clinics_entries(
    staff_client, both_trails, params, other_clinic_staff
):
    _, south = both_trails
    if "actor__id__exact" in params:
        params = {"actor__id__exact": other_clinic_staff.pk}

    response = staff_client.get(AUDIT_URL, params)

    if response.status_code == 200:
        assert all(e.clinic_id != south.clinic_id for e in entries(response))
    # Never shown as anyone's entry (a search term may be echoed in the filter links).
    assert ">otherstaff<" not in response.content.decode()


def test_another_clinics_entry_is_404(staff_client, both_trails):
    _, south = both_trails
    event = AuditEvent.objects.filter(clinic=south.clinic).first()

    assert staff_client.get(f"{AUDIT_URL}{event.pk}/change/").status_code == 404
    assert staff_client.get(f"{AUDIT_URL}{event.pk}/history/").status_code == 404
    assert staff_client.post(f"{AUDIT_URL}{event.pk}/delete/", {"post": "yes"}).status_code == 404


def test_their_own_entry_opens_read_only(staff_client, both_trails):
    north, _ = both_trails
    event = AuditEvent.objects.filter(clinic=north.clinic, action="viewed").get()

    page = staff_client.get(f"{AUDIT_URL}{event.pk}/change/")
    post = staff_client.post(f"{AUDIT_URL}{event.pk}/change/", {"action": "exported"})

    assert page.status_code == 200
    assert str(north) in page.content.decode()
    assert post.status_code == 403


def test_staff_of_no_clinic_read_nothing(client, django_user_model, both_trails):
    from django.contrib.auth.models import Group

    from clinics.services import CLINIC_STAFF_GROUP

    loose = django_user_model.objects.create_user("loose", password="x", is_staff=True)
    loose.groups.add(Group.objects.get(name=CLINIC_STAFF_GROUP))
    client.force_login(loose)

    assert entries(client.get(AUDIT_URL)) == []


def test_the_operator_reads_every_clinics_entries(admin_client, both_trails):
    north, south = both_trails

    listed = entries(admin_client.get(AUDIT_URL))
    by_clinic = entries(admin_client.get(AUDIT_URL, {"clinic__id__exact": south.clinic_id}))

    assert {e.clinic_id for e in listed} == {north.clinic_id, south.clinic_id}
    assert by_clinic and {e.clinic_id for e in by_clinic} == {south.clinic_id}
