"""python manage.py evaluate_matching [--data DIR]: MAP@1, MAP@5, MRR and P@1 on CheckThat! dev and devtest."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import matching
from claims.matching.files import BadFile, CheckThat
from claims.matching.learning import evaluate
from claims.matching.ranking import Index, Ranker

# Deep enough for MRR to see a checking claim below the fifth place.
RANKED = 20


class Command(BaseCommand):
    help = "Score claim matching on the CheckThat! dev and devtest queries, with the configured ranker and BM25 alone."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "data", help="data directory"
        )
        parser.add_argument("--splits", default="dev,devtest", help="comma-separated: train, dev, devtest")

    def handle(self, *args, **options):
        splits = [s.strip() for s in options["splits"].split(",") if s.strip()]
        if not splits or set(splits) - set(CheckThat.SPLITS):
            raise CommandError(f"--splits takes any of {', '.join(CheckThat.SPLITS)}.")
        try:
            data = CheckThat.read(options["data"] / "claim-matching")
        except BadFile as error:
            raise CommandError(str(error)) from None
        started = time.perf_counter()
        index = Index(data.pool)
        self.stdout.write(f"{len(data.pool):,} claims indexed in {time.perf_counter() - started:.1f} s")
        configured = matching.configured()
        rankers = {"BM25 alone": Ranker()}
        if configured.weights:
            rankers[f"learned ({configured.trained_on})"] = configured
        self.stdout.write(f"{'ranker':<28} {'split':<8} {'queries':>7} {'MAP@1':>6} {'MAP@5':>6} {'MRR':>6} {'P@1':>6}")
        for label, ranker in rankers.items():
            for split in splits:
                began = time.perf_counter()
                rankings = {q.key: index.rank(q.text, ranker, limit=RANKED) for q in data.split(split)}
                s = evaluate(rankings, data.relevant[split])
                self.stdout.write(
                    f"{label:<28} {split:<8} {s.queries:>7} {s.map_at_1:6.3f} {s.map_at_5:6.3f} {s.mrr:6.3f} "
                    f"{s.precision_at_1:6.3f}   {time.perf_counter() - began:.1f} s"
                )
