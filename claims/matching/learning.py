"""Learning the re-ranker's weights, and scoring a ranking the way CheckThat! does.

The ranker is trained listwise: for each training query, a softmax over its
BM25 candidates, pushed towards the claim that checks it (plain gradient
descent with L2, in numpy). Queries whose checking claim is not among the
candidates teach nothing and are left out.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from claims.matching.files import Query
from claims.matching.ranking import CANDIDATES, FEATURES, Index, Match, Ranker, features
from claims.matching.text import analyse


@dataclass(frozen=True)
class Scores:
    queries: int
    map_at_1: float
    map_at_5: float
    mrr: float
    precision_at_1: float


def evaluate(rankings: dict[str, Sequence[Match]], relevant: dict[str, set[str]]) -> Scores:
    """MAP@1, MAP@5, MRR and P@1 over the judged queries (a query left unranked scores 0)."""
    ap1, ap5, rr, p1 = [], [], [], []
    for key, wanted in relevant.items():
        found = [m.checked.key for m in rankings.get(key, ())]
        ap1.append(_average_precision(found[:1], wanted))
        ap5.append(_average_precision(found[:5], wanted))
        first = next((i for i, k in enumerate(found, start=1) if k in wanted), None)
        rr.append(1 / first if first else 0.0)
        p1.append(float(bool(found) and found[0] in wanted))
    n = len(relevant)
    return Scores(n, *(float(np.mean(v)) if n else 0.0 for v in (ap1, ap5, rr, p1)))


def _average_precision(found: list, wanted: set) -> float:
    hits, total = 0, 0.0
    for position, key in enumerate(found, start=1):
        if key in wanted:
            hits += 1
            total += hits / position
    return total / min(len(wanted), len(found)) if hits else 0.0


def train(
    index: Index,
    queries: Sequence[Query],
    relevant: dict[str, set[str]],
    *,
    l2: float = 1e-3,
    steps: int = 600,
    rate: float = 0.5,
) -> Ranker:
    groups = []
    for query in queries:
        wanted = relevant.get(query.key)
        if not wanted:
            continue
        analysed = analyse(query.text)
        candidates = index.candidates(analysed, limit=CANDIDATES)
        labels = np.array([doc.checked.key in wanted for doc in candidates])
        if labels.any():
            groups.append((features(analysed, candidates, index.statistics), labels))
    if not groups:
        raise ValueError("no training query has its checking claim among the candidates")
    # All groups in one matrix; each query's softmax runs over its own contiguous rows.
    matrix = np.vstack([m for m, _ in groups])
    starts = np.cumsum([0] + [len(m) for m, _ in groups[:-1]])
    group = np.repeat(np.arange(len(groups)), [len(m) for m, _ in groups])
    target = np.concatenate([labels / labels.sum() for _, labels in groups])
    weights = np.zeros(len(FEATURES))
    weights[0] = 1.0
    for _ in range(steps):
        scores = matrix @ weights
        exp = np.exp(scores - np.maximum.reduceat(scores, starts)[group])
        p = exp / np.add.reduceat(exp, starts)[group]
        weights -= rate * (matrix.T @ (p - target) / len(groups) + l2 * weights)
    return Ranker(tuple(float(w) for w in weights), trained_on=f"{len(groups)} queries")
