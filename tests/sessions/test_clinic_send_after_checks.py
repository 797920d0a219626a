"""A result sent to a clinic after one of its later checks said `urgent` or `stop` (section 6:
"every check and check-in is sent with it, and an urgent or stop one notifies the clinic"):
the queue item starts at that priority and the clinic is emailed, as if the check had come
after the sending. Withdrawing and sending again does not lower an item either."""

import pytest

from assessments.rulebook import Disposition
from clinics.services import share_withdraw
from outbox.models import OutgoingEmail
from tests.support import sessions as s
from tests.support.queue import send

pytestmark = pytest.mark.django_db


def clinic_emails(clinic) -> int:
    return sum(clinic.notify_email in email.to for email in OutgoingEmail.objects.all())


def test_a_result_sent_after_an_urgent_checkin_is_urgent_and_notifies(clinic, owner):
    base = s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    assert s.take_checkin(session, 3, "infection_signs").disposition == Disposition.URGENT

    share = send(clinic, assessment=base)

    assert (share.disposition, share.priority) == (Disposition.URGENT, 0)
    assert share.due_at is not None
    assert clinic_emails(clinic) == 1


def test_withdrawing_and_sending_again_keeps_the_raise(clinic, owner):
    base = s.save_base(owner, days_ago=10)
    send(clinic, assessment=base)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    s.take_checkin(session, 3, "infection_signs")
    share_withdraw(assessment=base)

    again = send(clinic, assessment=base)

    assert again.disposition == Disposition.URGENT


def test_calm_checks_leave_a_sent_result_as_it_was(clinic, owner):
    base = s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    s.take_checkin(session, 3)

    share = send(clinic, assessment=base)

    assert share.disposition == Disposition.GO_AHEAD
    assert clinic_emails(clinic) == 0
