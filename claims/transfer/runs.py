"""Running an import: read and check everything, write in one transaction, record how it ended."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from claims.choices import TransferKind, TransferOutcome
from claims.models import ImportRun
from claims.policy import require
from claims.textfiles import BadFile

# Shown in a failure's message after the first bad line; the rest are counted.
SHOWN_BAD_LINES = 5

# Called now and then with (records written, records in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Line:
    """One record of a file as read: what it holds, or why it cannot be taken (`reason`)."""

    number: int | None
    raw: str
    record: Any = None
    reason: str = ""


@dataclass(frozen=True)
class Written:
    """What a writer did: records it made, and records that were there already (imported before)."""

    created: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Importer:
    kind: TransferKind
    # read(path, name) -> the file's Lines; raises BadFile when the file as a whole is unreadable.
    read: Callable[[Path, str], Iterable[Line]]
    # write(records, acting_user=, progress=) -> Written; raises BadFile or ValidationError to refuse.
    write: Callable[..., Written]


# Each format's importer, by the dotted path of its module's IMPORTER.
IMPORTERS: dict[str, str] = {
    TransferKind.LIAR: "claims.transfer.liar.IMPORTER",
    TransferKind.CLAIMREVIEW: "claims.transfer.claimreview.IMPORTER",
    TransferKind.EVERYTHING: "claims.transfer.everything.IMPORTER",
}


class ImportFailed(Exception):
    """An import that wrote nothing; `run` records why."""

    def __init__(self, run: ImportRun):
        super().__init__(run.message)
        self.run = run


def run_import(
    kind: str,
    path: Path,
    *,
    acting_user,
    name: str | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    rejects: Path | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Import the file at `path` (called `name` in messages) as `acting_user`; the finished ImportRun.

    Raises ImportFailed, with nothing written, for a bad file, a bad line (unless
    `skip_bad`) or a refused write; PermissionDenied before reading for a user who may not import.
    """
    require(acting_user, "import")
    importer: Importer = import_string(IMPORTERS[kind])
    name = name or str(path)
    run = ImportRun(kind=kind, file_name=name[:500], started_by=acting_user, started_at=timezone.now())
    try:
        lines = list(importer.read(path, name))
        bad = [line for line in lines if line.reason]
        run.lines_read, run.rejected = len(lines), len(bad)
        if bad and not skip_bad:
            raise BadFile(name, bad[0].number, _first_reasons(bad))
        good = [line.record for line in lines if not line.reason]
        if not good and not bad:
            raise BadFile(name, None, "holds nothing to import")
        with transaction.atomic():
            written = importer.write(good, acting_user=acting_user, progress=progress)
            if dry_run:
                transaction.set_rollback(True)
    except (BadFile, ValidationError) as error:
        _finish(run, TransferOutcome.FAILED, _message(error, name))
        raise ImportFailed(run) from error
    except BaseException as error:
        # A bug or an interrupted run: recorded as failed, then raised as it is.
        _finish(run, TransferOutcome.FAILED, f"Stopped by {type(error).__name__}: {error}")
        raise
    run.created, run.unchanged = written.created, written.unchanged
    message = ""
    if bad:
        rejects = rejects or Path(f"{path}.rejected.tsv")
        write_rejects(rejects, bad)
        message = f"{len(bad):,} bad lines skipped; they and their reasons are in {rejects}."
    _finish(run, TransferOutcome.DRY_RUN if dry_run else TransferOutcome.DONE, message)
    return run


def write_rejects(path: Path, bad: list[Line]) -> None:
    """The rejected lines as TSV: line number, reason, and the line as it was."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("line\treason\toriginal\n")
        for line in bad:
            original = line.raw.rstrip("\r\n").replace("\t", "\\t")
            handle.write(f"{line.number or ''}\t{line.reason}\t{original}\n")


def _first_reasons(bad: list[Line]) -> str:
    reason = bad[0].reason
    if len(bad) > 1:
        others = ", ".join(str(line.number) for line in bad[1:SHOWN_BAD_LINES])
        more = " and more" if len(bad) > SHOWN_BAD_LINES else ""
        reason += f" (bad lines too: {others}{more}; {len(bad):,} in all; --skip-bad imports the rest)"
    return reason


def _message(error: Exception, name: str) -> str:
    if isinstance(error, BadFile):
        return str(error.in_file(name))
    return f"{name}: " + " ".join(getattr(error, "messages", [str(error)]))


def _finish(run: ImportRun, outcome: str, message: str) -> None:
    # Recorded once the import's transaction has committed or rolled back (ImportRun says why).
    run.outcome, run.message, run.finished_at = outcome, message, timezone.now()
    run.save()
