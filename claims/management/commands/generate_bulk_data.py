import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims.devdata.bulk import BulkGenerator, Corpus, Plan, writer_for_database
from claims.models import Claim, ClaimRelation, Evidence


class Command(BaseCommand):
    help = (
        "Generate a large, realistic data set for benchmarks: by default 1,000,000 quotes in 100,000 articles "
        "from ~500 outlets, 50,000 speakers with aliases, 200,000 claims with topics, 100,000 sources, "
        "300,000 evidence links and 100,000 claim relations. Text comes from the LIAR PolitiFact statements "
        "(../shared/data/liar, never copied into the repo), varied; real statements are mixed and re-attributed, "
        "so the data is for load testing only, never for publication. The same --seed gives the same rows. "
        "No history rows are written. Everything is written in one transaction: if anything fails, nothing "
        "is kept. PostgreSQL is loaded with COPY and then vacuumed and analysed; SQLite uses bulk_create. "
        "Refuses to run on a database that already has claims unless --append is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quotes", type=int, default=1_000_000)
        parser.add_argument("--claims", type=int, default=200_000)
        parser.add_argument("--speakers", type=int, default=50_000)
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every count, e.g. 0.001 for a quick try."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--liar", type=Path, help="The LIAR data set's directory (default: ../shared/data/liar beside the repo)."
        )
        parser.add_argument(
            "--append", action="store_true", help="Add the generated rows to a database that already has claims."
        )

    def handle(self, *args, quotes, claims, speakers, articles, scale, seed, liar, append, **options):
        plan = Plan.scaled(quotes=quotes, claims=claims, speakers=speakers, articles=articles, scale=scale)
        if problems := plan.problems():
            raise CommandError("Cannot generate this data set: " + "; ".join(problems) + ".")
        existing = Claim.objects.count()
        if existing and not append:
            raise CommandError(
                f"The database already has {existing:,} claims. Generated data would mix with them; "
                "pass --append to add it anyway, or use an empty database."
            )
        liar_dir = liar or Path(settings.BASE_DIR).parent / "shared" / "data" / "liar"
        if liar and not liar_dir.is_dir():
            raise CommandError(f"--liar {liar_dir} is not a directory.")
        corpus = Corpus.load(liar_dir)
        self.stdout.write(f"Text from {corpus.source}.")
        self.stdout.write(f"Generating on {connection.vendor}, seed {seed}, no history rows: {plan}")

        started = time.perf_counter()
        generator = BulkGenerator(plan, corpus, seed, writer_for_database())
        with transaction.atomic():
            timings = generator.run()
            committing = time.perf_counter()
        for table, (rows, seconds) in timings.items():
            self.stdout.write(f"  {table:<28} {rows:>10,} rows {seconds:8.1f} s")
        # Foreign keys are checked at commit (Django makes them deferrable), so the commit takes a while.
        self.stdout.write(f"  {'commit':<28} {'':>15} {time.perf_counter() - committing:8.1f} s")
        if connection.vendor == "postgresql":
            # VACUUM as well: it sets the visibility map, so index-only scans work at once. It cannot
            # run inside a caller's transaction (as in tests), where ANALYZE alone has to do.
            analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            analyzed = time.perf_counter()
            with connection.cursor() as cursor:
                for table in sorted(timings):
                    cursor.execute(f"{analyze} {connection.ops.quote_name(table)}")
            self.stdout.write(f"  {analyze.lower():<28} {'':>15} {time.perf_counter() - analyzed:8.1f} s")
        relations, evidence = ClaimRelation.objects.count(), Evidence.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.perf_counter() - started:.1f} s. The database now has {Claim.objects.count():,} "
                f"claims, {evidence:,} evidence links and {relations:,} relations."
            )
        )
