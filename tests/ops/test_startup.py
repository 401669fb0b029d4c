"""Start-up stops, naming what is missing, when the database or Redis in the environment does not answer."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from factcheck.settings import redis_caches
from factcheck.startup import require_ready, unapplied_migrations, unreachable

REPO = Path(__file__).resolve().parent.parent.parent
REDIS_DOWN = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


def test_ready_when_the_database_answers_and_is_migrated():
    assert unreachable() == {}
    assert unapplied_migrations() == []
    assert require_ready() is None  # no SystemExit


def test_stops_naming_redis_when_it_does_not_answer():
    from django.core.cache import caches

    with override_settings(REDIS_URL=REDIS_DOWN, CACHES=redis_caches(REDIS_DOWN)):
        caches["default"].close()
        with pytest.raises(SystemExit) as stopped:
            require_ready()
    message = str(stopped.value)
    assert message.startswith("Not starting: what the environment names is not ready.")
    assert "cache: Redis at 127.0.0.1:1 not reachable: Error 111" in message
    assert "database" not in message


def test_stops_naming_the_database_when_it_does_not_answer(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    with pytest.raises(SystemExit, match="database: not reachable: connection to server at"):
        require_ready()


def test_stops_when_migrations_are_not_applied():
    MigrationRecorder.Migration.objects.filter(app="claims").order_by("-id")[:1].get().delete()
    with pytest.raises(SystemExit, match=r"database: 1 migrations not applied \(first: claims\.\d{4}_\w+\); run make"):
        require_ready()


def test_the_server_exits_with_the_message_when_the_database_does_not_exist(tmp_path):
    env = {
        **os.environ,
        # Nothing listens on port 1: refused at once, on a machine with or without PostgreSQL.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/no_such_database",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 64,
        "PORT": "0",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603 (our own server)
        [str(REPO / ".venv/bin/gunicorn"), "--config", "factcheck/gunicorn.conf.py"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Not starting: what the environment names is not ready.\n  database: not reachable:" in done.stderr
    assert "port 1 failed: Connection refused" in done.stderr
    assert "Traceback" not in done.stderr
