"""Which rows a task still carries: the recovery sweeps' shared question (outbox/recovery.py for
emails, roller_sessions/recovery.py for reminders)."""

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def ids_still_carried(task, kwarg: str) -> set:
    """The values of `kwarg` in the READY or RUNNING runs of `task`: the rows whose task is
    not lost."""
    return {
        args_kwargs["kwargs"].get(kwarg)
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=task.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("args_kwargs", flat=True)
    }
