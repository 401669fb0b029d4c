"""Start-up refuses to serve what it cannot answer: the readiness check, run once before the server forks."""

import json
import sys

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest

from factcheck.health import readyz


def unreachable() -> dict[str, str]:
    """What /readyz names as not answering right now (database, Redis), by name."""
    request = HttpRequest()
    request.method = "GET"
    return json.loads(readyz(request).content).get("problems", {})


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def require_ready() -> None:
    """Stop with a message naming each service that does not answer, rather than boot into 500s."""
    problems = unreachable()
    if not problems and (pending := unapplied_migrations()):
        problems["database"] = f"{len(pending)} migrations not applied (first: {pending[0]}); run make migrate."
    if problems:
        lines = "\n".join(f"  {name}: {reason}" for name, reason in problems.items())
        sys.exit(f"Not starting: what the environment names is not ready.\n{lines}")
