"""Delivery through the queue to a real SMTP server on loopback, the worker run in-process."""

import logging

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.recovery import tasks_recover
from outbox.tasks import MAX_ATTEMPTS, email_deliver, retry_delay
from scalpsafe.emails import email_send_later
from tests.support.emails import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Your private link: https://scalpsafe.example.org/r/secret-token\n"


def queue(**overrides) -> OutgoingEmail:
    email_send_later(
        **{
            "to": ["person@example.org"],
            "subject": "Your ScalpSafe result",
            "body": BODY,
            "headers": {"X-ScalpSafe": "test"},
            **overrides,
        }
    )
    return OutgoingEmail.objects.latest("pk")


def test_it_is_not_sent_from_inside_the_request_but_by_the_worker(smtp_server):
    email = queue()
    assert smtp_server.messages == []
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    [message] = smtp_server.messages
    assert message["To"] == "person@example.org"
    assert message["Subject"] == "Your ScalpSafe result"
    assert message["From"] == "ScalpSafe <no-reply@localhost>"
    assert message["X-ScalpSafe"] == "test"
    assert message["Message-ID"] == email.headers["Message-ID"]
    assert message.get_content().splitlines() == BODY.splitlines()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


def test_the_body_is_blanked_once_sent(smtp_server):
    email = queue()
    run_worker()
    email.refresh_from_db()
    assert email.body == ""


def test_the_task_carries_only_the_id(smtp_server):
    email = queue()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk}}


def test_a_rolled_back_transaction_sends_nothing(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the caller's write failed")
    run_worker()
    assert smtp_server.messages == []
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("reply", ["451 4.3.0 Try again later", "550 5.7.1 Refused"])
def test_a_refusal_is_retried_later_then_delivered(smtp_server, clock, reply):
    email = queue()
    smtp_server.refuse(reply)
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error == f"SMTPDataError {reply[:3]}"
    assert email.body == BODY
    retry = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    assert retry.run_after == clock.now + retry_delay(1)
    assert retry.run_after > clock.now

    smtp_server.refuse(None)
    run_worker()  # not yet due
    assert smtp_server.messages == []
    clock.advance(minutes=1)
    run_worker()
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutgoingEmail.Status.SENT, 2, "")


def test_an_smtp_server_that_is_down_is_retried(smtp_down, clock):
    email = queue()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.last_error == "ConnectionRefusedError"
    assert email.next_attempt_at == clock.now + retry_delay(1)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_the_back_off_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 10)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
        60,
    ]


def test_it_gives_up_after_the_last_attempt_and_says_so_loudly(smtp_server, clock, caplog):
    email = queue()
    smtp_server.refuse("451 4.3.0 Try again later")
    for _ in range(MAX_ATTEMPTS):
        run_worker()
        clock.advance(hours=1)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == MAX_ATTEMPTS
    assert email.body == ""
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    [given_up] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"Email {email.pk} NOT DELIVERED" in given_up.getMessage()
    # Everything the app and the queue logged (mail.log is the test SMTP server's own).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert "person@example.org" not in logged
    assert "secret-token" not in logged
    assert "Your ScalpSafe result" not in logged
    smtp_server.refuse(None)
    run_worker()
    assert smtp_server.messages == []


def test_a_sent_email_is_not_sent_again_when_its_task_runs_twice(smtp_server):
    email = queue()
    email_deliver.enqueue(email_id=email.pk)
    run_worker()
    assert len(smtp_server.messages) == 1
    assert DBTaskResult.objects.filter(return_value="nothing to do").count() == 1


def test_a_task_left_running_by_a_dead_worker_is_recovered_and_delivered_once(smtp_server, clock):
    email = queue()
    # A worker claims the task, then dies before sending.
    DBTaskResult.objects.get().claim("worker-that-died")
    run_worker()
    assert smtp_server.messages == []

    clock.advance(minutes=11)
    run_worker()
    assert len(smtp_server.messages) == 1
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "worker-that-died"
    assert len(task.worker_ids) == 2
    clock.advance(minutes=11)
    run_worker()
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_a_queued_email_whose_task_was_lost_gets_a_new_one(smtp_server, clock):
    email = queue()
    # The process died between the commit and the enqueue.
    DBTaskResult.objects.all().delete()
    run_worker()
    assert smtp_server.messages == []
    clock.advance(minutes=6)
    run_worker()
    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


def test_an_email_with_a_live_task_is_not_given_a_second_one(smtp_down, clock):
    queue()
    run_worker()
    clock.advance(minutes=6)  # the retry is due in 1 minute: it is late, but it has a task
    assert tasks_recover().emails_requeued == 0


def test_old_sent_emails_and_task_results_are_deleted(smtp_server, clock):
    email = queue()
    run_worker()
    clock.advance(days=29)
    run_worker()
    assert OutgoingEmail.objects.filter(pk=email.pk).exists()
    clock.advance(days=2)
    run_worker()
    assert not OutgoingEmail.objects.filter(pk=email.pk).exists()
    assert not DBTaskResult.objects.exists()
