"""python manage.py train_extraction [--data DIR] [--output FILE]: build the extraction model from PolNeAR train."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction import tagger
from claims.extraction.evaluation import load_polnear, training_sequences


class Command(BaseCommand):
    help = (
        "Train the learned layer of extraction (a CRF) on the PolNeAR training split; "
        "extraction reads it from FACTCHECK_EXTRACTION_MODEL or var/extraction/attribution.crfsuite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "data", help="data directory"
        )
        parser.add_argument("--output", type=Path, default=tagger.DEFAULT_MODEL, help="model file to write")

    def handle(self, *args, **options):
        split = options["data"] / "polnear-train"
        if not (split / "attributions").is_dir():
            raise CommandError(
                f"No PolNeAR training split under {options['data']} (need polnear-train/attributions/). "
                "Pass --data DIR pointing at the shared data directory."
            )
        started = time.perf_counter()
        articles = load_polnear(split)
        sequences = [sequence for article in articles for sequence in training_sequences(article)]
        tokens = sum(len(labels) for _, labels in sequences)
        output: Path = options["output"]
        # Written beside the target and renamed: a server reading the model never sees half a file.
        partial = output.with_name(output.name + ".partial")
        tagger.train(sequences, partial)
        partial.replace(output)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Trained on {len(articles)} articles ({tokens:,} tokens) in {seconds:.0f} s: {output}")
