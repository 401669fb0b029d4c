"""The reads behind the API's graph endpoints and search, called as the web desk and dashboard will: no HTTP."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

import claims.reads
from claims import reads
from claims.choices import Relation
from tests.factories import ClaimFactory, ClaimRelationFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_reads_depend_on_nothing_of_the_api():
    tree = ast.parse(Path(claims.reads.__file__).read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names}
    assert not {m for m in modules if m and (m.startswith("rest_framework") or m.startswith("api"))}


def test_relations_read_from_one_side_and_only_what_the_reader_may_see(anonymous, editor, newsroom):
    claim = newsroom.published_claim
    supporter = ClaimFactory(published=True)
    ClaimRelationFactory(from_claim=supporter, to_claim=claim, relation=Relation.SUPPORTS)
    seen = {(r.name, r.claim.pk) for r in reads.relations_from_side(claim, anonymous)}
    assert seen == {("contradicts", newsroom.relation.to_claim_id), ("supported_by", supporter.pk)}
    assert ("supports", newsroom.draft_claim.pk) in {
        (r.name, r.claim.pk) for r in reads.relations_from_side(claim, editor)
    }


def test_self_contradictions_and_statements_follow_the_reader(anonymous, editor, newsroom):
    speaker = newsroom.published_speaker
    draft = ClaimFactory(claimant=speaker)
    ClaimRelationFactory(from_claim=newsroom.published_claim, to_claim=draft, relation=Relation.CONTRADICTS)
    assert list(reads.self_contradictions(speaker, anonymous)) == []
    assert len(reads.self_contradictions(speaker, editor)) == 1
    hidden = QuoteFactory(speaker=speaker)
    assert hidden not in reads.speaker_statements(speaker, anonymous)
    assert hidden in reads.speaker_statements(speaker, editor)


def test_printings_and_search_take_the_reader(anonymous, editor, newsroom):
    again = QuoteFactory(speaker=newsroom.published_speaker)  # the same words, in a draft's article
    assert reads.printings(newsroom.published_quote, anonymous) == []
    assert reads.printings(newsroom.published_quote, editor) == [again]
    hits = reads.search_newsroom(anonymous, "budget", kinds=["quote"], limit=10)
    assert {hit.record.pk for hit in hits} == {newsroom.published_quote.pk}
    with pytest.raises(ValidationError) as refused:
        reads.search_newsroom(anonymous, "budget", kinds=["claim"], limit=10, params={"has_contradictions": "maybe"})
    assert "has_contradictions" in refused.value.message_dict
    assert list(reads.reviewable_claims()) == list(reads.reviewable_claims().filter(status="published"))
