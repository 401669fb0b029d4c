"""Ranked search over quotes, claims and speakers, with highlighted snippets.

On PostgreSQL: full-text search in websearch syntax ("drones -Iran", quoted
phrases) against stored, GIN-indexed to_tsvector('english', text) columns
(migration 0005, on PostgreSQL only), ranked with ts_rank and
highlighted with ts_headline; speaker names also match by trigram similarity,
so "Riabkov" finds Ryabkov. On SQLite: every word must appear (case-insensitive),
"-word" excludes, ranked by how many times the words occur.

Callers pass querysets already limited to what the user may see and already
filtered; this module only matches, ranks and highlights.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection, models

from claims.models import Speaker, speaker_ids_named_like

# The configuration of the stored vectors in migration 0005.
FTS_CONFIG = "english"
MAX_RANKED_MATCHES = 5000
# The longest query taken, in characters.
MAX_QUERY_CHARS = 200
# Words a query may hold, phrases' words included; more are dropped. PostgreSQL's parser builds a
# tsquery with a stack of fixed depth, and nothing people type needs more.
MAX_TERMS = 32
# Sentinels that cannot appear in text, turned into <mark> after escaping.
_START, _STOP = "\u0002", "\u0003"


class StoredVector(models.Expression):
    """The search_vector column that migration 0005 adds to quotes and claims on PostgreSQL.

    Not a model field (SQLite has no tsvector), so it is named here, under
    whatever alias the query gives the base table (U0 inside a subquery).
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f'{table}."search_vector"', []


@dataclass
class Hit:
    kind: str  # "quote", "claim" or "speaker"
    record: models.Model
    score: float
    snippet: str


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search(querysets: dict[str, models.QuerySet], q: str, *, limit: int) -> list[Hit]:
    """The best `limit` hits across the given querysets, keyed by kind, best first."""
    q = normalise_query(q)
    if not q:
        return []
    hits: list[Hit] = []
    for kind, queryset in querysets.items():
        if kind == "speaker":
            hits += _speakers(queryset, q, limit)
        else:
            hits += _texts(kind, queryset, q, limit)
    hits.sort(key=lambda h: (-h.score, h.kind, h.record.pk))
    return hits[:limit]


def _texts(kind: str, queryset: models.QuerySet, q: str, limit: int) -> list[Hit]:
    if is_postgres():
        query = SearchQuery(q, config=FTS_CONFIG, search_type="websearch")
        ranked = _rank(queryset, query, q, limit)
        scores = dict(ranked)
        rows = queryset.filter(pk__in=scores).annotate(
            snippet=SearchHeadline(
                "text", query, config=FTS_CONFIG, start_sel=_START, stop_sel=_STOP, max_words=35, min_words=15
            )
        )
        return [Hit(kind, row, float(scores[row.pk]), _marked(row.snippet)) for row in rows]
    include, exclude = _words(q)
    if not include:
        return []
    for word in include:
        queryset = queryset.filter(text__icontains=word)
    for word in exclude:
        queryset = queryset.exclude(text__icontains=word)
    hits = []
    # SQLite has no ranking; count occurrences over a bounded candidate set.
    for row in queryset.order_by("-pk")[: limit * 5]:
        lowered = row.text.lower()
        score = sum(lowered.count(w.lower()) for w in include) / (1 + len(row.text) / 500)
        hits.append(Hit(kind, row, score, _snippet(row.text, include)))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def _rank(queryset: models.QuerySet, query: SearchQuery, q: str, limit: int) -> list[tuple[int, float]]:
    """(id, score) of the best `limit` matches among the first MAX_RANKED_MATCHES the database finds.

    Ranking runs over the base table alone (joining every match to its speaker
    and article first made PostgreSQL scan all quotes), and a very broad query
    ranks a bounded sample of its matches: ranking all 85,000 quotes with
    "tax" took 200-600 ms, the first 5,000 take 26 ms. The cap has to sit in a
    FROM subquery, which the ORM cannot write, so the inner query is compiled
    by Django (filters, visibility and parameters included) and wrapped here.
    """
    matches = (
        queryset.select_related(None)
        .order_by()
        .annotate(vector=StoredVector())
        .filter(vector=query)
        .values("pk", "vector")[:MAX_RANKED_MATCHES]
    )
    inner_sql, inner_params = matches.query.sql_with_params()
    rank = "ts_rank(m.vector, websearch_to_tsquery(%s::regconfig, %s))"
    # inner_sql is Django's own compilation; every value travels as a parameter.
    sql = f"SELECT m.pk, {rank} AS score FROM ({inner_sql}) m ORDER BY score DESC, m.pk DESC LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [FTS_CONFIG, q, *inner_params, limit])
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def _speakers(queryset: models.QuerySet, q: str, limit: int) -> list[Hit]:
    include, _ = _words(q)
    name = " ".join(include)
    if not name:
        return []
    lookups = speaker_ids_named_like(name)
    if is_postgres():
        lookups.append(Speaker.objects.filter(name__trigram_similar=name).order_by().values("pk"))
        candidates = queryset.filter(pk__in=lookups[0].union(*lookups[1:]))
        rows = candidates.annotate(score=TrigramSimilarity("name", name)).order_by("-score", "pk")[:limit]
    else:
        rows = queryset.filter(pk__in=lookups[0].union(*lookups[1:])).order_by("name")[:limit]
    hits = []
    for row in rows:
        score = float(getattr(row, "score", 0.0) or 0.0)
        # An exact name outranks any text match; a substring match ranks well too.
        if row.name.lower() == name.lower():
            score = max(score, 1.0)
        elif name.lower() in row.name.lower():
            score = max(score, 0.5)
        hits.append(Hit("speaker", row, score, _snippet(row.name, include)))
    return hits


_WORD = re.compile(r'-*"[^"]+"|\S+')
_HAS_WORD = re.compile(r"\w")


def normalise_query(q: str) -> str:
    """The query in websearch syntax with nothing but its words, phrases, exclusions and ORs.

    Tokens with no letter or digit ("-", "--", a stray quote) carry nothing to
    find, yet a run of 33 lone hyphens made PostgreSQL build a tsquery too deep
    for its stack. They are dropped, a run of leading hyphens counts as one
    exclusion, stray quotes inside a word are dropped, an "or" stays only
    between two terms, and the words stop at MAX_TERMS.
    """
    tokens: list[str] = []
    words = 0
    for token in _WORD.findall(q):
        negated = token.startswith("-")
        term = token.lstrip("-")
        if term.lower() == "or" and not negated:
            if tokens and tokens[-1] != "or":
                tokens.append("or")
            continue
        phrase = term.startswith('"') and term.endswith('"') and len(term) > 1
        inner = term.strip('"') if phrase else term.replace('"', "")
        parts = [part for part in inner.split() if _HAS_WORD.search(part)]
        if not parts:
            continue
        parts = parts[: MAX_TERMS - words]
        if not parts:
            break
        words += len(parts)
        body = f'"{" ".join(parts)}"' if phrase else parts[0]
        tokens.append(("-" if negated else "") + body)
    while tokens and tokens[-1] == "or":
        tokens.pop()
    return " ".join(tokens)


def _words(q: str) -> tuple[list[str], list[str]]:
    """Websearch-style terms: words and "quoted phrases" to include, -terms to exclude."""
    include, exclude = [], []
    for token in _WORD.findall(q):
        negated = token.startswith("-") and len(token) > 1
        term = token[1:] if negated else token
        term = term.strip('"').strip()
        if not term or term.lower() == "or":
            continue
        (exclude if negated else include).append(term)
    return include, exclude


def _snippet(text: str, words: list[str], width: int = 200) -> str:
    """Up to `width` characters around the first match, matches marked, HTML-escaped."""
    lowered = text.lower()
    positions = [lowered.find(w.lower()) for w in words if lowered.find(w.lower()) >= 0]
    first = min(positions, default=0)
    start = max(0, first - width // 3)
    window = text[start : start + width]
    for word in sorted(words, key=len, reverse=True):
        window = re.sub(re.escape(word), lambda m: f"{_START}{m.group(0)}{_STOP}", window, flags=re.IGNORECASE)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return prefix + _marked(window) + suffix


def _marked(text: str) -> str:
    """Escape the text for HTML, then turn the sentinels into <mark> tags."""
    return html.escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
