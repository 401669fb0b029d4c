"""Rank claims already checked against a new text: candidates by BM25, then a learned re-ranking.

Two stages, the same for a pool file and for the database:

1. Candidates: the `CANDIDATES` best by BM25 over claim, title and subtitle
   (an in-memory `Index` for a pool; PostgreSQL full text or SQLite word
   matches for the database, in claims.reads).
2. Re-ranking: every candidate gets the features below, computed by one
   function whatever the candidates came from, and a linear `Ranker` learned
   on CheckThat! training pairs (`manage.py train_matching`) scores them.
   Without a trained ranker the score is the BM25 score alone.

Each match says why: the terms, names and numbers it shares with the text.
"""

import collections
import datetime
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from claims.matching.text import Analysed, analyse

CANDIDATES = 100
K1, B = 1.2, 0.75
FIELDS = ("claim", "title", "subtitle")


@dataclass(frozen=True)
class Checked:
    """A claim already checked, as the matcher reads it: `key` is its id in the pool or database."""

    key: object
    claim: str
    title: str = ""
    subtitle: str = ""
    dated: datetime.date | None = None


@dataclass
class Document:
    """A checked claim analysed once: each field's terms and counts, and the whole."""

    checked: Checked
    fields: dict[str, Analysed]
    counts: dict[str, collections.Counter] = field(init=False)
    whole: collections.Counter = field(init=False)
    names: frozenset[str] = field(init=False)
    numbers: frozenset[str] = field(init=False)
    bigrams: frozenset[tuple[str, str]] = field(init=False)

    def __post_init__(self):
        self.counts = {name: collections.Counter(a.terms) for name, a in self.fields.items()}
        self.whole = collections.Counter()
        for counts in self.counts.values():
            self.whole.update(counts)
        self.names = frozenset().union(*(a.names for a in self.fields.values()))
        self.numbers = frozenset().union(*(a.numbers for a in self.fields.values()))
        self.bigrams = frozenset().union(*(a.bigrams for a in self.fields.values()))

    @classmethod
    def of(cls, checked: Checked) -> "Document":
        return cls(checked, {name: analyse(getattr(checked, name) or "") for name in FIELDS})

    def length(self, name: str | None = None) -> int:
        return sum(self.whole.values()) if name is None else sum(self.counts[name].values())


@dataclass(frozen=True)
class Statistics:
    """What BM25 needs of the collection: how many documents, their mean lengths, each term's frequency."""

    documents: int
    mean_length: dict[str | None, float]
    document_frequency: Callable[[str], float]

    def idf(self, term: str) -> float:
        df = min(self.document_frequency(term), self.documents)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Match:
    checked: Checked
    score: float
    shared_terms: tuple[str, ...]
    shared_names: tuple[str, ...]
    shared_numbers: tuple[str, ...]


def bm25(query: Iterable[str], counts: collections.Counter, length: int, mean_length: float, idf) -> float:
    norm = K1 * (1 - B + B * length / max(mean_length, 1.0))
    return sum(idf(t) * counts[t] * (K1 + 1) / (counts[t] + norm) for t in query if counts[t])


FEATURES = (
    "bm25",
    "bm25_share",
    "bm25_claim",
    "bm25_title",
    "rank",
    "query_coverage",
    "claim_coverage",
    "shared_bigrams",
    "shared_names",
    "shared_numbers",
    "other_numbers",
    "days_apart",
    "checked_first",
    "no_dates",
)


def features(query: Analysed, candidates: Sequence[Document], stats: Statistics) -> np.ndarray:
    """One row of FEATURES per candidate, in the order given (best BM25 first)."""
    idf = _memo(stats.idf)
    unique = set(query.terms)
    query_weight = sum(idf(t) for t in unique) or 1.0
    bigrams = query.bigrams
    rows = [
        [
            bm25(unique, doc.whole, doc.length(), stats.mean_length[None], idf),
            0.0,  # bm25_share, filled below
            bm25(unique, doc.counts["claim"], doc.length("claim"), stats.mean_length["claim"], idf),
            bm25(unique, doc.counts["title"], doc.length("title"), stats.mean_length["title"], idf),
            0.0,  # rank, filled below
            sum(idf(t) for t in unique if doc.whole[t]) / query_weight,
            _coverage(doc.counts["claim"], unique, idf),
            len(bigrams & doc.bigrams),
            len(query.names & doc.names),
            len(query.numbers & doc.numbers),
            float(bool(query.numbers and doc.numbers and not query.numbers & doc.numbers)),
            *_dates(query.dated, doc.checked.dated),
        ]
        for doc in candidates
    ]
    matrix = np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))
    if len(rows):
        top = matrix[:, 0].max() or 1.0
        matrix[:, 1] = matrix[:, 0] / top
        order = np.argsort(-matrix[:, 0], kind="stable")
        matrix[order, 4] = 1.0 / (1.0 + np.arange(len(rows)))
        matrix[:, 0] = np.log1p(matrix[:, 0])
        matrix[:, 2] = np.log1p(matrix[:, 2])
        matrix[:, 3] = np.log1p(matrix[:, 3])
        matrix[:, 7] = np.log1p(matrix[:, 7])
        matrix[:, 8] = np.log1p(matrix[:, 8])
    return matrix


def _memo(function):
    # Per ranking only: the database's statistics change between rankings.
    memory = {}

    def cached(term):
        if term not in memory:
            memory[term] = function(term)
        return memory[term]

    return cached


def _coverage(counts: collections.Counter, query: set[str], idf) -> float:
    weight = sum(idf(t) for t in counts)
    return sum(idf(t) for t in counts if t in query) / weight if weight else 0.0


def _dates(said: datetime.date | None, checked: datetime.date | None) -> tuple[float, float, float]:
    """How far apart the text and the check are, and whether the check came first (then it covers it)."""
    if said is None or checked is None:
        return 0.0, 0.0, 1.0
    days = (said - checked).days
    return math.log1p(abs(days)) / 8.0, float(days >= -3), 0.0


@dataclass(frozen=True)
class Ranker:
    """A linear score over FEATURES; `weights` None means BM25 alone."""

    weights: tuple[float, ...] | None = None
    trained_on: str = ""

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        if self.weights is None:
            return matrix[:, 0] if len(matrix) else np.zeros(0)
        return matrix @ np.asarray(self.weights)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"features": FEATURES, "weights": self.weights, "trained_on": self.trained_on}
        path.write_text(json.dumps(data, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Ranker":
        data = json.loads(path.read_text())
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError("it was trained on other features")
        return cls(tuple(data["weights"]), data.get("trained_on", ""))


def rank(query: Analysed, candidates: Sequence[Document], stats: Statistics, ranker: Ranker, *, limit: int):
    """The best `limit` of `candidates` for `query`, best first, each with why it matched."""
    unique = set(query.terms)
    # SQLite's look-up matches parts of words ("ten" in "often"): a match shares a whole word at least.
    candidates = [doc for doc in candidates if any(doc.whole[t] for t in unique)]
    if not candidates:
        return []
    scores = ranker.scores(features(query, candidates, stats))
    order = np.argsort(-scores, kind="stable")[:limit]
    return [_match(query, candidates[i], float(scores[i])) for i in order]


def _match(query: Analysed, doc: Document, score: float) -> Match:
    shared = [t for t in dict.fromkeys(query.terms) if doc.whole[t]]
    names = sorted(n for n in query.names & doc.names if " " in n) or sorted(query.names & doc.names)
    return Match(doc.checked, round(score, 4), tuple(shared), tuple(names), tuple(sorted(query.numbers & doc.numbers)))


class Index:
    """BM25 over a pool of checked claims held in memory: the first stage for a pool file."""

    def __init__(self, pool: Iterable[Checked]):
        self.documents = [Document.of(checked) for checked in pool]
        frequency = collections.Counter(t for doc in self.documents for t in doc.whole)
        self.statistics = Statistics(
            documents=len(self.documents),
            mean_length={
                name: (sum(d.length(name) for d in self.documents) / len(self.documents)) if self.documents else 1.0
                for name in (None, *FIELDS)
            },
            document_frequency=lambda term: frequency.get(term, 0),
        )
        postings = collections.defaultdict(lambda: ([], []))
        mean = self.statistics.mean_length[None]
        for i, doc in enumerate(self.documents):
            norm = K1 * (1 - B + B * doc.length() / max(mean, 1.0))
            for term, n in doc.whole.items():
                ids, weights = postings[term]
                ids.append(i)
                weights.append(n * (K1 + 1) / (n + norm))
        self.postings = {t: (np.array(ids), np.array(w)) for t, (ids, w) in postings.items()}

    def candidates(self, query: Analysed, *, limit: int = CANDIDATES) -> list[Document]:
        scores = np.zeros(len(self.documents))
        for term in set(query.terms):
            if term in self.postings:
                ids, weights = self.postings[term]
                scores[ids] += self.statistics.idf(term) * weights
        found = np.flatnonzero(scores)
        best = found[np.argsort(-scores[found], kind="stable")[:limit]]
        return [self.documents[i] for i in best]

    def rank(self, text: str, ranker: Ranker, *, limit: int) -> list[Match]:
        query = analyse(text)
        return rank(query, self.candidates(query), self.statistics, ranker, limit=limit)
