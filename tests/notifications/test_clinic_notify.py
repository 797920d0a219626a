"""The clinic's email when a result is sent to it: urgent, stop and consult only; no health
details, only a link to the item in its queue."""

import pytest
from django.contrib import admin

from assessments.rulebook import NOTES, Disposition
from clinics.models import Share
from clinics.notifications import share_admin_path
from clinics.services import share_send
from outbox.models import OutgoingEmail
from tests.support.assessments import save_assessment
from tests.support.emails import run_worker
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)

RETURNING = {"used_before": "yes", "past_reactions": ["none"], "reaction_now": "no"}
ANSWERS = {
    Disposition.URGENT: {**SAFE_ANSWERS, **RETURNING, "reaction_now": "yes"},
    Disposition.STOP: {**SAFE_ANSWERS, "needle_length": "over_1_5"},
    Disposition.CONSULT: {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5"},
    Disposition.CHANGE: {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "not_sure"},
    Disposition.GO_AHEAD: SAFE_ANSWERS,
}
CONTACT = {
    "contact_way": "email",
    "contact_name": "Alex Example",
    "contact_email": "alex@example.org",
    "contact_phone": "07700 900123",
}


def send(clinic, disposition: Disposition) -> Share:
    assessment = save_assessment({**ANSWERS[disposition], NOTES.key: "my scalp itches"})
    assert assessment.disposition == disposition
    return share_send(assessment=assessment, clinic=clinic, contact=CONTACT)


@pytest.mark.parametrize("disposition", [Disposition.URGENT, Disposition.STOP, Disposition.CONSULT])
def test_the_clinic_is_emailed_a_link_and_nothing_else(clinic, smtp_server, settings, disposition):
    settings.SITE_URL = "https://scalpsafe.example.org"
    share = send(clinic, disposition)
    run_worker()
    [message] = smtp_server.messages
    assert message["To"] == "queue@north.example"
    assert message["Subject"] == "A result was sent to North Hair Clinic"
    body = message.get_content()
    link = f"https://scalpsafe.example.org/admin/clinics/share/{share.pk}/change/"
    assert link in body.split()
    words = f"{message['Subject']} {body.replace(link, '')}".lower()
    for detail in [
        *(d.value for d in Disposition),
        *(d.label.lower() for d in Disposition),
        "urgent",
        "alex",
        "07700",
        "itches",
        "due",
        str(share.assessment_id),
    ]:
        assert detail.lower() not in words, detail


@pytest.mark.parametrize("disposition", [Disposition.CHANGE, Disposition.GO_AHEAD])
def test_change_and_go_ahead_wait_in_the_queue_without_an_email(clinic, smtp_server, disposition):
    send(clinic, disposition)
    run_worker()
    assert smtp_server.messages == []
    assert not OutgoingEmail.objects.exists()


def test_sending_twice_emails_once(clinic, smtp_server):
    share = send(clinic, Disposition.URGENT)
    share_send(assessment=share.assessment, clinic=clinic, contact=CONTACT)
    run_worker()
    assert len(smtp_server.messages) == 1


def test_a_send_that_fails_emails_nobody(clinic, other_clinic, smtp_server):
    share = send(clinic, Disposition.URGENT)
    run_worker()
    other_clinic.active = False
    other_clinic.save()
    with pytest.raises(Exception, match="Already sent"):
        share_send(assessment=share.assessment, clinic=other_clinic, contact=CONTACT)
    run_worker()
    assert [m["To"] for m in smtp_server.messages] == ["queue@north.example"]


def test_the_link_is_the_items_page_in_the_admin(clinic):
    share = send(clinic, Disposition.URGENT)
    assert share_admin_path(share) == f"/admin/clinics/share/{share.pk}/change/"


@pytest.mark.skipif(
    not admin.site.is_registered(Share), reason="the clinic queue (Share's admin) is not built yet"
)
def test_the_link_opens_the_item_for_the_clinics_staff(clinic, client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    from clinics.services import CLINIC_STAFF_GROUP

    share = send(clinic, Disposition.URGENT)
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    # Transactional tests start without the data migration's group: make it as it makes it.
    group, _ = Group.objects.get_or_create(name=CLINIC_STAFF_GROUP)
    group.permissions.add(*Permission.objects.filter(codename__in=["view_share", "change_share"]))
    staff.groups.add(group)
    clinic.members.add(staff)
    client.force_login(staff)
    assert client.get(share_admin_path(share)).status_code == 200
