"""Staff's review of a queue item: its states, the assignee, the internal note and the message
to the person, from the item's page and from the list's actions, each change audited; and the
export of the queue."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from assessments.models import AuditEvent
from clinics.services import ShareWithdrawn, share_review, share_withdraw
from tests.support.queue import (
    CONSULT_ANSWERS,
    QUEUE_URL,
    STOP_ANSWERS,
    item_url,
    send,
)

pytestmark = pytest.mark.django_db


def review_post(share, **changes) -> dict:
    return {
        "status": share.status,
        "assigned_to": share.assigned_to_id or "",
        "staff_note": share.staff_note,
        "message_to_person": share.message_to_person,
        **changes,
    }


def test_staff_set_the_status_assignee_note_and_message(staff_client, clinic, clinic_staff):
    share = send(clinic, CONSULT_ANSWERS)

    response = staff_client.post(
        item_url(share),
        review_post(
            share,
            status="follow_up",
            assigned_to=clinic_staff.pk,
            staff_note="Called, no answer.",
            message_to_person="We tried to call you; we will try again on Monday.",
        ),
    )

    assert response.status_code == 302
    share.refresh_from_db()
    assert (share.status, share.assigned_to, share.reviewed_by) == (
        "follow_up",
        clinic_staff,
        clinic_staff,
    )
    assert share.staff_note == "Called, no answer."
    assert share.message_to_person.startswith("We tried to call you")
    assert share.is_open and share.is_reviewed


def test_the_change_is_audited_without_the_words_of_the_note_or_message(
    staff_client, clinic, clinic_staff
):
    share = send(clinic, CONSULT_ANSWERS)

    staff_client.post(
        item_url(share),
        review_post(share, status="closed", staff_note="secret note", message_to_person="hello"),
    )

    event = AuditEvent.objects.get(action="review_changed")
    assert (event.actor, event.clinic, event.assessment_id) == (
        clinic_staff,
        clinic,
        share.assessment_id,
    )
    assert event.details == {
        "share": str(share.pk),
        "status": ["new", "closed"],
        "note_changed": True,
        "message_changed": True,
    }
    assert "secret note" not in str(event.details) and "hello" not in str(event.details)


def test_only_a_member_of_the_items_clinic_can_be_assigned(
    staff_client, clinic, other_clinic_staff, clinic_staff
):
    share = send(clinic, CONSULT_ANSWERS)

    page = staff_client.get(item_url(share))
    response = staff_client.post(
        item_url(share), review_post(share, assigned_to=other_clinic_staff.pk)
    )

    choices = [label for _, label in page.context["adminform"].form.fields["assigned_to"].choices]
    assert choices == ["---------", "staff"]
    assert response.status_code == 200
    assert "assigned_to" in response.context["adminform"].form.errors
    share.refresh_from_db()
    assert share.assigned_to is None
    with pytest.raises(ValidationError):
        share_review(share=share, reviewer=clinic_staff, assigned_to=other_clinic_staff)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "reviewed"},
        {"status": "x" * 1_000_000},
        {"staff_note": "x" * 2001},
        {"message_to_person": "x" * 1001},
        {"staff_note": "nul \x00 byte"},
        {"assigned_to": "not-a-number"},
        {"assigned_to": "99999"},
    ],
    ids=["old-state", "1MB", "long-note", "long-message", "nul", "bad-id", "no-such-user"],
)
def test_it_refuses_bad_input_with_a_form_error(staff_client, clinic, changes):
    share = send(clinic, CONSULT_ANSWERS)

    response = staff_client.post(item_url(share), review_post(share, **changes))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    share.refresh_from_db()
    assert (share.status, share.staff_note, share.message_to_person) == ("new", "", "")
    assert not AuditEvent.objects.filter(action="review_changed").exists()


def test_it_ignores_posted_answers_contact_details_and_dates(staff_client, clinic):
    share = send(clinic, STOP_ANSWERS)
    before = {k: v for k, v in vars(share).items() if not k.startswith("_")}

    staff_client.post(
        item_url(share),
        review_post(
            share,
            contact_name="Changed",
            contact_phone="0",
            disposition="go_ahead",
            due_at="2000-01-01 00:00",
            sent_at="2000-01-01 00:00",
            clinic="999",
            withdrawn_at="2000-01-01 00:00",
        ),
    )

    share.refresh_from_db()
    after = {k: v for k, v in vars(share).items() if not k.startswith("_")}
    assert after == before


def test_nothing_changed_records_nothing(staff_client, clinic):
    share = send(clinic, CONSULT_ANSWERS)

    staff_client.post(item_url(share), review_post(share))

    assert not AuditEvent.objects.filter(action="review_changed").exists()
    share.refresh_from_db()
    assert share.reviewed_by is None


# --- Actions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_in_progress", "in_progress"),
        ("mark_follow_up", "follow_up"),
        ("mark_closed", "closed"),
    ],
)
def test_an_action_sets_the_status_of_the_selected_items(
    staff_client, clinic, clinic_staff, action, status
):
    chosen = [send(clinic, CONSULT_ANSWERS), send(clinic, STOP_ANSWERS)]
    untouched = send(clinic, CONSULT_ANSWERS)

    response = staff_client.post(
        QUEUE_URL, {"action": action, "_selected_action": [s.pk for s in chosen]}
    )

    assert response.status_code == 302
    for share in chosen:
        share.refresh_from_db()
        assert (share.status, share.reviewed_by) == (status, clinic_staff)
    untouched.refresh_from_db()
    assert untouched.status == "new"
    events = AuditEvent.objects.filter(action="review_changed")
    assert sorted(e.details["status"][1] for e in events) == [status, status]
    assert {e.clinic for e in events} == {clinic}


def test_assign_to_me_assigns_and_audits(staff_client, clinic, clinic_staff):
    share = send(clinic, CONSULT_ANSWERS)

    staff_client.post(QUEUE_URL, {"action": "assign_to_me", "_selected_action": [share.pk]})
    staff_client.post(QUEUE_URL, {"action": "assign_to_me", "_selected_action": [share.pk]})

    share.refresh_from_db()
    assert share.assigned_to == clinic_staff
    [event] = AuditEvent.objects.filter(action="review_changed")
    assert event.details["assigned_to"] == "staff"


def test_the_operator_cannot_assign_an_item_to_themselves(admin_client, clinic):
    share = send(clinic, CONSULT_ANSWERS)

    response = admin_client.post(
        QUEUE_URL, {"action": "assign_to_me", "_selected_action": [share.pk]}, follow=True
    )

    share.refresh_from_db()
    assert share.assigned_to is None
    assert "not on that clinic" in response.content.decode()


def test_there_is_no_delete_action(staff_client, clinic):
    send(clinic, CONSULT_ANSWERS)

    actions = staff_client.get(QUEUE_URL).context_data["action_form"].fields["action"].choices

    assert [name for name, _ in actions] == [
        "",
        "assign_to_me",
        "mark_in_progress",
        "mark_follow_up",
        "mark_closed",
        "export_csv",
    ]


# --- The export -----------------------------------------------------------------------------


def test_the_export_has_the_result_contact_and_review_and_is_audited(
    staff_client, clinic, clinic_staff
):
    share = send(
        clinic,
        {**CONSULT_ANSWERS, "notes": '=HYPERLINK("http://evil")'},
        contact={"contact_way": "email", "contact_email": "sam@example.org"},
    )
    share_review(share=share, reviewer=clinic_staff, status="follow_up", note="@call back")

    response = staff_client.post(
        QUEUE_URL, {"action": "export_csv", "_selected_action": [share.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="queue-')
    assert "no-store" in response["Cache-Control"]
    [row] = csv.DictReader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff")))
    assert row["id"] == str(share.assessment_id)
    assert (row["clinic"], row["review_status"], row["review_status (label)"]) == (
        "north",
        "follow_up",
        "Follow-up needed",
    )
    assert (row["contact_way"], row["contact_email"]) == ("email", "sam@example.org")
    assert row["staff_note"] == "'@call back"
    assert row["notes"] == '\'=HYPERLINK("http://evil")'
    assert row["disposition"] == "consult"
    [event] = AuditEvent.objects.filter(action="exported")
    assert (event.actor, event.clinic, event.assessment_id) == (
        clinic_staff,
        clinic,
        share.assessment_id,
    )


def test_a_withdrawn_item_cannot_be_reviewed_even_by_a_form_or_action_already_open(
    staff_client, clinic, clinic_staff
):
    share = send(clinic, CONSULT_ANSWERS)
    share_withdraw(assessment=share.assessment)

    with pytest.raises(ShareWithdrawn):
        share_review(share=share, reviewer=clinic_staff, status="closed")
    saved = staff_client.post(item_url(share), review_post(share, status="closed"))

    assert saved.status_code == 404
    share.refresh_from_db()
    assert (share.status, share.reviewed_by) == ("new", None)
    assert not AuditEvent.objects.filter(action="review_changed").exists()
