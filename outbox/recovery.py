"""What the worker does besides running tasks: recover lost work, forget old emails.

django-tasks-db has no recovery of its own. Two things can be lost:

- A task left RUNNING by a worker that died (killed, machine lost): after STALE_RUNNING_AFTER
  it is made READY again. Every task must finish well within that time (an SMTP attempt is
  bounded by EMAIL_TIMEOUT), so a task still running is never started twice.
- A queued email with no task to carry it: the process died between the commit and
  `on_commit`'s enqueue, or a task failed on an unexpected error. After ORPHANED_AFTER past
  its due time it gets a new task. Session reminders are recovered the same way
  (roller_sessions/recovery.py).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.pending_tasks import ids_still_carried
from outbox.tasks import email_deliver
from roller_sessions.recovery import reminders_requeue_orphaned

logger = logging.getLogger(__name__)

STALE_RUNNING_AFTER = timedelta(minutes=10)
ORPHANED_AFTER = timedelta(minutes=5)
# Sent and failed emails (their recipients and body already blanked) and finished task results
# are kept this long for the operator's questions ("did the email go?"), then deleted.
KEEP_FINISHED = timedelta(days=30)


@dataclass(frozen=True)
class Recovered:
    tasks_restarted: int
    emails_requeued: int
    emails_deleted: int
    reminders_requeued: int = 0


def tasks_recover(*, now: datetime | None = None) -> Recovered:
    now = now or timezone.now()
    restarted = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - STALE_RUNNING_AFTER)
        .update(status=TaskResultStatus.READY)
    )
    if restarted:
        logger.warning("Restarted %s task(s) left running by a worker that stopped", restarted)
    requeued = _emails_requeue_orphaned(now)
    reminders_requeued = reminders_requeue_orphaned(now, orphaned_after=ORPHANED_AFTER)
    deleted, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
        created_at__lt=now - KEEP_FINISHED,
    ).delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_FINISHED).delete()
    return Recovered(
        tasks_restarted=restarted,
        emails_requeued=requeued,
        emails_deleted=deleted,
        reminders_requeued=reminders_requeued,
    )


def _emails_requeue_orphaned(now: datetime) -> int:
    candidates = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, next_attempt_at__lt=now - ORPHANED_AFTER
        ).values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    carried = ids_still_carried(email_deliver, "email_id")
    orphaned = [pk for pk in candidates if pk not in carried]
    for pk in orphaned:
        with transaction.atomic():
            OutgoingEmail.objects.filter(pk=pk).update(next_attempt_at=now)
            email_deliver.enqueue(email_id=pk)
    if orphaned:
        logger.warning("Re-queued %s email(s) whose delivery task was lost", len(orphaned))
    return len(orphaned)
