"""How fast the LIAR import writes: all three files into an empty PostgreSQL database, several passes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make benchmark-import

DATABASE_URL names the server (its database is not touched): the benchmark
drops and creates `factcheck_liarbench` there (--database for another name),
migrates it, and each pass empties the tables the import writes, then imports
train, valid and test as `manage.py import_liar` does (one transaction a file,
committed, history and all), as the system account. It prints the median and
range of statements a second, and two floors measured in the same run:

- reading and parsing the files alone (what the import cannot do without);
- the raw SQL insert of the same rows: every table the import wrote, copied
  out and COPYed back in one transaction, with the same indexes, generated
  search column and constraints, but none of the work in Python.

The load average before and after says how busy the machine was.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

FILES = ("train.tsv", "valid.tsv", "test.tsv")
# What an import writes; emptied before each pass.
TABLES = [
    "claims_claim_topics", "claims_historicalclaim_topics", "claims_claim", "claims_historicalclaim",
    "claims_speaker", "claims_historicalspeaker", "claims_topic", "claims_outlet", "claims_historicaloutlet",
    "claims_importrun",
]  # fmt: skip


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?")
    return f"{os.cpu_count()} cores, {model}"


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def server_cpu(cursor) -> float | None:
    """CPU seconds the database's process for this connection has used, when it runs on this machine."""
    cursor.execute("SELECT pg_backend_pid()")
    (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of stat(5), counted after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create `name` on the server of `server_url`; the URL of the new database."""
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def empty(cursor) -> None:
    cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


def import_pass(paths: list[Path], user, cursor) -> tuple[int, float, float, float | None]:
    """(statements created, seconds, CPU seconds here, CPU seconds in the database) for one import of every file."""
    from claims.choices import TransferKind
    from claims.transfer import run_import

    started, cpu, server = time.perf_counter(), time.process_time(), server_cpu(cursor)
    created = sum(run_import(TransferKind.LIAR, path, acting_user=user).created for path in paths)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = server_cpu(cursor)
    return created, seconds, cpu, None if server is None or after is None else after - server


def raw_insert_floor(cursor) -> tuple[float, float | None]:
    """(seconds, CPU seconds in the database) to COPY back, in one transaction, every row the last pass wrote."""
    from django.db import transaction

    dumps = {}
    for table in TABLES:
        cursor.execute(
            "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)"
            " FROM information_schema.columns WHERE table_name = %s AND is_generated = 'NEVER'",
            [table],
        )
        (columns,) = cursor.fetchone()
        with cursor.cursor.copy(f"COPY {table} ({columns}) TO STDOUT") as copy:
            dumps[table] = (columns, b"".join(bytes(block) for block in copy))
    empty(cursor)
    started, server = time.perf_counter(), server_cpu(cursor)
    with transaction.atomic():
        for table, (columns, data) in dumps.items():
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(data)
    seconds, after = time.perf_counter() - started, server_cpu(cursor)
    return seconds, None if server is None or after is None else after - server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="holds liar/")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--database", default="factcheck_liarbench", help="the throwaway database to create")
    options = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:5432/any); this measures PostgreSQL.")
    paths = [options.data / "liar" / name for name in FILES]
    if missing := [str(path) for path in paths if not path.exists()]:
        sys.exit(f"LIAR is not here: {', '.join(missing)}")
    os.environ["DATABASE_URL"] = fresh_database(server, options.database)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from claims.services import system_account
    from claims.transfer.liar import read

    call_command("migrate", verbosity=0)
    user = system_account()
    print(f"LIAR import into PostgreSQL {connection.pg_version // 10000} ({options.database}), {machine()}")
    print(f"Before: {load()}")

    started = time.perf_counter()
    statements = sum(1 for path in paths for line in read(path, str(path)) if not line.reason)
    parsing = time.perf_counter() - started

    rates, cpus, servers, floors, floor_cpus = [], [], [], [], []
    with connection.cursor() as cursor:
        for number in range(1, options.passes + 1):
            empty(cursor)
            created, seconds, cpu, server = import_pass(paths, user, cursor)
            if created != statements:
                sys.exit(f"Pass {number} created {created:,} of {statements:,} statements; the tables were not empty.")
            floor, floor_cpu = raw_insert_floor(cursor)
            floors.append(floor)
            floor_cpus.append(floor_cpu)
            rates.append(created / seconds)
            cpus.append(cpu)
            servers.append(server)
            in_database = "?" if server is None else f"{server:.2f}"
            print(
                f"  pass {number}: {seconds:5.2f} s, {created / seconds:6,.0f} statements/s, "
                f"CPU {cpu:.2f} s here and {in_database} s in PostgreSQL"
            )
    median = statistics.median(rates)
    floor = statistics.median(floors)
    spread = f"range {min(rates):,.0f}–{max(rates):,.0f}"
    print(f"Import: {statements:,} statements, median {median:,.0f} statements/s ({spread})")
    cpu = statistics.median(cpus)
    if None not in servers:
        # What a machine with nothing else to do would need, waiting aside.
        cpu += statistics.median(servers)
        print(
            f"  CPU, this process and its PostgreSQL process: median {cpu:.2f} s, {statements / cpu:,.0f} statements/s"
        )
    else:
        print(f"  CPU in this process: median {cpu:.2f} s (PostgreSQL runs elsewhere; its CPU is not counted)")
    print(f"Floor, reading and parsing alone: {parsing:.2f} s, {statements / parsing:,.0f} statements/s")
    print(
        f"Floor, raw SQL insert of the same rows (COPY): median {floor:.2f} s, {statements / floor:,.0f} statements/s"
    )
    print(f"Import / raw insert: {statements / median / floor:.1f}x the time")
    if None not in servers + floor_cpus:
        floor_cpu = statistics.median(floor_cpus)
        print(
            f"  CPU of the raw insert in PostgreSQL: median {floor_cpu:.2f} s; "
            f"import / raw insert {cpu / floor_cpu:.1f}x the CPU"
        )
    print(f"After: {load()}")


if __name__ == "__main__":
    main()
