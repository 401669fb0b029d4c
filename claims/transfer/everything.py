"""The full export of every row, with its history and the accounts, and its restore into an empty database.

A file is JSON Lines: a first line that says what it is (format, version,
the migration each app's data is at, and how many rows of each table
follow), then one row a line in Django's own serialized form
(`{"model": "claims.claim", "pk": 7, "fields": {...}}`, the "python"
serializer's), tables in dependency order, rows by primary key.

What it holds: every table of the claims app, found rather than listed (so
the desk's assignments and internal comments too), their simple_history
tables (historical rows and historical links of a claim to its quotes and
topics), the links of claims to quotes and topics, the import runs, and every
group, account and membership. Accounts keep their password hashes, so people sign
in after a restore as before: the file is a secret. Left out: API tokens (a
token is a password stored in clear, so a stolen file would let anyone call
the API; clients ask for new ones), Django permissions (the policy grants
none: claims.policy answers every question), sessions, and the admin's own
log (the history tables are the record of changes).

A restore keeps every primary key, import runs' included, writes rows as they
were (no new history: the restore is recorded by its ImportRun, started by
whoever restored and written once it has ended), and resets PostgreSQL's
sequences after. The records of earlier restore attempts that failed are kept,
numbered after the file's runs.
"""

import datetime
import graphlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from claims import published
from claims.choices import TransferKind
from claims.models import ImportRun, Quote
from claims.policy import require
from claims.textfiles import BadFile, numbered_lines
from claims.transfer.runs import Importer, Line, Progress, Written

FORMAT = "factcheck-everything"
VERSION = 1
# Rows written or read between two calls of `progress`.
CHUNK = 2000


def exported_models() -> list[type[models.Model]]:
    """Every table the export holds, each after the tables its rows point to."""
    user = get_user_model()
    chosen = [Group, user, user.groups.through, *apps.get_app_config("claims").get_models(include_auto_created=True)]
    graph = graphlib.TopologicalSorter()
    for model in sorted(chosen, key=lambda m: m._meta.label_lower):
        graph.add(
            model,
            *(
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in chosen and f.related_model is not model
            ),
        )
    return list(graph.static_order())


def exported_fields(model: type[models.Model]) -> list[str]:
    """A row's fields in the file: its own columns; many-to-many links travel as rows of their own tables."""
    return [field.name for field in model._meta.concrete_fields if not field.primary_key]


def schema() -> dict[str, str]:
    """The last migration applied of each app the export holds: what the data's shape is."""
    labels = sorted({model._meta.app_label for model in exported_models()})
    applied = MigrationRecorder(connection).applied_migrations()
    # Migration names here start with their number, so the greatest is the last.
    return {label: max(name for app, name in applied if app == label) for label in labels}


class JSONEncoder(DjangoJSONEncoder):
    """Django's encoder, without its cut of times to milliseconds: a restore gives back the microseconds too."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def export_everything(handle: TextIO, *, acting_user, progress: Progress | None = None) -> dict[str, int]:
    """Write every row to `handle` as one consistent snapshot; the number of rows of each table."""
    require(acting_user, "back_up")
    tables = exported_models()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, though others write meanwhile (SQLite's transaction locks them
            # out); inside a caller's transaction, the caller's snapshot is the one.
            connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = {model._meta.label_lower: model._base_manager.count() for model in tables}
        header = {"format": FORMAT, "version": VERSION, "schema": schema(), "tables": counts}
        handle.write(json.dumps(header) + "\n")
        total, done = sum(counts.values()), 0
        for model in tables:
            fields = exported_fields(model)
            rows = model._base_manager.order_by("pk").iterator(chunk_size=CHUNK)
            for row in serializers.serialize("python", rows, fields=fields):
                handle.write(json.dumps(row, cls=JSONEncoder, ensure_ascii=False) + "\n")
                done += 1
                if progress and (done % CHUNK == 0 or done == total):
                    progress(done, total)
    return counts


@dataclass(frozen=True)
class Header:
    name: str
    tables: dict[str, int]


@dataclass(frozen=True)
class Row:
    number: int
    record: models.Model


def read(path: Path, name: str) -> Iterator[Line]:
    """The file's header, then each row as an unsaved model instance, or the reason it cannot be one."""
    lines = numbered_lines(path, name)
    first = next(lines, None)
    if first is None:
        raise BadFile(name, None, "is empty: a full export starts with a line saying what it is")
    yield Line(1, first[1], _header(name, first[1]))
    tables = {model._meta.label_lower: model for model in exported_models()}
    for number, raw in lines:
        reason, record = _row(raw, tables)
        # Good rows are not kept as text: only a rejects file would need it.
        yield Line(number, raw, reason=reason) if reason else Line(number, "", Row(number, record))


def _header(name: str, raw: str) -> Header:
    try:
        header = json.loads(raw)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadFile(
            name,
            1,
            f"not a full export of this tool (its first line names the format “{FORMAT}”); "
            "files of other fact-checkers' verdicts go to import_liar or import_claimreview",
        )
    if header.get("version") != VERSION:
        raise BadFile(name, 1, f"format version {header.get('version')!r}; this tool reads version {VERSION}")
    here, there = schema(), header.get("schema")
    if there != here:
        raise BadFile(
            name,
            1,
            f"the file's data is at migrations {_migrations(there)}, this database at {_migrations(here)}: "
            "restore into a database migrated to the file's migrations (manage.py migrate APP MIGRATION), "
            "then migrate it forward",
        )
    tables = header.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(n, int) for n in tables.values()):
        raise BadFile(name, 1, "the first line does not say how many rows of each table follow (“tables”)")
    return Header(name, tables)


def _migrations(state) -> str:
    if not isinstance(state, dict):
        return "(not stated)"
    return ", ".join(f"{app} {migration}" for app, migration in sorted(state.items()))


def _row(raw: str, tables: dict[str, type[models.Model]]) -> tuple[str, models.Model | None]:
    if not raw.strip():
        return "an empty line; every line after the first is one row", None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        return f"not JSON ({error.msg} at column {error.colno})", None
    if not isinstance(data, dict) or set(data) != {"model", "pk", "fields"} or not isinstance(data["fields"], dict):
        return 'a row is an object with "model", "pk" and "fields", and nothing else', None
    model = tables.get(str(data["model"]).lower())
    if model is None:
        return f"“{data['model']}” is not a table a full export holds", None
    if type(data["pk"]) is not int:
        return f"the primary key {data['pk']!r} is not a whole number", None
    expected, given = set(exported_fields(model)), set(data["fields"])
    if expected - given:
        return f"{model._meta.label_lower} row {data['pk']} lacks {', '.join(sorted(expected - given))}", None
    if given - expected:
        return f"{model._meta.label_lower} has no field {', '.join(sorted(given - expected))}", None
    try:
        return "", next(serializers.deserialize("python", [data])).object
    except DeserializationError as error:
        return f"{model._meta.label_lower} row {data['pk']}: {error}", None


def write(records: list, *, acting_user, progress: Progress | None = None) -> Written:
    """Restore the rows into this database, which must be empty; refuses, writing nothing, what would not be exact."""
    require(acting_user, "back_up")
    header, rows = records[0], records[1:]
    by_table: dict[type[models.Model], list[Row]] = defaultdict(list)
    for row in rows:
        by_table[type(row.record)].append(row)
    _check_counts(header, by_table)
    _check_references(header.name, by_table)
    kept_accounts = _check_empty(header.name, by_table)
    # The groups a fresh migrate made give way to the file's: the same names, with the file's ids.
    Group.objects.all().delete()
    _renumber_earlier_attempts(by_table.get(ImportRun, []))
    done, total = 0, len(rows)
    user_model = get_user_model()
    try:
        for model in exported_models():
            instances = [row.record for row in by_table.get(model, [])]
            if model is user_model:
                for account in (i for i in instances if i.pk in kept_accounts):
                    # Already here (the system account, whose id the restore's own run points to): updated in place.
                    account.save_base(raw=True, force_update=True)
                instances = [i for i in instances if i.pk not in kept_accounts]
            for start in range(0, len(instances), CHUNK):
                _insert(model, instances[start : start + CHUNK])
                done += len(instances[start : start + CHUNK])
                if progress:
                    progress(done, total)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), exported_models()):
                cursor.execute(statement)
    except (IntegrityError, DataError) as error:
        raise BadFile(header.name, None, f"the database refused the rows: {error}") from error
    # Rows inserted in bulk send no signals: what they would have kept is worked out here.
    Quote.objects.refresh_public()
    published.changed_everything()
    if progress:
        progress(total, total)
    return Written(created=total - len(kept_accounts), unchanged=len(kept_accounts))


def _renumber_earlier_attempts(runs: list[Row]) -> None:
    """Move the records of earlier failed restores past the ids of the file's runs (nothing points to a run)."""
    earlier = list(ImportRun.objects.order_by("pk").values_list("pk", flat=True))
    if not earlier:
        return
    free = max([row.record.pk for row in runs] + earlier)
    for offset, pk in enumerate(earlier, start=1):
        ImportRun.objects.filter(pk=pk).update(id=free + offset)


def _insert(model: type[models.Model], instances: list[models.Model]) -> None:
    # The raw insert loaddata's save(raw=True) does, a batch at a time: values as given (no auto_now
    # stamps) and no signals (so no new history rows).
    fields = model._meta.concrete_fields
    size = connection.ops.bulk_batch_size(fields, instances) or len(instances)
    for start in range(0, len(instances), size):
        model._base_manager._insert(instances[start : start + size], fields=fields, raw=True)


def _check_counts(header: Header, by_table: dict[type[models.Model], list[Row]]) -> None:
    found = Counter({model._meta.label_lower: len(rows) for model, rows in by_table.items()})
    for table in sorted(set(header.tables) | set(found)):
        if header.tables.get(table, 0) != found[table]:
            raise BadFile(
                header.name,
                None,
                f"the first line says {header.tables.get(table, 0):,} rows of {table} follow, and {found[table]:,} "
                "do: the file is cut short or lines were skipped, and a restore takes the whole file",
            )


def _check_references(name: str, by_table: dict[type[models.Model], list[Row]]) -> None:
    """Every reference the database would enforce points at a row of the file (history's need not)."""
    ids = {model: {row.record.pk for row in rows} for model, rows in by_table.items()}
    for model, rows in by_table.items():
        links = [f for f in model._meta.concrete_fields if f.is_relation and f.db_constraint]
        for row in rows:
            for field in links:
                value = getattr(row.record, field.attname)
                if value is not None and value not in ids.get(field.related_model, ()):
                    raise BadFile(
                        name,
                        row.number,
                        f"{field.name} points to {field.related_model._meta.label_lower} {value}, "
                        "which is not in the file",
                    )


def _check_empty(name: str, by_table: dict[type[models.Model], list[Row]]) -> set[int]:
    """Refuse a database that holds anything but what migrate makes; the ids of the accounts to keep.

    An account already here stays only when the file has it under the same id
    and name: the restore's own run points to it.
    """
    for model in apps.get_app_config("claims").get_models(include_auto_created=True):
        rows = model._base_manager.all()
        if model is ImportRun:
            # Earlier restore attempts, which failed, are recorded and kept.
            rows = rows.exclude(kind=TransferKind.EVERYTHING)
        if rows.exists():
            raise BadFile(
                name,
                None,
                f"this database is not empty: {model._meta.db_table} has rows; "
                "restore into a database made by migrate alone",
            )
    in_file = {row.record.pk: row.record.get_username() for row in by_table.get(get_user_model(), [])}
    here = dict(get_user_model()._base_manager.values_list("pk", "username"))
    for pk, username in here.items():
        if in_file.get(pk) != username:
            raise BadFile(
                name,
                None,
                f"this database is not empty: {get_user_model()._meta.db_table} has the account “{username}” "
                f"(id {pk}), which the file does not have under that id; restore into a database made by migrate alone",
            )
    return set(here)


IMPORTER = Importer(TransferKind.EVERYTHING, read, write)
