"""python manage.py rank_matches --pool POOL.jsonl --queries QUERIES.tsv --out RUN.tsv: a TREC run of matches."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import matching
from claims.matching.files import BadFile, read_pool, read_queries, write_run
from claims.matching.ranking import Index
from claims.textfiles import written_whole


class Command(BaseCommand):
    help = (
        "Rank a pool of checked claims (JSON lines with vclaim_id and vclaim, and title and subtitle where present) "
        "against each query (id<TAB>text lines) and write the best of each as a TREC run: "
        "query_id Q0 vclaim_id rank score tag."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pool", type=Path, required=True, help="JSON lines: vclaim_id, vclaim, title, subtitle")
        parser.add_argument("--queries", type=Path, required=True, help="id<TAB>text lines; a header line allowed")
        parser.add_argument("--out", type=Path, required=True, help="TREC run file to write")
        parser.add_argument("--top", type=int, default=20, help="matches written per query (default 20)")
        parser.add_argument("--tag", default="factcheck", help="run name in the last column")

    def handle(self, *args, **options):
        if not 1 <= options["top"] <= 1000:
            raise CommandError("--top takes 1 to 1000.")
        if not options["tag"].strip() or any(c.isspace() for c in options["tag"]):
            raise CommandError("--tag is one word (it is a column of the run).")
        started = time.perf_counter()
        try:
            # Both files are read and checked whole before anything is written.
            pool, queries = read_pool(options["pool"]), read_queries(options["queries"])
        except BadFile as error:
            raise CommandError(str(error)) from None
        ranker = matching.configured()
        index = Index(pool)
        out: Path = options["out"]
        try:
            with written_whole(out) as handle:
                for query in queries:
                    write_run(handle, query.key, index.rank(query.text, ranker, limit=options["top"]), options["tag"])
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        seconds = time.perf_counter() - started
        how = "the learned re-ranking" if ranker.weights else "BM25 alone (no matching model: manage.py train_matching)"
        self.stdout.write(
            f"Ranked {len(queries):,} queries against {len(pool):,} claims with {how} in {seconds:.1f} s: {out}"
        )
