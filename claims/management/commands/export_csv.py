"""python manage.py export_csv {claims,quotes} FILE [--status …] [--user …]: a spreadsheet of what the user may see."""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims.choices import ClaimStatus
from claims.management.importing import acting_user_named
from claims.models import Claim, Quote
from claims.policy import require
from claims.textfiles import written_whole
from claims.transfer.spreadsheets import write_claims_csv, write_quotes_csv

WRITERS = {"claims": (Claim, write_claims_csv), "quotes": (Quote, write_quotes_csv)}


class Command(BaseCommand):
    help = (
        "Write claims or quotes as CSV for a spreadsheet (UTF-8 with a byte-order mark, ISO dates), "
        "holding what --user may see: the public sees published work only, and never who did it."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(WRITERS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--status",
            action="append",
            choices=ClaimStatus.values,
            help="claims only: this status (repeat for several; default all)",
        )
        parser.add_argument("--user", help="whose view to export (default: the system account, which sees all)")
        parser.add_argument("--base-url", default="", help="makes each row's link absolute: https://facts.example.org")

    def handle(self, *args, what, file, status, user, base_url, **options):
        acting_user = acting_user_named(user)
        try:
            require(acting_user, "export")
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        model, write = WRITERS[what]
        records = model.objects.all()
        if status:
            if what != "claims":
                raise CommandError("--status selects claims; quotes have no status.")
            records = records.filter(status__in=status)
        started = time.perf_counter()
        try:
            with written_whole(file, newline="") as handle:
                written = write(records, handle, user=acting_user, base_url=base_url.rstrip("/"))
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Wrote {written:,} {what} to {file} in {seconds:.1f} s, as {acting_user.get_username()} sees them."
        )
