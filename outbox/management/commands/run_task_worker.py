"""`manage.py run_task_worker`: the background worker, db_worker's with recovery added.

Runs django-tasks-db's own Worker (the loop of `manage.py db_worker`), and before it starts and
every --sweep-every seconds, outbox/recovery.py's sweep: tasks left running by a dead worker,
emails whose task was lost, old rows. Safe to run several, on several hosts: each task is
claimed under a row lock (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive
transaction on SQLite), and the sweep's updates are harmless to repeat.

--once runs the sweep and every task now due, then exits (tests; a cron-driven set-up).
"""

import logging
import os
import socket
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from outbox.recovery import tasks_recover

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the background task worker (emails), recovering lost tasks as it goes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait, when no task is due, before looking again (default 1).",
        )
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=60.0,
            help="Seconds between recovery sweeps (default 60).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Sweep, run every task now due, then exit."
        )

    def handle(self, *, interval: float, sweep_every: float, once: bool, **options) -> None:
        worker = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=interval,
            # Each run() takes every task now due, then returns to this loop.
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}",
        )
        if once:
            tasks_recover()
            worker.run()
            return
        logger.info("Task worker %s started", worker.worker_id)
        # SIGINT/SIGTERM: finish the task in hand, then stop (db_worker's behaviour).
        worker.configure_signals()
        last_sweep = None
        while worker.running:
            if last_sweep is None or time.monotonic() - last_sweep >= sweep_every:
                close_old_connections()
                tasks_recover()
                last_sweep = time.monotonic()
            worker.run()
            if worker.running:
                time.sleep(interval)
