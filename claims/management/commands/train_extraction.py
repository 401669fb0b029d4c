"""python manage.py train_extraction [--data DIR] [--output FILE]: build the extraction model from PolNeAR train."""

import os
import time
from multiprocessing import get_context
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
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes that read the articles (CRFsuite then trains on one core)",
        )

    def handle(self, *args, **options):
        split = options["data"] / "polnear-train"
        if not (split / "attributions").is_dir():
            raise CommandError(
                f"No PolNeAR training split under {options['data']} (need polnear-train/attributions/). "
                "Pass --data DIR pointing at the shared data directory."
            )
        started = time.perf_counter()
        articles = load_polnear(split)
        if options["jobs"] > 1:
            # Reading the articles (the rules, then features) is a quarter of the time and splits across cores.
            # Fresh processes, not forks: a fork copies a lock another thread holds (a test's server, a client's
            # pool) and its child can wait on it for ever.
            with get_context("forkserver").Pool(options["jobs"]) as pool:
                read = pool.map(training_sequences, articles, chunksize=max(1, len(articles) // (8 * options["jobs"])))
        else:
            read = [training_sequences(article) for article in articles]
        sequences = [sequence for article_sequences in read for sequence in article_sequences]
        featured = time.perf_counter() - started
        tokens = sum(len(labels) for _, labels in sequences)
        output: Path = options["output"]
        # Written beside the target and renamed: a server reading the model never sees half a file.
        partial = output.with_name(output.name + ".partial")
        tagger.train(sequences, partial)
        partial.replace(output)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Trained on {len(articles)} articles ({tokens:,} tokens) in {seconds:.0f} s "
            f"(reading {featured:.0f} s, CRFsuite {seconds - featured:.0f} s): {output}"
        )
