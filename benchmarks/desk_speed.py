"""Time whole desk pages on the million-quote data set, against their own SQL replayed raw.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_bench .venv/bin/python manage.py migrate
    .venv/bin/python benchmarks/desk_speed.py        (or: make benchmark-desk)

The same data set and the same method as benchmarks/dashboard_speed.py, whose
helpers it uses (and whose review history it writes once, if the data has none:
the changes page and the home page read it). Each page is asked for once to warm
the caches, then N times (--passes), every page once a pass, through Django's
test client: as an editor (force_login) for the newsroom's pages, anonymous for
the public's. Each request's SQL is captured and replayed on psycopg's own
cursor in the same session: the floor, what the database alone costs. It prints
per page the queries, the median and p95 of the whole request, the median floor,
their ratio (request over floor: what Python, templates and the driver add) and
the statement slowest on the floor; then the machine and its load, before and
after, since the machine is shared and figures taken under load are not its own.

The rows each page shows are picked from the data: the claim with the most
evidence among those with quotes and relations (and the same among published
claims, for the public page), the article with the most quotes, the speaker with
the most quotes, the claimant with the most claims; the search is for --word
("tax": 92,597 of the million quotes). The editor is dashboard_speed's, who has
nothing assigned and no drafts. Django runs with DEBUG on, as dashboard_speed's
configure sets it (without it the test client's plain http would be sent to https).

History tables written since their last vacuum are vacuumed first: with
autovacuum off, as on the benchmark's server, the review queue's index-only
scans of the history otherwise read the heap as well (the queue: 105 against 150 ms).
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_speed import (  # noqa: E402 (benchmarks/ is not a package: its directory is put on the path)
    TARGET_MS,
    benchmark_editor,
    configure,
    percentile,
    replay,
    write_review_history,
)

# A deep page of the verdicts: its OFFSET reads 4,975 rows first (claims.views.base.MAX_PAGE is 400).
DEEP_PAGE = 200


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/factcheck_bench")
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--word", default="tax", help="what the search pages look for (default: tax)")
    parser.add_argument("--only", default="", help="time only the pages whose label contains this")
    parser.add_argument("--sql", action="store_true", help="print each page's slowest statement in full")
    return parser.parse_args()


@dataclass
class Page:
    label: str
    path: str
    anonymous: bool = False
    request_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    # Each statement's floor, by its place in the request, over the passes.
    statement_ms: dict[int, list[float]] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown CPU")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def vacuum_histories() -> None:
    """VACUUM the history tables written since their last vacuum (write_review_history's, on a first run).

    Autovacuum may be off on the benchmark's server (it is here), and until a table is vacuumed its
    visibility map is empty: every index-only scan of the review queue's history reads the heap too.
    generate_bulk_data vacuums the tables it loads for the same reason.
    """
    from django.db import connection

    from claims.dashboard import recorded_histories

    tables = [historical._meta.db_table for _, historical in recorded_histories().values()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND n_ins_since_vacuum > 0", [tables]
        )
        written = sorted(name for (name,) in cursor.fetchall())
        started = time.perf_counter()
        for table in written:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    if written:
        elapsed = time.perf_counter() - started
        print(f"Vacuumed {', '.join(written)} in {elapsed:.1f} s: rows were written since its last vacuum.")


def picks(word: str) -> dict:
    """The rows the pages show, picked from the data (see the module's docstring)."""
    from django.db.models import Count, Exists, OuterRef, Q

    from claims.models import Article, Claim, ClaimRelation, Quote, Speaker

    related = ClaimRelation.objects.filter(Q(from_claim=OuterRef("pk")) | Q(to_claim=OuterRef("pk")))
    quoted = Claim.quotes.through.objects.filter(claim=OuterRef("pk"))
    full = (
        Claim.objects.filter(Exists(related), Exists(quoted))
        .annotate(evidence_count=Count("evidence"))
        .order_by("-evidence_count", "pk")
    )
    claim = full.first()
    public = full.filter(status="published", published_at__isnull=False, reviewed_by__isnull=True).first()
    article = Article.objects.annotate(n=Count("quotes")).order_by("-n", "pk").values_list("pk", "n").first()
    speaker_id, quotes = Quote.objects.values_list("speaker").annotate(n=Count("pk")).order_by("-n", "speaker").first()
    claimant_id, claims = (
        Claim.objects.values_list("claimant").annotate(n=Count("pk")).order_by("-n", "claimant").first()
    )
    return {
        "claim": claim,
        "public": public,
        "article": article,
        "speaker": (Speaker.objects.get(pk=speaker_id), quotes),
        "claimant": (claimant_id, claims),
        "word": word,
    }


def pages(chosen: dict) -> list[Page]:
    claim, public = chosen["claim"], chosen["public"]
    (article_id, _), (speaker, _), (claimant_id, _) = chosen["article"], chosen["speaker"], chosen["claimant"]
    word = chosen["word"]
    return [
        Page("home (editor)", "/"),
        Page("verdicts", "/verdicts/", anonymous=True),
        Page(f"verdicts p{DEEP_PAGE}", f"/verdicts/?page={DEEP_PAGE}", anonymous=True),
        Page("claims", "/claims/"),
        Page("claims in review", "/claims/?status=in_review"),
        Page("claims by claimant", f"/claims/?claimant={claimant_id}"),
        Page("claim (editor)", f"/claims/{claim.pk}/"),
        Page("claim (public)", f"/claims/{public.pk}/", anonymous=True),
        Page("articles", "/articles/"),
        Page("article", f"/articles/{article_id}/"),
        Page("speakers", "/speakers/"),
        Page("speaker quotes", f"/speakers/{speaker.slug}/"),
        Page("speaker claims", f"/speakers/{speaker.slug}/?show=claims"),
        Page("search (editor)", f"/search/?q={word}"),
        Page("search (public)", f"/search/?q={word}", anonymous=True),
        Page("changes", f"/changes/claim/{claim.pk}/"),
    ]


def measure(args: argparse.Namespace, editor, shown: list[Page]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {False: Client(), True: Client()}
    clients[False].force_login(editor)

    def get(page: Page):
        response = clients[page.anonymous].get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"GET {page.path} ({page.label}) answered {response.status_code}")

    for page in shown:  # warm the caches, unmeasured
        get(page)
    # The floor runs on the driver's own cursor, in the same session.
    with connection.connection.cursor() as floor:
        for _ in range(args.passes):
            for page in shown:
                with CaptureQueriesContext(connection) as captured:
                    before = time.perf_counter()
                    get(page)
                    page.request_ms.append((time.perf_counter() - before) * 1000)
                page.statements = [query["sql"] for query in captured.captured_queries]
                each: list[float] = []
                page.floor_ms.append(replay(floor, page.statements, each=each))
                for index, ms in enumerate(each):
                    page.statement_ms.setdefault(index, []).append(ms)


def slowest(page: Page) -> tuple[float, str]:
    index = max(page.statement_ms, key=lambda i: statistics.median(page.statement_ms[i]))
    return statistics.median(page.statement_ms[index]), page.statements[index]


def abridged(sql: str, width: int = 64) -> str:
    """The statement from its FROM on (the columns say little), on one line and cut to `width`."""
    sql = " ".join(sql.split())
    at = sql.find(" FROM ")
    shown = sql if at < 0 or not sql.startswith("SELECT") else "SELECT … " + sql[at + 1 :]
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def report(args: argparse.Namespace, shown: list[Page]) -> None:
    print(
        f"\n{'page':<20}{'queries':>8}{'median':>10}{'p95':>10}{'floor':>10}{'ratio':>7}  {'target':<12}"
        "slowest statement (its floor)"
    )
    for page in shown:
        median, p95 = statistics.median(page.request_ms), percentile(page.request_ms, 95)
        floor = statistics.median(page.floor_ms)
        verdict = "ok" if p95 < TARGET_MS else f"OVER {TARGET_MS:.0f} ms"
        ms, sql = slowest(page)
        print(
            f"{page.label:<20}{len(page.statements):>8}{median:>8.1f}ms{p95:>8.1f}ms{floor:>8.1f}ms"
            f"{median / floor:>7.1f}  {verdict:<12}{ms:.1f} ms {abridged(sql)}"
        )
    if args.sql:
        for page in shown:
            ms, sql = slowest(page)
            print(f"\n{page.label} ({page.path}), {ms:.1f} ms:\n{sql}")


def main() -> None:
    args = parse_args()
    configure(args)
    from django.db import connection

    write_review_history()
    vacuum_histories()
    editor = benchmark_editor()
    chosen = picks(args.word)
    claim, public = chosen["claim"], chosen["public"]
    (article_id, article_quotes), (speaker, speaker_quotes) = chosen["article"], chosen["speaker"]
    claimant_id, claimant_claims = chosen["claimant"]
    shown = [page for page in pages(chosen) if args.only in page.label]
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(
        f"PostgreSQL jit={jit}, database {size}; {args.passes} passes after one warm-up; as editor {editor.username},"
        f" the public anonymous\nclaim {claim.pk} ({claim.evidence_count} evidence, {claim.status}),"
        f" public claim {public.pk} ({public.evidence_count} evidence), article {article_id} ({article_quotes} quotes),"
        f"\nspeaker {speaker.slug} ({speaker_quotes:,} quotes), claimant {claimant_id} ({claimant_claims:,} claims),"
        f" search {chosen['word']!r}"
    )
    before = load_average()
    measure(args, editor, shown)
    report(args, shown)
    print(f"\n{cpu_model()}, {os.cpu_count()} cores; load average {before} before, {load_average()} after")


if __name__ == "__main__":
    main()
