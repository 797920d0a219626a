"""The audit trail: every view and review change by the operator is recorded, and nobody can
alter it. Clinic staff's entries and their clinic's trail: test_clinic_audit_trail.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.audit import audit_event_record
from assessments.models import AuditEvent
from assessments.services import assessment_review
from tests.support.assessments import (
    CHANGELIST_URL,
    FLAGGED_ANSWERS,
    change_url,
    save_assessment,
)

pytestmark = pytest.mark.django_db

AUDIT_URL = "/admin/assessments/auditevent/"


def test_it_records_a_view_of_an_assessments_page(admin_client, admin_user):
    assessment = save_assessment(FLAGGED_ANSWERS)

    admin_client.get(change_url(assessment))

    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_username, event.assessment_id, event.action) == (
        admin_user,
        "admin",
        assessment.pk,
        "viewed",
    )
    assert timezone.now() - event.at < timedelta(minutes=1)


def test_it_records_no_view_for_the_list_or_a_missing_assessment(admin_client):
    save_assessment()

    admin_client.get(CHANGELIST_URL)
    admin_client.get(f"{CHANGELIST_URL}00000000-0000-0000-0000-000000000000/change/")

    assert not AuditEvent.objects.exists()


def test_it_records_a_review_change_with_its_before_and_after(admin_client, admin_user):
    assessment = save_assessment(FLAGGED_ANSWERS)

    admin_client.post(
        change_url(assessment), {"review_status": "closed", "staff_note": "Seen by Dr A."}
    )

    event = AuditEvent.objects.get(action="review_changed")
    assert event.actor == admin_user
    assert event.assessment_id == assessment.pk
    assert event.details == {"status": ["new", "closed"], "note_changed": True}


def test_it_records_a_review_change_from_an_action(admin_client):
    assessment = save_assessment(FLAGGED_ANSWERS)

    admin_client.post(
        CHANGELIST_URL, {"action": "mark_follow_up", "_selected_action": [assessment.pk]}
    )

    event = AuditEvent.objects.get(action="review_changed")
    assert (event.action, event.details) == (
        "review_changed",
        {"status": ["new", "follow_up"], "note_changed": False},
    )


def test_it_records_nothing_when_nothing_changed(clinic_staff):
    assessment = save_assessment(FLAGGED_ANSWERS)

    assessment_review(assessment=assessment, reviewer=clinic_staff, status="new", note="")

    assert not AuditEvent.objects.exists()


def test_it_keeps_patient_answers_and_note_text_out_of_the_log(admin_client):
    assessment = save_assessment({**FLAGGED_ANSWERS, "notes": "private words"})

    admin_client.get(change_url(assessment))
    admin_client.post(
        change_url(assessment), {"review_status": "closed", "staff_note": "secret note"}
    )

    logged = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "private words" not in logged
    assert "secret note" not in logged
    assert "1_1_to_1_5" not in logged


def test_it_keeps_the_log_when_the_assessment_is_deleted(clinic_staff):
    assessment = save_assessment()
    assessment_id = assessment.pk
    audit_event_record(actor=clinic_staff, action="viewed", assessment_id=assessment_id)

    assessment.delete()

    assert AuditEvent.objects.get().assessment_id == assessment_id


def test_it_lets_superusers_list_the_log_filtered_by_staff_member_and_date(
    admin_client, clinic_staff, someone_else
):
    assessment = save_assessment()
    mine = audit_event_record(actor=clinic_staff, action="viewed", assessment_id=assessment.pk)
    audit_event_record(actor=someone_else, action="viewed", assessment_id=assessment.pk)
    # Written in the past, as the trail cannot be changed afterwards (PostgreSQL's trigger).
    AuditEvent.objects.create(
        actor=clinic_staff,
        actor_username=clinic_staff.username,
        action="viewed",
        assessment_id=assessment.pk,
        at=timezone.now() - timedelta(days=60),
    )
    today = timezone.localdate()

    everything = admin_client.get(AUDIT_URL)
    by_staff_today = admin_client.get(
        AUDIT_URL,
        {
            "actor__id__exact": clinic_staff.pk,
            "at__year": today.year,
            "at__month": today.month,
            "at__day": today.day,
        },
    )

    assert everything.status_code == 200
    assert len(everything.context_data["cl"].result_list) == 3
    assert [event.pk for event in by_staff_today.context_data["cl"].result_list] == [mine.pk]


def test_it_hides_the_operators_entries_from_clinic_staff(staff_client, admin_client):
    assessment = save_assessment()
    admin_client.get(change_url(assessment))
    event = AuditEvent.objects.get()

    listed = staff_client.get(AUDIT_URL)

    assert listed.status_code == 200
    assert list(listed.context_data["cl"].result_list) == []
    assert str(assessment.pk) not in listed.content.decode()
    assert staff_client.get(f"{AUDIT_URL}{event.pk}/change/").status_code == 404


def test_it_refuses_to_add_change_or_delete_log_rows_in_the_admin(admin_client, clinic_staff):
    event = audit_event_record(
        actor=clinic_staff, action="viewed", assessment_id=save_assessment().pk
    )
    url = f"{AUDIT_URL}{event.pk}/change/"

    page = admin_client.get(url)
    change = admin_client.post(url, {"action": "exported", "actor_username": "someone"})
    delete = admin_client.post(f"{AUDIT_URL}{event.pk}/delete/", {"post": "yes"})
    add = admin_client.get(f"{AUDIT_URL}add/")
    bulk_delete = admin_client.post(
        AUDIT_URL, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert bulk_delete.status_code == 200  # the list again: there is no such action
    event.refresh_from_db()
    assert (event.action, event.actor_username) == ("viewed", "staff")


def test_it_refuses_to_update_or_delete_a_log_row_in_code(clinic_staff):
    event = audit_event_record(
        actor=clinic_staff, action="viewed", assessment_id=save_assessment().pk
    )

    event.action = "exported"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()

    assert AuditEvent.objects.get().action == "viewed"


def test_it_lets_superusers_find_the_log_of_one_assessment_by_its_id(admin_client, clinic_staff):
    first, second = save_assessment(), save_assessment()
    wanted = audit_event_record(actor=clinic_staff, action="viewed", assessment_id=first.pk)
    audit_event_record(actor=clinic_staff, action="viewed", assessment_id=second.pk)

    found = admin_client.get(AUDIT_URL, {"q": f" {first.pk} "})

    assert [event.pk for event in found.context_data["cl"].result_list] == [wanted.pk]


def test_its_filters_and_search_bar_read_as_words(admin_client, clinic_staff):
    audit_event_record(
        actor=clinic_staff, action=AuditEvent.Action.VIEWED, assessment_id=save_assessment().pk
    )

    page = admin_client.get(AUDIT_URL).content.decode()

    assert "By date" in page
    assert "By at" not in page
    # No count beside the search bar until there is a search (Django's "N results (Show all)"
    # read as if more rows were hidden).
    assert "Show all" not in page
    searched = admin_client.get(AUDIT_URL, {"q": "staff"}).content.decode()
    assert re.search(r'<span class="small quiet">1 result \(<a href="\?">Show all</a>\)', searched)
