"""python manage.py train_matching [--data DIR] [--output FILE]: learn matching's re-ranking on CheckThat! train."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import matching
from claims.matching.files import BadFile, CheckThat
from claims.matching.learning import train
from claims.matching.ranking import FEATURES, Index


class Command(BaseCommand):
    help = (
        "Learn the weights of claim matching's re-ranking on the CheckThat! training queries; "
        "matching reads them from FACTCHECK_MATCHING_MODEL or var/matching/ranker.json."
    )
    # It replaces the model that the start-up checks refuse when it is stale.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "data", help="data directory"
        )
        parser.add_argument("--output", type=Path, default=matching.DEFAULT_MODEL, help="model file to write")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            data = CheckThat.read(options["data"] / "claim-matching")
        except BadFile as error:
            raise CommandError(str(error)) from None
        ranker = train(Index(data.pool), data.split("train"), data.relevant["train"])
        output: Path = options["output"]
        # Written beside the target and renamed: a server reading the model never sees half a file.
        partial = output.with_name(output.name + ".partial")
        ranker.save(partial)
        partial.replace(output)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Trained on {ranker.trained_on} in {seconds:.0f} s: {output}")
        for name, weight in zip(FEATURES, ranker.weights, strict=True):
            self.stdout.write(f"  {name:<20} {weight:+.3f}", style_func=None)
