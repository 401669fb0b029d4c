"""Run a background worker: django-tasks-db's own, plus the sweep that takes back jobs whose worker died.

    python manage.py run_jobs            # until stopped (SIGTERM/Ctrl-C ends the job in hand first)
    python manage.py run_jobs --batch    # every job due now, then exit
    python manage.py run_jobs --sweep    # only take back stalled jobs, once

db_worker's options all apply (--interval, --max-tasks, --queue-name, --worker-id). Its own
loop has no retries and would leave a killed task's row running for ever; a job's lifecycle
is claims.services.jobs, and the sweep here is what brings a killed worker's job back.
"""

import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from claims.services.jobs import logger, requeue_stalled_jobs


def sweep() -> None:
    try:
        requeue_stalled_jobs()
    except DatabaseError as error:
        logger.warning("The sweep for stalled jobs failed (%s); it runs again shortly", error)


def sweep_every(seconds: float, stopped: threading.Event) -> None:
    """The sweep, in its own thread and database connection, while the worker runs jobs."""
    try:
        while not stopped.wait(seconds):
            sweep()
    finally:
        connection.close()


class Command(DatabaseWorker):
    help = "Run a background worker for jobs, taking back those whose worker stopped (see the README)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sweep", action="store_true", help="Only take back stalled jobs, once, and exit.")

    def handle(self, *args, **options):
        sweep()
        if options.pop("sweep"):
            return
        stopped = threading.Event()
        # A stalled job is seen within half a lease of its expiry.
        sweeper = threading.Thread(
            target=sweep_every, args=(settings.JOB_LEASE_SECONDS / 2, stopped), name="job-sweep", daemon=True
        )
        sweeper.start()
        try:
            # Never the autoreloader (db_worker's default with DEBUG): it would kill jobs mid-way on every code change.
            super().handle(*args, **{**options, "reload": False})
        finally:
            stopped.set()
