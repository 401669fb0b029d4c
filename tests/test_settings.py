"""Settings come from the environment; a bad value stops start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck import env

ROOT = Path(__file__).resolve().parent.parent
REAL_SECRET = "q8-Zv3#mL0p!rT7xW2_nB5yK9cJ4hF6dS1gA8uE3oI7wQ0zX5vN2"  # a test value, not a real secret


def run_manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **environ}, capture_output=True, text=True
    )


@pytest.mark.parametrize("raw, expected", [("1", True), ("true", True), ("Off", False), ("0", False)])
def test_booleans_read_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env.env_bool("FLAG") is expected


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env.env_bool("DEBUG")


def test_an_unset_database_url_means_the_embedded_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env.env_database("DATABASE_URL", "/tmp/x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


def test_a_database_url_for_an_unsupported_server_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1/x")
    with pytest.raises(ImproperlyConfigured, match="only PostgreSQL and SQLite"):
        env.env_database("DATABASE_URL", "/tmp/x.sqlite3")


def test_production_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=REAL_SECRET)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
