"""Time each dashboard panel's read on the million-quote data set, against its own SQL replayed raw.

    createdb -h 127.0.0.1 -U postgres factcheck_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench .venv/bin/python manage.py generate_bulk_data
    .venv/bin/python benchmarks/dashboard_speed.py        (or: make benchmark-dashboard)

Each pass calls every panel's read (claims.dashboard.PANELS) as an editor,
capturing its SQL, then replays those exact statements on psycopg's own cursor
in the same session: the floor, what the database alone costs. It reports
the median and p95 of each over the passes and their ratio, then renders the
whole admin home through the test client.

The bulk data has no history rows, and the review queue reads when each claim
entered review from its history. On first run this writes a review history
for every claim once (recorded as a draft; some sent back once; then into
review; published ones published), in SQL, and says so. The bulk data's
publications end in January 2025, so "this week" is the week of the latest
publication: the chart covers the weeks the data fills.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 300.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/factcheck_bench")
    parser.add_argument("--passes", type=int, default=15)
    return parser.parse_args()


def configure(args: argparse.Namespace) -> None:
    os.environ.update({"DATABASE_URL": args.database_url, "DEBUG": "1", "LOG_LEVEL": "WARNING", "REDIS_URL": ""})
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()


def write_review_history() -> None:
    """A made-up review history for every claim, once, when the data has none (see the module's docstring)."""
    from django.db import connection, transaction

    from claims.models import Claim

    history = Claim.history.model
    if history.objects.exists():
        return
    started = time.perf_counter()
    columns = [field.column for field in Claim._meta.concrete_fields if field.column != "status"]
    copied = ", ".join(f'"{column}"' for column in columns)
    # Each step: (history type, status, when, which claims).
    steps = [
        ("+", "draft", "c.created_at", "TRUE"),
        ("~", "in_review", "c.created_at + interval '1 day'", "c.status <> 'draft' AND c.id %% 4 = 0"),
        ("~", "draft", "c.created_at + interval '2 days'", "c.status <> 'draft' AND c.id %% 4 = 0"),
        (
            "~",
            "in_review",
            "LEAST(c.created_at + interval '3 days' + (c.id %% 240) * interval '1 hour',"
            " COALESCE(c.published_at - interval '1 hour', 'infinity'))",
            "c.status <> 'draft'",
        ),
        ("~", "published", "c.published_at", "c.status = 'published' AND c.published_at IS NOT NULL"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for kind, status, when, which in steps:
            cursor.execute(
                f'INSERT INTO "{history._meta.db_table}" ({copied}, status, history_date, history_type)'  # noqa: S608
                f" SELECT {', '.join(f'c.{column}' for column in copied.split(', '))}, %s, {when}, %s"
                f' FROM "{Claim._meta.db_table}" c WHERE {which}',
                [status, kind],
            )
        cursor.execute(f'ANALYZE "{history._meta.db_table}"')
    written = history.objects.count()
    print(f"Wrote a review history for the claims: {written:,} rows in {time.perf_counter() - started:.1f} s.")


def benchmark_editor():
    from django.contrib.auth.models import Group, User

    from claims.choices import Role

    user, _ = User.objects.get_or_create(username="dashboard-benchmark", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    return user


def latest_publication_day() -> datetime.date:
    from django.db.models import Max
    from django.utils import timezone

    from claims.models import Claim

    latest = Claim.objects.published().aggregate(latest=Max("published_at"))["latest"]
    return timezone.localdate(latest) if latest else timezone.localdate()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def replay(cursor, statements: list[str], *, each: list[float] | None = None) -> float:
    """The statements' time on the database driver's cursor alone, rows fetched; each one's appended to `each`."""
    total = 0.0
    for sql in statements:
        before = time.perf_counter()
        cursor.execute(sql)
        if cursor.description is not None:
            cursor.fetchall()
        ms = (time.perf_counter() - before) * 1000
        total += ms
        if each is not None:
            each.append(ms)
    return total


def measure(args: argparse.Namespace, editor, today: datetime.date) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from claims import dashboard

    orm = {panel.name: [] for panel in dashboard.PANELS}
    raw = {panel.name: [] for panel in dashboard.PANELS}
    queries = {}
    with mock.patch("claims.dashboard.timezone.localdate", return_value=today):
        for panel in dashboard.PANELS:  # warm the caches, unmeasured
            panel.read(editor)
        # The floor runs on the driver's own cursor, in the same session.
        with connection.connection.cursor() as floor:
            for _ in range(args.passes):
                for panel in dashboard.PANELS:
                    with CaptureQueriesContext(connection) as captured:
                        before = time.perf_counter()
                        panel.read(editor)
                        orm[panel.name].append((time.perf_counter() - before) * 1000)
                    statements = [query["sql"] for query in captured.captured_queries]
                    queries[panel.name] = len(statements)
                    raw[panel.name].append(replay(floor, statements))

        client = Client()
        client.force_login(editor)
        client.get("/admin/")
        page = []
        for _ in range(args.passes):
            with CaptureQueriesContext(connection) as captured:
                before = time.perf_counter()
                response = client.get("/admin/")
                page.append((time.perf_counter() - before) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"GET /admin/ answered {response.status_code}")

    print(f"\n{'panel':<14}{'queries':>8}{'median':>10}{'p95':>10}{'raw med':>10}{'raw p95':>10}{'ratio':>8}  target")
    for panel in dashboard.PANELS:
        median, p95 = statistics.median(orm[panel.name]), percentile(orm[panel.name], 95)
        raw_median, raw_p95 = statistics.median(raw[panel.name]), percentile(raw[panel.name], 95)
        verdict = "ok" if p95 < TARGET_MS else f"OVER {TARGET_MS:.0f} ms"
        print(
            f"{panel.name:<14}{queries[panel.name]:>8}{median:>8.1f}ms{p95:>8.1f}ms{raw_median:>8.1f}ms"
            f"{raw_p95:>8.1f}ms{median / raw_median:>8.2f}  {verdict}"
        )
    print(
        f"\nwhole page (GET /admin/, test client, {len(captured.captured_queries)} queries):"
        f" median {statistics.median(page):.0f} ms, p95 {percentile(page, 95):.0f} ms"
    )


def main() -> None:
    args = parse_args()
    configure(args)
    from django.db import connection

    from claims.policy import can

    write_review_history()
    editor = benchmark_editor()
    can(editor, "see_unpublished")  # the reader's roles, read once per request in the admin, outside the panels
    today = latest_publication_day()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
    print(
        f"{os.cpu_count()} CPUs, load average {load}; PostgreSQL jit={jit}, database {size};"
        f" {args.passes} passes; the week of {today} is this week"
    )
    measure(args, editor, today)


if __name__ == "__main__":
    main()
