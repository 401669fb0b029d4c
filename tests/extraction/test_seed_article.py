"""The seed article's acceptance targets, checked against its hand annotation."""

import json

import pytest

from claims.extraction import extract_article
from claims.extraction.evaluation import evaluate_seed

from .helpers import shared_data


@pytest.fixture(scope="module")
def seed():
    data = shared_data("seed-article.gold.json").parent
    return evaluate_seed(data), json.loads((data / "seed-article.gold.json").read_text(encoding="utf-8"))


def test_both_ryabkov_quotes_are_exact_with_his_title_and_via_ria(seed):
    result, _ = seed
    direct = [statement for statement in result["statements"] if statement["kind"] == "direct"]
    assert len(direct) == 2
    for statement in direct:
        assert statement["exact"] and statement["speaker_correct"] and statement["via_correct"], statement
    raw = shared_data("seed-article.txt").read_text(encoding="utf-8")
    extraction = extract_article(text=raw)
    quotes = [candidate for candidate in extraction.candidates if candidate.kind == "direct"]
    assert {(c.speaker, c.speaker_title, c.via) for c in quotes} == {
        ("Sergei Ryabkov", "Russian Deputy Foreign Minister", "RIA")
    }


def test_at_least_four_of_the_five_reported_statements_have_the_right_speaker(seed):
    result, _ = seed
    reported = [statement for statement in result["statements"] if statement["kind"] == "indirect"]
    assert len(reported) == 5
    assert sum(statement["speaker_correct"] for statement in reported) >= 4


def test_the_financial_times_report_is_the_outlets_with_the_cited_official_as_via(seed):
    result, _ = seed
    # The file has non-breaking spaces inside sentences.
    statement = next(s for s in result["statements"] if " ".join(s["gold"].split()).startswith("The US is pressing"))
    assert statement["exact"] and statement["speaker_correct"], statement
    assert statement["speaker"] == "Financial Times"
    assert statement["via"] == "an Iranian official"


def test_no_page_furniture_is_left_in_the_body_or_the_candidates(seed):
    result, _ = seed
    assert result["furniture_left"] == []


def test_the_body_is_the_annotated_article_span_and_the_metadata_match_the_gold(seed):
    _, gold = seed
    raw = shared_data("seed-article.txt").read_text(encoding="utf-8")
    extraction = extract_article(text=raw)
    start, end = gold["article"]["body_span"]
    assert extraction.to_input_span(0, len(extraction.body)) == (start, end)
    metadata = extraction.metadata
    article = gold["article"]
    assert metadata.headline == article["headline"]
    assert metadata.standfirst == article["standfirst"]
    assert metadata.credited_to == article["credited_to"]
    assert metadata.published_at == article["published_at"]
    assert metadata.updated_at == article["updated_at"]
    assert metadata.language == article["language"]
