"""rank_matches, evaluate_matching and train_matching: real files in, a TREC run or scores out, bad lines named."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from claims.matching.text import MAX_TEXT_CHARS
from tests.conftest import shared_data

POOL = [
    {
        "vclaim_id": "vclaim-wombats",
        "vclaim": "Wombats sheltered animals from the Australian bushfires.",
        "title": "Did Wombats Herd Animals to Safety?",
        "date": "15 January 2020",
    },
    {
        "vclaim_id": "vclaim-draft",
        "vclaim": "The US Army is texting people about a military draft.",
        "title": "Army Draft Texts",
    },
    {"vclaim_id": "vclaim-cut", "vclaim": "The", "title": "3 Musketeers", "subtitle": "Candy bar names were switched."},
]


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def pool(tmp_path):
    return write(tmp_path / "pool.jsonl", [json.dumps(entry) for entry in POOL])


@pytest.fixture
def queries(tmp_path):
    return write(
        tmp_path / "queries.tsv",
        [
            "iclaim_id\ticlaim",
            "t1\tWombats are saving animals from the #AustralianFires",
            "t2\tGot a draft text from the Army?",
        ],
    )


def test_rank_matches_writes_a_trec_run(tmp_path, pool, queries):
    out = tmp_path / "run.tsv"
    call_command("rank_matches", pool=pool, queries=queries, out=out, top=2, tag="mine")
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [r[:4] for r in rows[:1]] == [["t1", "Q0", "vclaim-wombats", "1"]]
    assert {r[0] for r in rows} == {"t1", "t2"}
    assert all(len(r) == 6 and r[5] == "mine" and float(r[4]) > 0 for r in rows)
    t2 = [r for r in rows if r[0] == "t2"]
    assert t2[0][2] == "vclaim-draft" and [r[3] for r in t2] == [str(i) for i in range(1, len(t2) + 1)]
    assert not (tmp_path / "run.tsv.partial").exists()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", r"pool\.jsonl, line 2: not JSON"),
        ('["a list"]', r"line 2: not a JSON object"),
        ('{"vclaim_id": "x"}', r"line 2: no vclaim text"),
        ('{"vclaim": "Something happened."}', r"line 2: no vclaim_id"),
        ('{"vclaim_id": "vclaim-wombats", "vclaim": "Again."}', r"line 2: vclaim_id vclaim-wombats appears twice"),
        ('{"vclaim_id": "e", "vclaim": "😀 https://t.co/x"}', r"line 2: .*no words to match on"),
        (json.dumps({"vclaim_id": "big", "vclaim": "word " * MAX_TEXT_CHARS}), r"line 2: .*characters long"),
    ],
)
def test_a_bad_pool_line_is_named_and_nothing_is_written(tmp_path, queries, line, reason):
    pool = write(tmp_path / "pool.jsonl", [json.dumps(POOL[0]), line])
    out = write(tmp_path / "run.tsv", ["an earlier run"])
    with pytest.raises(CommandError, match=reason):
        call_command("rank_matches", pool=pool, queries=queries, out=out)
    assert out.read_text() == "an earlier run\n"


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["t1 no tab here"], r"queries\.tsv, line 1: expected an id, a tab and the text"),
        (["t1\tfine", "\tno id"], r"line 2: no id before the tab"),
        (["t1\tfine", "t1\tagain"], r"line 2: id t1 appears twice"),
        (["t1\t"], r"line 1: the text of t1 is empty"),
        (["t1\t" + "x" * (MAX_TEXT_CHARS + 1)], r"line 1: the text of t1 is 10,001 characters long"),
        ([], r"holds no queries"),
    ],
)
def test_a_bad_query_line_is_named_and_nothing_is_written(tmp_path, pool, lines, reason):
    queries = write(tmp_path / "queries.tsv", lines)
    with pytest.raises(CommandError, match=reason):
        call_command("rank_matches", pool=pool, queries=queries, out=tmp_path / "run.tsv")
    assert not (tmp_path / "run.tsv").exists()


def test_files_that_are_not_text_or_not_there(tmp_path, queries):
    latin1 = tmp_path / "pool.jsonl"
    latin1.write_bytes('{"vclaim_id": "x", "vclaim": "café"}\n'.encode("latin-1"))
    with pytest.raises(CommandError, match=r"pool\.jsonl, line 1: not UTF-8 text"):
        call_command("rank_matches", pool=latin1, queries=queries, out=tmp_path / "run.tsv")
    with pytest.raises(CommandError, match=r"missing\.jsonl: no such file"):
        call_command("rank_matches", pool=tmp_path / "missing.jsonl", queries=queries, out=tmp_path / "run.tsv")
    assert not (tmp_path / "run.tsv").exists()


def test_rank_matches_refuses_a_run_it_cannot_write_and_bad_options(tmp_path, pool, queries):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("rank_matches", pool=pool, queries=queries, out=tmp_path / "no-such-dir" / "run.tsv")
    with pytest.raises(CommandError, match="--top takes 1 to 1000"):
        call_command("rank_matches", pool=pool, queries=queries, out=tmp_path / "run.tsv", top=0)
    with pytest.raises(CommandError, match="--tag is one word"):
        call_command("rank_matches", pool=pool, queries=queries, out=tmp_path / "run.tsv", tag="two words")


def test_evaluate_matching_without_the_data_says_where_it_looked(tmp_path):
    with pytest.raises(CommandError, match="holds no vclaims.jsonl"):
        call_command("evaluate_matching", data=tmp_path)


def test_on_the_real_data_the_learned_ranking_reaches_the_target(tmp_path, monkeypatch, capsys):
    """Trained on CheckThat! train, scored on dev and devtest: MAP@5 at least 0.90 on both (the issue's target)."""
    data = shared_data("claim-matching").parent
    model = tmp_path / "ranker.json"
    call_command("train_matching", data=data, output=model)
    monkeypatch.setenv("FACTCHECK_MATCHING_MODEL", str(model))
    capsys.readouterr()
    call_command("evaluate_matching", data=data)
    printed = capsys.readouterr().out
    scores = {
        (m["ranker"].strip(), m["split"]): float(m["map5"])
        for m in re.finditer(
            r"^(?P<ranker>.+?)\s+(?P<split>dev|devtest)\s+\d+\s+[\d.]+\s+(?P<map5>[\d.]+)", printed, re.M
        )
    }
    learned = {split: score for (ranker, split), score in scores.items() if ranker.startswith("learned")}
    assert learned.keys() == {"dev", "devtest"}, printed
    assert min(learned.values()) >= 0.90, printed
    assert all(learned[split] > scores[("BM25 alone", split)] for split in learned), printed


def test_a_missing_or_unreadable_matching_model_stops_the_server_with_the_reason(monkeypatch, tmp_path):
    from django.core import checks

    monkeypatch.setenv("FACTCHECK_MATCHING_MODEL", str(tmp_path / "absent.json"))
    assert [error.id for error in checks.run_checks()] == ["claims.E002"]
    broken = tmp_path / "broken.json"
    broken.write_text('{"features": ["bm25"], "weights": [1.0]}')
    monkeypatch.setenv("FACTCHECK_MATCHING_MODEL", str(broken))
    errors = checks.run_checks()
    assert [error.id for error in errors] == ["claims.E002"]
    assert "other features" in errors[0].msg and "train_matching" in errors[0].msg
