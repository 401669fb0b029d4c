"""python manage.py train_extraction [--data DIR] [--output FILE]: build the extraction model from PolNeAR train."""

import gc
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
        output: Path = options["output"]
        # Written beside the target and renamed: a server reading the model never sees half a file.
        partial = output.with_name(output.name + ".partial")
        read = Reading()
        # No cyclic collection while the sequences come in: the millions of lists they are made of would set off
        # one collection after another, each walking every list still held. Nothing read here makes a cycle, and
        # each article's lists are freed as soon as CRFsuite has them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            if options["jobs"] > 1:
                # Reading the articles (the rules, then features) splits across cores. Each article's sequences
                # are handed to CRFsuite as they arrive, in order, while the others are still read: appending them
                # no longer waits for the last article. Fresh processes, not forks: a fork copies a lock another
                # thread holds (a test's server, a client's pool) and its child can wait on it for ever.
                with get_context("forkserver").Pool(options["jobs"]) as pool:
                    sequences = pool.imap(training_sequences, articles, _CHUNK)
                    tagger.train(read.counting(sequences, started), partial)
            else:
                tagger.train(read.counting(map(training_sequences, articles), started), partial)
        finally:
            if collecting:
                gc.enable()
        partial.replace(output)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Trained on {len(articles)} articles ({read.tokens:,} tokens) in {seconds:.0f} s "
            f"(reading and appending {read.seconds:.0f} s, CRFsuite's iterations {seconds - read.seconds:.0f} s): "
            f"{output}"
        )


# Articles a reading process takes at a time: few, so that CRFsuite has the first ones soon and waits little for
# the last.
_CHUNK = 4


class Reading:
    """The articles' sequences, one after another, counted as they pass: their tokens, and when the last came."""

    def __init__(self):
        self.tokens = 0
        self.seconds = 0.0

    def counting(self, articles, started: float):
        for sequences in articles:
            for sequence in sequences:
                self.tokens += len(sequence[1])
                yield sequence
        self.seconds = time.perf_counter() - started
