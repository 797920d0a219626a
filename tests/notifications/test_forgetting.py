"""An email keeps a person's address and a private link no longer than it needs them, and never
outlives the result it is about (issue 13: contact details are kept as long as the result, no
longer)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.services import account_delete, assessment_delete, assessments_purge
from clinics.clinic_link import private_link_give_once
from clinics.private_links import (
    private_link_create,
    private_link_email_send,
    private_link_revoke,
)
from clinics.services import share_send
from outbox.models import OutgoingEmail
from outbox.services import outgoing_emails_forget
from outbox.tasks import MAX_ATTEMPTS
from scalpsafe.emails import email_send_later
from tests.support.assessments import save_assessment
from tests.support.emails import private_link_emails, run_worker
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "person@example.org"
PRIVATE_LINK_SUBJECT = "Your private link to your ScalpSafe result"


def link_emailed(assessment) -> str:
    """A private link to `assessment`, its email queued (as after a clinic questionnaire)."""
    token = private_link_give_once(assessment=assessment, email=ADDRESS)
    assert token
    [email] = private_link_emails()
    assert email.about_assessment == assessment.pk
    return token


def test_a_sent_email_keeps_no_address_and_no_body(smtp_server):
    assessment = save_assessment()
    link_emailed(assessment)
    run_worker()
    [message] = smtp_server.messages
    assert message["To"] == ADDRESS
    [email] = OutgoingEmail.objects.all()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.to == []
    assert email.body == ""
    # What the operator needs to answer "did the email go?" stays.
    assert email.subject == PRIVATE_LINK_SUBJECT
    assert email.sent_at is not None
    assert ADDRESS not in str(OutgoingEmail.objects.values())


def test_a_failed_email_keeps_no_address_and_no_body(smtp_server):
    email_send_later(to=[ADDRESS], subject="Your ScalpSafe result", body="A private link")
    OutgoingEmail.objects.update(attempts=MAX_ATTEMPTS - 1)
    smtp_server.refuse("550 5.1.1 No such person")
    run_worker()
    [email] = OutgoingEmail.objects.all()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.to == []
    assert email.body == ""
    assert email.last_error == "SMTPDataError 550"


@pytest.mark.parametrize(
    "forget",
    [
        pytest.param(lambda a: assessment_delete(assessment=a), id="result deleted"),
        pytest.param(lambda a: account_delete(user=a.owner), id="account deleted"),
        pytest.param(
            lambda a: assessments_purge(created_before=timezone.now() + timedelta(seconds=1)),
            id="result purged",
        ),
        pytest.param(lambda a: private_link_revoke(assessment=a), id="link revoked"),
    ],
)
def test_a_queued_private_link_email_is_never_sent_once_its_result_or_link_is_gone(
    smtp_server, owner, forget
):
    assessment = save_assessment(owner=owner)
    link_emailed(assessment)

    forget(assessment)

    assert private_link_emails() == []
    run_worker()
    assert smtp_server.messages == []
    assert not OutgoingEmail.objects.exists()


def test_a_new_link_replaces_the_queued_email_of_the_old_one(smtp_server):
    assessment = save_assessment()
    old = link_emailed(assessment)
    new = private_link_create(assessment=assessment)
    private_link_email_send(assessment=assessment, to=ADDRESS, token=new)
    run_worker()
    [message] = smtp_server.messages
    assert new in message.get_content()
    assert old not in message.get_content()


def test_only_the_emails_about_that_result_are_forgotten(smtp_server, clinic):
    kept, gone = save_assessment(), save_assessment()
    link_emailed(kept)
    private_link_give_once(assessment=gone, email="other@example.org")
    # The clinic's notification is about no result of the person's: it stays.
    stop = save_assessment({**SAFE_ANSWERS, "needle_length": "over_1_5"})
    share_send(assessment=stop, clinic=clinic, contact={"contact_way": "none"})

    assessment_delete(assessment=gone)

    run_worker()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([ADDRESS, "queue@north.example"])


def test_a_sent_email_is_not_deleted_with_its_result(smtp_server):
    assessment = save_assessment()
    link_emailed(assessment)
    run_worker()
    assessment_delete(assessment=assessment)
    # Already without address or body: the operator keeps the record that it went.
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_forgetting_nothing_deletes_nothing(smtp_server):
    email_send_later(to=[ADDRESS], subject="Your ScalpSafe result", body="Hello")
    assert outgoing_emails_forget(about=[]) == 0
    assert OutgoingEmail.objects.count() == 1


def test_an_email_deleted_during_a_failed_attempt_is_not_retried(settings):
    settings.EMAIL_BACKEND = "tests.support.emails.ForgetDuringSendBackend"
    email_send_later(to=[ADDRESS], subject="Your ScalpSafe result", body="A private link")
    run_worker()
    assert not OutgoingEmail.objects.exists()
    # No retry task was queued for the deleted row, and the attempt did not crash.
    [task] = DBTaskResult.objects.all()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == "nothing to do"
