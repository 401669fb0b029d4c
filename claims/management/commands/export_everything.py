"""python manage.py export_everything FILE: every row, with its history and the accounts, as JSON Lines."""

import sys
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims.management.importing import acting_user_named, progress_bar
from claims.textfiles import written_whole
from claims.transfer.everything import export_everything


class Command(BaseCommand):
    help = (
        "Write every row (claims, evidence, history, import runs, accounts with their password hashes) to FILE, "
        "one JSON object a line, for import_everything to restore. The file is a secret: keep it like a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="the administrator exporting (default: the system account)")

    def handle(self, *args, file, user, **options):
        acting_user = acting_user_named(user)
        # The import commands' --user and progress bar, so every transfer command reads the same.
        progress = progress_bar if sys.stderr.isatty() or options["verbosity"] > 1 else None
        started = time.perf_counter()
        try:
            with written_whole(file) as handle:
                counts = export_everything(handle, acting_user=acting_user, progress=progress)
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Exported {sum(counts.values()):,} rows of {len(counts)} tables to {file} "
            f"({file.stat().st_size / 1e6:,.1f} MB) in {seconds:.1f} s:"
        )
        width = max(map(len, counts))
        for table, count in counts.items():
            self.stdout.write(f"  {table:<{width}} {count:>10,}")
