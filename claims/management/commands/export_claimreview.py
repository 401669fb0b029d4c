"""python manage.py export_claimreview FILE [--base-url …] [--user …]: the newsroom's verdicts as one JSON-LD file."""

import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims import reads
from claims.claimreview import write_feed
from claims.management.importing import acting_user_named
from claims.policy import require
from claims.textfiles import written_whole

# Claims read from the database at a time, prefetches included.
CHUNK = 1000


class Command(BaseCommand):
    help = (
        "Write every claim this newsroom has published as schema.org ClaimReview in one JSON-LD file (a DataFeed, "
        "the same mapping as the API's claimreview/ feed). Verdicts imported from other fact-checkers are left "
        "out: their ClaimReview is theirs to publish. The file is replaced whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--base-url",
            help="where the API is served, e.g. https://facts.example.org: each review's url is its claim's "
            "claimreview/ there (default: the FACTCHECK_PUBLIC_URL setting)",
        )
        parser.add_argument("--user", help="who exports, for the policy (default: the system account)")

    def handle(self, *args, file, base_url, user, **options):
        acting_user = acting_user_named(user)
        try:
            require(acting_user, "export")
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        base = (base_url or settings.FACTCHECK_PUBLIC_URL).rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError(
                f"Give --base-url, the http(s) address the API is served at (e.g. https://facts.example.org); "
                f"got “{base}”. A ClaimReview's url must be an address a reader can open."
            )
        started = time.perf_counter()
        claims = reads.reviewable_claims().iterator(chunk_size=CHUNK)
        try:
            with written_whole(file) as handle:
                written = write_feed(claims, handle, base_url=base)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Wrote {written:,} ClaimReviews to {file} in {seconds:.1f} s "
            "(the newsroom's own published verdicts; imported ones are their reviewers' to publish)."
        )
