"""Sending a result to a clinic and withdrawing it: the services every page goes through."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import AuditEvent
from assessments.rulebook import Disposition
from assessments.services import account_delete, assessment_delete, assessments_purge
from clinics.models import ContactWay, Share
from clinics.services import AlreadySentElsewhere, ClinicUnavailable, share_send, share_withdraw
from clinics.working_time import due_at
from tests.support.assessments import FLAGGED_ANSWERS, HARD_STOP_ANSWERS, save_assessment
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_way": ContactWay.PHONE,
    "contact_name": "Sam",
    "contact_email": "",
    "contact_phone": "020 7946 0123",
    "contact_time": "mornings",
}


def test_it_sends_a_result_with_its_disposition_due_time_and_contact(owner, clinic):
    assessment = save_assessment(HARD_STOP_ANSWERS, owner=owner)

    share = share_send(assessment=assessment, clinic=clinic, contact=CONTACT)

    assert share.disposition == assessment.disposition == Disposition.STOP
    assert share.priority == 1
    assert share.is_open and share.is_current and not share.is_reviewed
    assert share.due_at == due_at(Disposition.STOP, share.sent_at)
    assert (share.contact_way, share.contact_phone, share.contact_time) == (
        "phone",
        "020 7946 0123",
        "mornings",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.SENT)
    assert (event.assessment_id, event.clinic, event.actor, event.actor_username) == (
        assessment.pk,
        clinic,
        None,
        AuditEvent.PERSON,
    )
    assert "Sam" not in str(event.details) and "0123" not in str(event.details)


@pytest.mark.parametrize(
    ("answers", "priority"), [(HARD_STOP_ANSWERS, 1), (FLAGGED_ANSWERS, 2), (SAFE_ANSWERS, 3)]
)
def test_the_queue_priority_follows_the_disposition(owner, clinic, answers, priority):
    share = share_send(assessment=save_assessment(answers, owner=owner), clinic=clinic, contact={})

    assert share.priority == priority
    assert share.contact_way == ContactWay.NONE


def test_sending_again_to_the_same_clinic_returns_the_one_share(owner, clinic):
    assessment = save_assessment(FLAGGED_ANSWERS, owner=owner)

    first = share_send(assessment=assessment, clinic=clinic, contact=CONTACT)
    again = share_send(assessment=assessment, clinic=clinic, contact={})

    assert again.pk == first.pk
    assert Share.objects.count() == 1
    assert again.contact_phone == "020 7946 0123"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SENT).count() == 1


def test_a_result_is_with_one_clinic_at_a_time(owner, clinic, other_clinic):
    assessment = save_assessment(FLAGGED_ANSWERS, owner=owner)
    first = share_send(assessment=assessment, clinic=clinic, contact={})

    with pytest.raises(AlreadySentElsewhere) as raised:
        share_send(assessment=assessment, clinic=other_clinic, contact={})

    assert raised.value.share == first
    assert list(Share.objects.current()) == [first]


def test_nothing_new_is_sent_to_an_inactive_clinic(owner, clinic):
    clinic.is_active = False
    clinic.save()

    with pytest.raises(ClinicUnavailable):
        share_send(assessment=save_assessment(owner=owner), clinic=clinic, contact={})

    assert not Share.objects.exists()


def test_withdrawing_ends_access_keeps_the_record_and_forgets_the_contact(owner, clinic):
    assessment = save_assessment(FLAGGED_ANSWERS, owner=owner)
    share_send(assessment=assessment, clinic=clinic, contact=CONTACT)

    withdrawn = share_withdraw(assessment=assessment)

    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_at is not None and not withdrawn.is_current
    assert (withdrawn.contact_way, withdrawn.contact_name, withdrawn.contact_phone) == (
        ContactWay.NONE,
        "",
        "",
    )
    assert not Share.objects.current().exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.WITHDRAWN)
    assert (event.clinic, event.details["reason"]) == (clinic, "stopped sharing")
    # Twice is harmless, and a withdrawn result can be sent again: a new share.
    assert share_withdraw(assessment=assessment) is None
    again = share_send(assessment=assessment, clinic=clinic, contact={})
    assert again.pk != withdrawn.pk
    assert Share.objects.current().get() == again


@pytest.mark.parametrize("delete", ["assessment", "account"])
def test_deleting_the_result_or_the_account_withdraws_it(owner, clinic, delete):
    assessment = save_assessment(FLAGGED_ANSWERS, owner=owner)
    assessment_id = assessment.pk
    share_send(assessment=assessment, clinic=clinic, contact=CONTACT)

    if delete == "assessment":
        assessment_delete(assessment=assessment)
    else:
        account_delete(user=owner)

    assert not Share.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.WITHDRAWN)
    assert (event.assessment_id, event.clinic, event.details["reason"]) == (
        assessment_id,
        clinic,
        "deleted",
    )


def test_visible_to_is_the_clinics_own_current_shares(
    owner, clinic, other_clinic, clinic_staff, other_clinic_staff, admin_user, someone_else
):
    north = share_send(assessment=save_assessment(owner=owner), clinic=clinic, contact={})
    south = share_send(assessment=save_assessment(owner=owner), clinic=other_clinic, contact={})
    withdrawn = save_assessment(owner=owner)
    share_send(assessment=withdrawn, clinic=clinic, contact={})
    share_withdraw(assessment=withdrawn)

    assert list(Share.objects.visible_to(clinic_staff)) == [north]
    assert list(Share.objects.visible_to(other_clinic_staff)) == [south]
    assert set(Share.objects.visible_to(admin_user)) == {north, south}
    assert not Share.objects.visible_to(someone_else).exists()
    assert not Share.objects.visible_to(None).exists()
    clinic_staff.is_active = False
    assert not Share.objects.visible_to(clinic_staff).exists()


def test_an_inactive_clinics_staff_keep_its_open_items_until_they_close_them(
    owner, clinic, clinic_staff
):
    open_item = share_send(assessment=save_assessment(owner=owner), clinic=clinic, contact={})
    closed_item = share_send(assessment=save_assessment(owner=owner), clinic=clinic, contact={})
    Share.objects.filter(pk=closed_item.pk).update(status="closed")
    clinic.is_active = False
    clinic.save()

    assert list(Share.objects.visible_to(clinic_staff)) == [open_item]


def test_the_queue_order_is_open_then_priority_then_oldest(owner, clinic, clinic_staff):
    def send(answers, minutes_ago, status="new"):
        share = share_send(
            assessment=save_assessment(answers, owner=owner), clinic=clinic, contact={}
        )
        Share.objects.filter(pk=share.pk).update(
            sent_at=timezone.now() - timedelta(minutes=minutes_ago), status=status
        )
        return share.pk

    closed_stop = send(HARD_STOP_ANSWERS, 500, "closed")
    new_consult = send(FLAGGED_ANSWERS, 10)
    old_consult = send(FLAGGED_ANSWERS, 100, "follow_up")
    stop = send(HARD_STOP_ANSWERS, 5)
    rest = send(SAFE_ANSWERS, 1000)

    order = list(Share.objects.visible_to(clinic_staff).values_list("pk", flat=True))

    assert order == [stop, old_consult, new_consult, rest, closed_stop]


def test_contact_details_go_with_the_result_when_retention_deletes_it(owner, clinic):
    old = save_assessment(
        FLAGGED_ANSWERS, owner=owner, created_at=timezone.now() - timedelta(days=800)
    )
    kept = save_assessment(FLAGGED_ANSWERS, owner=owner)
    share_send(assessment=old, clinic=clinic, contact=CONTACT)
    share_send(assessment=kept, clinic=clinic, contact=CONTACT)

    assessments_purge(created_before=timezone.now() - timedelta(days=730))

    assert list(Share.objects.values_list("assessment_id", flat=True)) == [kept.pk]
    event = AuditEvent.objects.get(action=AuditEvent.Action.WITHDRAWN)
    assert (event.assessment_id, event.clinic, event.details["reason"]) == (
        old.pk,
        clinic,
        "deleted",
    )
