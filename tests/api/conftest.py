"""A small newsroom for API tests: one published claim with everything behind it, one private draft."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from claims.choices import Relation, Stance
from claims.models import Article, Claim, ClaimRelation, Evidence, Outlet, Quote, Source, Speaker
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    QuoteFactory,
    SourceFactory,
    SpeakerFactory,
)


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    # Throttle counts live in the cache (Redis in CI); each test starts at zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


def if_match(client: APIClient, url: str) -> dict:
    """The If-Match header every change needs: the row's ETag as this client sees it (none if it sees no row)."""
    etag = client.get(url).get("ETag")
    return {"HTTP_IF_MATCH": etag} if etag else {}


@dataclass
class Newsroom:
    """Rows the public may see (published_*) and rows only staff may see (draft_*)."""

    published_claim: Claim
    published_quote: Quote
    published_article: Article
    published_speaker: Speaker
    published_source: Source
    published_evidence: Evidence
    draft_claim: Claim
    draft_quote: Quote
    draft_article: Article
    draft_speaker: Speaker
    draft_source: Source
    draft_evidence: Evidence
    relation: ClaimRelation
    private_relation: ClaimRelation
    outlet: Outlet


@pytest.fixture
def newsroom(editor):
    published_quote = QuoteFactory(created_by=editor)
    published_claim = ClaimFactory(published=True, claimant=published_quote.speaker, created_by=editor)
    published_claim.quotes.add(published_quote)
    other_published = ClaimFactory(published=True, created_by=editor)
    published_evidence = EvidenceFactory(
        claim=published_claim, stance=Stance.REFUTES, note="internal", created_by=editor
    )

    draft_article = ArticleFactory(created_by=editor)
    draft_quote = QuoteFactory(article=draft_article, speaker=SpeakerFactory(created_by=editor), created_by=editor)
    draft_claim = ClaimFactory(claimant=draft_quote.speaker, created_by=editor)
    draft_claim.quotes.add(draft_quote)
    draft_evidence = EvidenceFactory(claim=draft_claim, source=SourceFactory(created_by=editor), created_by=editor)

    return Newsroom(
        published_claim=published_claim,
        published_quote=published_quote,
        published_article=published_quote.article,
        published_speaker=published_quote.speaker,
        published_source=published_evidence.source,
        published_evidence=published_evidence,
        draft_claim=draft_claim,
        draft_quote=draft_quote,
        draft_article=draft_article,
        draft_speaker=draft_quote.speaker,
        draft_source=draft_evidence.source,
        draft_evidence=draft_evidence,
        relation=ClaimRelationFactory(
            from_claim=published_claim, to_claim=other_published, relation=Relation.CONTRADICTS, note="internal"
        ),
        private_relation=ClaimRelationFactory(
            from_claim=published_claim, to_claim=draft_claim, relation=Relation.SUPPORTS, created_by=editor
        ),
        outlet=published_quote.article.outlet,
    )
