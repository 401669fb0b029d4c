"""Ranking a pool: BM25 candidates, the learned re-ranking over them, and how a ranking is scored."""

import datetime
import json

import numpy as np
import pytest

from claims.matching.files import Query
from claims.matching.learning import evaluate, train
from claims.matching.ranking import FEATURES, Checked, Index, Match, Ranker, features
from claims.matching.text import analyse

POOL = [
    Checked(
        "wombats",
        "Wombats shared their burrows with other animals fleeing the Australian bushfires.",
        "Did Wombats Herd Animals to Safety?",
        "",
        datetime.date(2020, 1, 15),
    ),
    Checked(
        "draft",
        "The US Army is sending text messages about a military draft.",
        "Army Draft Texts",
        "",
        datetime.date(2020, 1, 8),
    ),
    Checked(
        "omar",
        "Ilhan Omar said Iran could threaten Trump hotels worldwide.",
        "Ilhan Omar Iran Advice",
        "",
        datetime.date(2020, 1, 7),
    ),
    Checked(
        "fries",
        "McDonald's restaurants are offering $1 Any Size Fries between May 18 and 31.",
        "$1 McDonald's Any Size Fries",
        "",
        datetime.date(2015, 5, 26),
    ),
]


def weights(**given) -> Ranker:
    return Ranker(tuple(given.get(name, 0.0) for name in FEATURES))


def test_bm25_alone_finds_the_claim_a_tweet_restates_and_says_why():
    index = Index(POOL)
    matches = index.rank(
        "Wombats are sheltering animals from the #AustralianFires pic.twitter.com/x", Ranker(), limit=3
    )
    assert matches[0].checked.key == "wombats"
    assert {"wombat", "australian"} <= set(matches[0].shared_terms)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_a_text_sharing_no_word_with_the_pool_matches_nothing():
    assert Index(POOL).rank("Quantum gravity bakes sourdough", Ranker(), limit=5) == []


def test_names_and_numbers_in_common_are_reported():
    match = Index(POOL).rank("Ilhan Omar wants Iran to hit 1 hotel", Ranker(), limit=1)[0]
    assert match.checked.key == "omar"
    assert "ilhan omar" in match.shared_names
    fries = Index(POOL).rank("$1 fries of any size at McDonald's until May 31", Ranker(), limit=1)[0]
    assert fries.checked.key == "fries"
    assert "31" in fries.shared_numbers


def test_the_learned_date_feature_puts_the_check_nearest_the_tweet_first():
    twins = [
        Checked("old", "Masks do not stop the virus.", dated=datetime.date(2016, 3, 1)),
        Checked("recent", "Masks do not stop the virus.", dated=datetime.date(2020, 4, 2)),
    ]
    text = "Masks do not stop the virus, doctors say — Someone (@someone) April 1, 2020"
    index = Index(twins)
    assert index.rank(text, weights(bm25=1.0, days_apart=-5.0), limit=2)[0].checked.key == "recent"
    # Reversed, the feature alone decides the other way: the order comes from the weights, not the pool.
    assert index.rank(text, weights(bm25=1.0, days_apart=5.0), limit=2)[0].checked.key == "old"


def test_a_ranker_round_trips_and_refuses_a_file_for_other_features(tmp_path):
    ranker = weights(bm25=2.0, shared_names=0.5)
    ranker.save(tmp_path / "r.json")
    assert Ranker.load(tmp_path / "r.json").weights == ranker.weights
    data = json.loads((tmp_path / "r.json").read_text())
    data["features"] = data["features"][:-1]
    (tmp_path / "r.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="other features"):
        Ranker.load(tmp_path / "r.json")


def test_training_learns_what_tells_the_checking_claim_apart():
    # Pairs of claims worded alike; only the date tells which one checks each query.
    pool, queries, relevant = [], [], {}
    for n in range(30):
        said = datetime.date(2019, 1, 1) + datetime.timedelta(days=40 * n)
        topic = f"topic{n} story{n}"
        # The wrong one first: BM25 alone breaks the tie by pool order.
        pool.append(Checked(f"far{n}", f"{topic} claims the moon is cheese", dated=said - datetime.timedelta(days=900)))
        pool.append(Checked(f"near{n}", f"{topic} claims the moon is cheese", dated=said))
        queries.append(Query(f"q{n}", f"{topic} the moon is cheese {said:%B} {said.day}, {said.year}"))
        relevant[f"q{n}"] = {f"near{n}"}
    index = Index(pool)
    ranker = train(index, queries, relevant, steps=300)
    assert ranker.weights[FEATURES.index("days_apart")] < 0
    rankings = {q.key: index.rank(q.text, ranker, limit=5) for q in queries}
    assert evaluate(rankings, relevant).precision_at_1 == 1.0
    assert evaluate({q.key: index.rank(q.text, Ranker(), limit=5) for q in queries}, relevant).precision_at_1 < 1.0


def test_scores_are_those_of_checkthat():
    def ranked(*keys):
        return [Match(Checked(k, k), 1.0, (), (), ()) for k in keys]

    rankings = {"a": ranked("x", "gold"), "b": ranked("gold"), "c": ranked("x", "y", "z", "w", "v", "gold")}
    relevant = {"a": {"gold"}, "b": {"gold"}, "c": {"gold"}, "d": {"gold"}}
    scores = evaluate(rankings, relevant)
    assert scores.queries == 4
    assert scores.map_at_1 == pytest.approx(1 / 4)
    assert scores.map_at_5 == pytest.approx((1 / 2 + 1) / 4)
    assert scores.mrr == pytest.approx((1 / 2 + 1 + 1 / 6) / 4)
    assert scores.precision_at_1 == pytest.approx(1 / 4)


def test_features_come_in_the_order_the_ranker_reads_them():
    index = Index(POOL)
    query = analyse("Wombats and the Australian bushfires")
    matrix = features(query, index.candidates(query), index.statistics)
    assert matrix.shape[1] == len(FEATURES)
    assert np.isfinite(matrix).all()
