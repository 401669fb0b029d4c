"""A worker killed mid-job: its job runs again on a worker started after the lease ran out, and ends once.

Real processes: `manage.py run_jobs` as `make worker` runs it, on a database of
its own (an SQLite file, or a PostgreSQL database made for the test when
DATABASE_URL names PostgreSQL), fetching a page from this test's server, which
holds the first request open until the worker is killed.
"""

import os
import secrets
import signal
import subprocess
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.jobs.conftest import Pages
from tests.ops.servers import REPO, manage

LEASE = 2  # seconds
PAGE = b"<html><head><title>Drones</title></head><body><article><p>" + b"Moscow denied it. " * 30 + b"</p></article>"


@pytest.fixture
def database(tmp_path):
    """The environment naming a migrated database of this test's own."""
    env = {**os.environ, "JOB_LEASE_SECONDS": str(LEASE), "FETCH_ALLOW_PRIVATE": "1", "LOG_LEVEL": "WARNING"}
    url = os.environ.get("DATABASE_URL", "")
    name = f"jobs_killed_{secrets.token_hex(4)}"
    # The server's maintenance database, to make and drop this test's own.
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    if url.startswith("postgres"):
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    manage(env, "migrate", "--noinput")
    yield env
    if url.startswith("postgres"):
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def django(env: dict, code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).strip()


def worker(env: dict, *flags: str, log) -> subprocess.Popen:
    command = [str(REPO / ".venv/bin/python"), "manage.py", "run_jobs", "--interval", "0.2", "--no-startup-delay"]
    return subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [*command, *flags], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def test_a_job_whose_worker_was_killed_runs_again_after_its_lease_and_ends_once(database, tmp_path):
    pages = Pages()
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    arrived, release = threading.Event(), threading.Event()

    def first_held_then_served():
        if not arrived.is_set():
            arrived.set()
            release.wait(30)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, PAGE

    pages.routes["/article"] = first_held_then_served
    job = django(
        database,
        "from claims.choices import JobKind; from claims.services.jobs import start_job; "
        "from tests.factories import UserFactory; "
        f"print(start_job(kind=JobKind.FETCH_ARTICLE, acting_user=UserFactory(role='reporter'), "
        f"params={{'url': '{pages.url('/article')}'}}).pk)",
    )
    state = f"from claims.models import Job; j = Job.objects.get(pk={job}); print(j.state, j.attempts, j.message)"
    with (tmp_path / "first.log").open("w") as log:
        first = worker(database, log=log)
        try:
            assert arrived.wait(30), (tmp_path / "first.log").read_text()
            assert django(database, state).startswith("running 1")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
    release.set()
    # Killed: nothing ends its job, which stays running until its lease runs out.
    assert django(database, state).startswith("running 1")
    time.sleep(LEASE + 1)
    with (tmp_path / "second.log").open("w") as log:
        second = worker(database, "--batch", log=log)
        assert second.wait(60) == 0, (tmp_path / "second.log").read_text()
    assert django(database, state).startswith("succeeded 2")
    assert pages.asked == ["/article", "/article"]
    # Ended once: a later worker finds nothing to do, and the page is not asked for again.
    with (tmp_path / "third.log").open("w") as log:
        assert worker(database, "--batch", log=log).wait(60) == 0
    assert pages.asked == ["/article", "/article"]
    text = django(database, f"from claims.models import Job; print(Job.objects.get(pk={job}).result['text'][:17])")
    assert text == "Moscow denied it."
    pages.shutdown()
