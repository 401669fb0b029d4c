"""What every transfer command shares: --user and a progress bar; for imports also FILE, --dry-run, --skip-bad."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims.services import system_account
from claims.transfer import ImportFailed, run_import


class ImportCommand(BaseCommand):
    """An import command is this with `kind` (a key of claims.transfer.IMPORTERS) and its help."""

    kind: str

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="read, check and write it all, then roll back")
        parser.add_argument(
            "--skip-bad",
            action="store_true",
            help="import the good lines and write the bad ones, with their reasons, to --rejects",
        )
        parser.add_argument("--rejects", type=Path, help="where --skip-bad writes bad lines (FILE.rejected.tsv)")
        parser.add_argument(
            "--user", help="the editor the import is recorded as in history (default: the system account)"
        )

    def handle(self, *args, file, dry_run, skip_bad, rejects, user, **options):
        acting_user = acting_user_named(user)
        try:
            run = run_import(
                self.kind,
                file,
                acting_user=acting_user,
                dry_run=dry_run,
                skip_bad=skip_bad,
                rejects=rejects,
                progress=progress_bar if sys.stderr.isatty() or options.get("verbosity", 1) > 1 else None,
            )
        except ImportFailed as failed:
            raise CommandError(f"Nothing was imported. {failed.run.message}") from None
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(f"{run.summary()} ({seconds:.1f} s)")
        if run.message:
            self.stdout.write(run.message)


def acting_user_named(username: str | None):
    """The account a transfer command acts as: --user, or the system account."""
    if not username:
        return system_account()
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user “{username}”.") from None


def progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
