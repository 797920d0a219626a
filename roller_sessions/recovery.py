"""Reminders whose task was lost, found and re-queued by the worker's recovery sweep
(outbox/recovery.py, `tasks_recover`).

A reminder's task is enqueued on the commit that logs its session; it is lost if the process
dies between the commit and the enqueue, or if the task fails on an unexpected error. A reminder
past due by ORPHANED_AFTER, neither emailed nor skipped, that no READY or RUNNING task carries,
gets a new one (which decides, as always, at run time).
"""

import logging
from datetime import datetime

from outbox.pending_tasks import ids_still_carried
from roller_sessions.models import Reminder
from roller_sessions.tasks import reminder_deliver

logger = logging.getLogger(__name__)


def reminders_requeue_orphaned(now: datetime, *, orphaned_after) -> int:
    candidates = list(
        Reminder.objects.filter(
            emailed_at__isnull=True, skipped_at__isnull=True, due_at__lt=now - orphaned_after
        ).values_list("pk", flat=True)
    )
    if not candidates:
        return 0
    carried = ids_still_carried(reminder_deliver, "reminder_id")
    orphaned = [pk for pk in candidates if pk not in carried]
    for pk in orphaned:
        reminder_deliver.enqueue(reminder_id=pk)
    if orphaned:
        logger.warning("Re-queued %s reminder(s) whose task was lost", len(orphaned))
    return len(orphaned)
