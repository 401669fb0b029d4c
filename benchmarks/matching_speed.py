"""How fast claim matching answers: a pool file ranked whole, and one text against the database.

    make benchmark-matching                      # the pool part only, on any database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench make benchmark-matching

1. Pool: the CheckThat! pool (14,231 claims) indexed, and all 1,196 train and
   dev queries ranked against it with the configured ranker, as
   `manage.py rank_matches` does (the issue's bound: under a minute). The floor
   is the same queries through the BM25 first stage alone.
2. Database (PostgreSQL with the benchmark's data set, `manage.py
   generate_bulk_data`: 200,000 claims): `claims.reads.checked_before` for an
   anonymous reader, in process, over real tweets (CheckThat! devtest) and real
   statements (LIAR test), twice: the first pass starts with nothing cached in
   the process, the second finds the claims it analysed before. The floor is
   the SQL each ranking ran, captured and replayed with psycopg in the same run
   (the issue's bound: p95 under 50 ms).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def line(label: str, values_ms: list[float]) -> str:
    return (
        f"  {label:<34} p50 {percentile(values_ms, 0.5):7.1f} ms   p95 {percentile(values_ms, 0.95):7.1f} ms   "
        f"max {max(values_ms):7.1f} ms   n={len(values_ms)}"
    )


def pool_part(data: Path) -> None:
    from claims import matching
    from claims.matching.files import CheckThat
    from claims.matching.ranking import Index
    from claims.matching.text import analyse

    checkthat = CheckThat.read(data / "claim-matching")
    queries = checkthat.split("train") + checkthat.split("dev")
    ranker = matching.configured()
    started = time.perf_counter()
    index = Index(checkthat.pool)
    indexed = time.perf_counter() - started
    began = time.perf_counter()
    for query in queries:
        index.rank(query.text, ranker, limit=20)
    ranked = time.perf_counter() - began
    began = time.perf_counter()
    for query in queries:
        index.candidates(analyse(query.text))
    first_stage = time.perf_counter() - began
    how = f"learned ({ranker.trained_on})" if ranker.weights else "BM25 alone (no model)"
    print(f"Pool: {len(checkthat.pool):,} claims, {len(queries):,} queries, ranker {how}")
    print(f"  index built                       {indexed:6.1f} s")
    print(f"  queries ranked (top 20)           {ranked:6.1f} s   {ranked / len(queries) * 1000:5.1f} ms a query")
    print(f"  total, as rank_matches does it    {indexed + ranked:6.1f} s   (bound: 60 s)")
    print(f"  floor: BM25 first stage alone     {first_stage:6.1f} s   ranking / floor {ranked / first_stage:4.1f}x")


def database_part(data: Path, texts_per_kind: int) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims import reads
    from claims.matching.files import read_queries
    from claims.models import Claim

    claims = Claim.objects.count()
    rated = reads.rated_claims(AnonymousUser()).count()
    tweets = [q.text for q in read_queries(data / "claim-matching" / "devtest.queries.tsv")][:texts_per_kind]
    with (data / "liar" / "test.tsv").open(encoding="utf-8") as handle:
        statements = [row.split("\t")[2] for row in handle][:texts_per_kind]
    print(f"\nDatabase: {connection.vendor}, {claims:,} claims, {rated:,} of them published with a verdict")
    reader = AnonymousUser()
    reads.checked_before("warm the connection and the word statistics", reader)
    for kind, texts in (("tweets", tweets), ("statements", statements)):
        captured = []
        for attempt in ("first pass", "second pass"):
            times = []
            for text in texts:
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    reads.checked_before(text, reader)
                    times.append((time.perf_counter() - began) * 1000)
                if attempt == "first pass":
                    captured.append([(q["sql"]) for q in queries.captured_queries])
            print(line(f"{kind}, {attempt}", times))
        sql_times = []
        with connection.cursor() as cursor:
            for statements_run in captured:
                began = time.perf_counter()
                for sql in statements_run:
                    cursor.execute(sql)
                    cursor.fetchall()
                sql_times.append((time.perf_counter() - began) * 1000)
        print(line(f"{kind}, floor: its SQL replayed", sql_times))
        print(f"  {'':<34} read / SQL at p50: {statistics.median(times) / statistics.median(sql_times):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--texts", type=int, default=200, help="texts of each kind for the database part")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    print(f"Load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    pool_part(args.data)
    if connection.vendor == "postgresql":
        database_part(args.data, args.texts)
    else:
        print("\nDatabase part skipped: it measures PostgreSQL with the benchmark's data set (see the docstring).")
    print(f"Load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
