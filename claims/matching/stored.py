"""The first stage for the database: candidate claims with a verdict, and the statistics BM25 needs.

On PostgreSQL the candidates come from the claims' stored, GIN-indexed search
vectors (migration 0005): the claims holding any of the text's words, ordered
by the summed idf of the words they hold. Words found in more than COMMON_ROWS
claims are left out of that look-up: they pick nothing out, and every claim
matched is read and scored (at 200,000 claims, leaving out words in more than
300 claims took the look-up from 33 to 19 ms at the median).
How common a word is comes from the statistics ANALYZE keeps on the column
(pg_stats' most common elements), read once every STATISTICS_SECONDS; the
same figures give the re-ranking its idf. On SQLite, with no word statistics
and no index, the longest words of the text are counted in one scan and then
looked up the same way.
"""

import functools
import operator
import time

from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Value, When

from claims.matching.ranking import FIELDS, Checked, Document, Statistics
from claims.matching.text import Analysed
from claims.search import MAX_TERMS, StoredVector, is_postgres

# Candidates re-ranked for one text: each is analysed in Python, so this bounds the time of a ranking.
DATABASE_CANDIDATES = 40
COMMON_ROWS = 300
STATISTICS_SECONDS = 600
SQLITE_WORDS = 12

_statistics: dict[str, tuple[float, dict[str, float], float]] = {}


def checked(claim) -> Checked:
    """A claim as the matcher reads it: its text, its review's headline as the title, its summary below.

    As in the pool of fact-checks the ranker learned from: headline, then standfirst. A claim with no
    headline (the newsroom's own) gives its summary as the title.
    """
    dated = claim.made_on or (claim.published_at.date() if claim.published_at else None)
    if claim.review_headline:
        return Checked(claim.pk, claim.text, claim.review_headline, claim.rating_summary, dated)
    return Checked(claim.pk, claim.text, claim.rating_summary, "", dated)


def candidates(rated: QuerySet, query: Analysed) -> tuple[list, list[Document], Statistics]:
    """The rated claims most like `query` (rows and their documents, in the same order) and the statistics."""
    if is_postgres():
        documents, frequency = _postgres_statistics()
        # A word ANALYZE did not list is rarer than the rarest it did.
        floor = min(frequency.values(), default=1.0) / 2
        statistics = Statistics(max(documents, 1), {}, lambda term: frequency.get(term, floor) * documents)
        rows = _postgres_candidates(rated, _looked_up(query, statistics))
    else:
        rows, statistics = _sqlite_candidates(rated, query)
    docs = [document(checked(row)) for row in rows]
    mean_length = {name: (sum(d.length(name) for d in docs) / len(docs)) if docs else 1.0 for name in (None, *FIELDS)}
    return rows, docs, Statistics(statistics.documents, mean_length, statistics.document_frequency)


@functools.lru_cache(maxsize=50_000)
def document(claim: Checked) -> Document:
    # The same claims come back as candidates for text after text, and analysing one costs about 0.3 ms.
    # Keyed by what is analysed, so an edited claim is a new entry and the old one ages out.
    return Document.of(claim)


def _looked_up(query: Analysed, statistics: Statistics) -> dict[str, float]:
    """The words to look claims up by, each with its idf."""
    terms = list(dict.fromkeys(query.terms))[:MAX_TERMS]
    ranked = sorted(terms, key=statistics.document_frequency)
    # A text made only of common words still looks for its three least common.
    kept = [t for t in ranked if statistics.document_frequency(t) <= COMMON_ROWS] or ranked[:3]
    return {term: statistics.idf(term) for term in kept}


def _postgres_candidates(rated: QuerySet, terms: dict[str, float]) -> list:
    if not terms:
        return []
    matches = rated.select_related(None).prefetch_related(None).order_by().annotate(vector=StoredVector())
    inner_sql, inner_params = matches.values("pk", "vector").query.sql_with_params()
    # Each word is parsed by PostgreSQL ('simple': taken as it is, already stemmed), whatever it holds.
    weight = " + ".join("(m.vector @@ plainto_tsquery('simple'::regconfig, %s))::int * %s" for _ in terms)
    # inner_sql is Django's own compilation; every value travels as a parameter.
    sql = (
        f"SELECT m.pk FROM ({inner_sql}) m WHERE m.vector @@ websearch_to_tsquery('simple'::regconfig, %s) "  # noqa: S608
        f"ORDER BY {weight} DESC, m.pk DESC LIMIT %s"
    )
    weights = [value for term, idf in terms.items() for value in (term, idf)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, " or ".join(terms), *weights, DATABASE_CANDIDATES])
        ids = [pk for (pk,) in cursor.fetchall()]
    rows = {row.pk: row for row in rated.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def _postgres_statistics() -> tuple[int, dict[str, float]]:
    """How many claims there are, and the share of them holding each common word, as ANALYZE last saw it."""
    read_at, frequency, documents = _statistics.get(connection.alias, (0.0, {}, 0))
    if time.monotonic() - read_at < STATISTICS_SECONDS:
        return int(documents), frequency
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'claims_claim' AND attname = 'search_vector'"
        )
        row = cursor.fetchone()
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'claims_claim'")
        (documents,) = cursor.fetchone() or (0,)
    frequency = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    documents = max(int(documents), 0)
    if documents <= 0:
        documents = _count_claims()
    _statistics[connection.alias] = (time.monotonic(), frequency, documents)
    return documents, frequency


def _count_claims() -> int:
    # Never analysed yet (a new database): count, which is cheap while the table is small.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim")
        return cursor.fetchone()[0]


def _sqlite_candidates(rated: QuerySet, query: Analysed) -> tuple[list, Statistics]:
    """The same look-up with SQLite's LIKE: count the claims holding each word, then order by the summed idf.

    Stems are matched as substrings ("surviv" in "surviving"); the longest
    SQLITE_WORDS of the text stand in for all of them, each a scan of the table.
    """
    words = sorted(set(query.terms), key=len, reverse=True)[:SQLITE_WORDS]
    holds = {word: Q(text__icontains=word) | Q(rating_summary__icontains=word) for word in words}
    counts = rated.order_by().aggregate(
        documents=Count("pk"), **{f"w{i}": Count("pk", filter=holds[word]) for i, word in enumerate(words)}
    )
    frequency = {word: counts[f"w{i}"] for i, word in enumerate(words)}
    statistics = Statistics(max(counts["documents"], 1), {}, lambda term: frequency.get(term, 1))
    found = [word for word in words if frequency[word]]
    if not found:
        return [], statistics
    weight = sum(Case(When(holds[word], then=Value(statistics.idf(word))), default=Value(0.0)) for word in found)
    contains = functools.reduce(operator.or_, (holds[word] for word in found))
    rows = rated.filter(contains).annotate(match_weight=weight).order_by("-match_weight", "-pk")
    return list(rows[:DATABASE_CANDIDATES]), statistics
