"""Reminders whose task was lost get a new one from the worker's recovery sweep
(roller_sessions/recovery.py, run by outbox.recovery.tasks_recover)."""

import pytest
from django_tasks_db.models import DBTaskResult

from outbox.recovery import ORPHANED_AFTER, tasks_recover
from roller_sessions import reminders
from roller_sessions.models import Reminder
from roller_sessions.tasks import reminder_deliver
from tests.support import sessions as s
from tests.support.emails import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def reminder_tasks():
    return DBTaskResult.objects.filter(task_path=reminder_deliver.module_path)


@pytest.fixture
def session(owner, clock):
    reminders.reminders_set(user=owner, on=True)
    s.save_base(owner)
    return s.take_and_log(owner)


@pytest.fixture
def day_1(session) -> Reminder:
    return Reminder.objects.get(session=session, kind="checkin_1")


def test_a_reminder_whose_task_was_lost_is_requeued_and_sent(day_1, clock, smtp_server):
    reminder_tasks().delete()  # the process died between the commit and the enqueue
    clock.now = day_1.due_at + ORPHANED_AFTER
    assert tasks_recover().reminders_requeued == 0, "not yet past due long enough"
    clock.advance(seconds=1)
    assert tasks_recover().reminders_requeued == 1, "only the day 1 reminder is due"
    assert tasks_recover().reminders_requeued == 0, "its new task carries it"
    run_worker()
    assert [m["Subject"] for m in smtp_server.messages] == ["ScalpSafe: a check-in is due"]
    day_1.refresh_from_db()
    assert day_1.emailed_at is not None


def test_a_reminder_its_task_still_carries_is_left_alone(day_1, clock):
    clock.now = day_1.due_at + ORPHANED_AFTER * 3
    before = reminder_tasks().count()
    assert tasks_recover().reminders_requeued == 0
    assert reminder_tasks().count() == before


def test_emailed_and_skipped_reminders_are_not_requeued(session, day_1, clock, smtp_server):
    clock.now = day_1.due_at
    run_worker()
    reminders.reminders_set(user=session.owner, on=False)
    day_3 = Reminder.objects.get(session=session, kind="checkin_3")
    clock.now = day_3.due_at
    run_worker()
    day_3.refresh_from_db()
    assert day_3.skipped_at is not None
    reminder_tasks().delete()
    clock.advance(hours=1)
    assert tasks_recover().reminders_requeued == 0
