"""Jobs run as they do in production: queued in the database backend, run by the worker command, in process."""

import http.server
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.models import Job


def run_worker() -> None:
    """One worker, as `make worker` starts it, running every job due now and then stopping."""
    call_command("run_jobs", batch=True, interval=0, startup_delay=False, verbosity=0)


def time_passes(seconds: float) -> None:
    """The queue's clock moves on: whatever waits to run is `seconds` nearer (the retries' backoff)."""
    for job in Job.objects.all():
        Job.objects.filter(pk=job.pk).update(next_attempt_at=job.next_attempt_at - timedelta(seconds=seconds))
    for task in DBTaskResult.objects.filter(status="READY"):
        DBTaskResult.objects.filter(pk=task.pk).update(run_after=task.run_after - timedelta(seconds=seconds))


def waiting_for(job: Job) -> timedelta:
    """How long the job's next attempt waits, as its queued task says."""
    pending = [task for task in DBTaskResult.objects.filter(status="READY") if task.args_kwargs["args"] == [job.pk]]
    assert len(pending) == 1, pending
    return pending[0].run_after - timezone.now()


class Pages(http.server.ThreadingHTTPServer):
    """A web server on 127.0.0.1 answering each path with what `routes` says: (status, headers, body)."""

    daemon_threads = True

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.asked: list[str] = []
        super().__init__(("127.0.0.1", 0), Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.asked.append(self.path)
        answer = self.server.routes.get(self.path)
        if callable(answer):
            answer = answer()
        status, headers, body = answer or (404, {"Content-Type": "text/plain"}, b"not here")
        self.send_response(status)
        # A header given as "" is not sent (a body of unsaid length, read to the connection's end).
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            if value:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def pages():
    server = Pages()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def private_fetches(settings):
    # The test's page server is on 127.0.0.1, which a deployment never fetches from.
    settings.FETCH_ALLOW_PRIVATE = True
