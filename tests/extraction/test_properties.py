"""Offsets are always consistent, whatever is pasted."""

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extraction import extract_article, tagger
from claims.extraction.pipeline import read_by_rules

from .helpers import train_small_model

_PIECES = st.sampled_from(
    [
        '"', "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "'", "''", "\u00a0", "\u00ad",
        "\n", "\n\n", "  ", "\t", " said ", " according to ", ", he said.", "Smith", "The minister", " that ",
        "Mr. ", ". ", ", ", ": ", "\u200b", "\u0985", "\u0416", "\u4e2d", "RELATED STORIES", "Published: ",
        " Says ", "Lynch: ",
    ]
)  # fmt: skip
_TEXT = st.lists(
    st.one_of(_PIECES, st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)), max_size=40
).map("".join)


@cache
def _small_model() -> tagger.Tagger:
    # Trained once per test run: hypothesis examples cannot share a function-scoped fixture.
    directory = tempfile.mkdtemp()
    atexit.register(shutil.rmtree, directory, True)
    return tagger.Tagger(train_small_model(Path(directory) / "attribution.crfsuite"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.booleans())
def test_offsets_always_slice_the_body_to_the_candidate_text_and_map_into_the_input(text, with_model):
    extraction = extract_article(text=text, tagger=_small_model() if with_model else None)
    body = extraction.body
    assert len(extraction.offset_map) == len(body) + 1
    for candidate in extraction.candidates:
        assert 0 <= candidate.start <= candidate.end <= len(body)
        assert body[candidate.start : candidate.end] == candidate.text
        assert 0.0 <= candidate.confidence <= 1.0
        start, end = extraction.to_input_span(candidate.start, candidate.end)
        assert 0 <= start <= end <= len(text)
    headline = extraction.metadata.headline or ""
    for candidate in extraction.headline_candidates:
        assert headline[candidate.start : candidate.end] == candidate.text
        start, end = extraction.to_input_span(candidate.start, candidate.end, in_headline=True)
        assert 0 <= start <= end <= len(text)
    for index in range(len(body)):
        assert 0 <= extraction.offset_map[index] < len(text)
    extraction.to_dict()


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_the_learned_layers_tokens_are_the_words_of_the_tagged_sentences_where_they_stand(text):
    body = extract_article(text=text).body
    rules = read_by_rules(body).marks()
    found = tagger.tokens(body, rules)
    assert found.words == [body[start:end] for start, end in found.spans()]
    # Every token of a sentence that is tagged, and none of the others: tagged sentences hold at least one.
    tagged = [(start, end) for start, end in rules.sentences if any(start <= s < end for s in found.starts)]
    expected = [m.span() for start, end in tagged for m in tagger._TOKEN_RE.finditer(body, start, end)]
    assert found.spans() == expected
