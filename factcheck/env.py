"""Typed readers for settings that come from the environment.

Each raises ImproperlyConfigured with the variable's name and what was wrong,
so a bad deployment stops at start-up instead of misbehaving later.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default_sqlite_path: str) -> dict:
    """DATABASE_URL as a Django DATABASES entry; unset means the embedded SQLite file."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        # IMMEDIATE takes the write lock when a transaction starts, so two
        # writers queue (up to the timeout) instead of failing with "locked".
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} could not be read ({exc}); expected e.g. postgres://user@host:5432/dbname."
        ) from None
    if config.get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(f"{name} names {config.get('ENGINE')!r}; only PostgreSQL and SQLite are supported.")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Short OLTP queries: JIT compilation cost more than it saved (164 ms on a 314 ms query).
        options = config.setdefault("OPTIONS", {})
        options.setdefault("options", "-c jit=off")
        # A database that does not answer fails a request in seconds (a 503, factcheck/outage.py), not minutes.
        options.setdefault("connect_timeout", 2)
    return config
