"""The clinic's email when a later check (rulebook section 6) of a result sent to it is urgent or
stop: like a new submission's, saying "A later check", with no health details. Any other check,
a result the person stopped sharing, or one never sent, emails nobody."""

import pytest
from django.conf import settings

from assessments import rulebook
from assessments.models import ReviewStatus
from assessments.rulebook import Disposition
from clinics.models import Share
from clinics.services import share_send, share_withdraw
from tests.support import sessions as s
from tests.support.emails import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = {"contact_way": "email", "contact_name": "Alex Example", "contact_email": "a@x.org"}


def send_base(clinic, owner, **changes):
    base = s.save_base(owner, days_ago=10, **changes)
    return share_send(assessment=base, clinic=clinic, contact=CONTACT)


def test_an_urgent_checkin_emails_the_clinic_a_link_and_nothing_else(clinic, owner, smtp_server):
    share = send_base(clinic, owner)  # go ahead: no email of its own
    session = s.take_and_log(owner, on=s.days_from_today(-1))
    s.take_checkin(session, 1, "growing_lump")
    run_worker()

    [message] = smtp_server.messages
    assert message["To"] == clinic.notify_email
    assert message["Subject"] == f"A later check of a result was sent to {clinic.name}"
    body = message.get_content()
    assert body.startswith("A later check of a result was sent to")
    link = f"{settings.SITE_URL}/admin/clinics/share/{share.pk}/change/"
    assert link in body.split()
    words = f"{message['Subject']} {body.replace(link, '')}".lower()
    for detail in [
        *(d.value for d in Disposition),
        *(d.label.lower() for d in Disposition),
        rulebook.AFTER_SIGNS.label_for("growing_lump").lower(),
        "lump",
        "alex",
        "session",
        "due",
        str(share.assessment_id),
    ]:
        assert detail.lower() not in words, detail


def test_a_stop_check_before_a_session_emails_the_clinic(clinic, owner, smtp_server):
    send_base(clinic, owner)
    s.take_check(owner, scalp_today=["open_wounds"])
    run_worker()

    assert [m["Subject"] for m in smtp_server.messages] == [
        f"A later check of a result was sent to {clinic.name}"
    ]


@pytest.mark.parametrize(
    ("changes", "given", "disposition"),
    [
        ({}, {}, Disposition.GO_AHEAD),
        ({}, {"device_today": "same_rinsed"}, Disposition.CHANGE),
        ({"needle_length": "1_1_to_1_5"}, {}, Disposition.CONSULT),
    ],
)
def test_any_other_check_emails_nobody(clinic, owner, smtp_server, changes, given, disposition):
    send_base(clinic, owner, **changes)
    run_worker()
    sent_on_sending = len(smtp_server.messages)  # a consult result's own email

    check = s.take_check(owner, **given)
    run_worker()

    assert check.disposition == disposition
    assert len(smtp_server.messages) == sent_on_sending


def test_nobody_is_emailed_once_the_person_stopped_sharing(clinic, owner, smtp_server):
    share = send_base(clinic, owner)
    share_withdraw(assessment=share.assessment)

    s.take_check(owner, reaction_now="yes")
    run_worker()

    assert smtp_server.messages == []


def test_nobody_is_emailed_for_a_result_never_sent(clinic, owner, smtp_server):
    s.save_base(owner)

    s.take_check(owner, reaction_now="yes")
    run_worker()

    assert smtp_server.messages == []


def test_every_urgent_check_emails_the_clinic_like_a_new_submission(clinic, owner, smtp_server):
    send_base(clinic, owner)
    session = s.take_and_log(owner, on=s.days_from_today(-1))
    s.take_checkin(session, 1, "infection_signs")  # raises the item
    s.take_check(owner, reaction_now="yes")  # already urgent and open: new news all the same
    run_worker()
    assert len(smtp_server.messages) == 2


def test_an_urgent_check_that_reopens_a_closed_item_emails_at_once(clinic, owner, smtp_server):
    share = send_base(clinic, owner)
    s.take_check(owner, reaction_now="yes")
    # Closed by the clinic (its review is tested in tests/clinics; the staff group is not in
    # a transactional test's database).
    Share.objects.filter(pk=share.pk).update(status=ReviewStatus.CLOSED)
    s.take_check(owner, reaction_now="yes")  # within the hour, but it reopens the item
    run_worker()
    assert len(smtp_server.messages) == 2
