"""A reminder email already queued, not yet sent, when its session's assessment or the
account is deleted: it goes with them, like every email about a deleted result (the outbox's
`about`). Nothing reaches a deleted account's address."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from assessments.services import account_delete, assessment_delete
from roller_sessions import reminders
from roller_sessions.models import Reminder
from roller_sessions.tasks import reminder_deliver
from tests.support import sessions as s
from tests.support.emails import queued_emails

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("what", ["assessment", "account"])
def test_a_queued_reminder_is_deleted_with_its_result(owner, what):
    s.save_base(owner, days_ago=5)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    EmailAddress.objects.update_or_create(
        user=owner, email=owner.email, defaults={"verified": True, "primary": True}
    )
    reminders.reminders_set(user=owner, on=True)
    due = Reminder.objects.get(session=session, kind="checkin_1")
    assert due.due_at < timezone.now() - datetime.timedelta(hours=1)
    assert reminder_deliver.call(reminder_id=due.pk) == "queued"
    assert [email.to for email in queued_emails()] == [[owner.email]]

    if what == "assessment":
        assessment_delete(assessment=session.base)
    else:
        account_delete(user=owner)

    assert queued_emails() == []
