"""Integrity the database enforces even when a write skips the services."""

import pytest
from django.db import IntegrityError, transaction

from claims.choices import Relation
from claims.models import Claim, ClaimRelation, Evidence, Quote
from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_a_span_must_start_before_it_ends():
    article = ArticleFactory()
    assert refused(lambda: Quote.objects.create(article=article, speaker=SpeakerFactory(), text="x", start=5, end=5))
    assert refused(lambda: Quote.objects.create(article=article, speaker=SpeakerFactory(), text="x", start=5))


def test_a_claim_never_relates_to_itself():
    claim = ClaimFactory()
    assert refused(lambda: ClaimRelation.objects.create(from_claim=claim, to_claim=claim, relation=Relation.SUPPORTS))


def test_a_symmetric_pair_is_stored_once_lower_id_first():
    low, high = ClaimFactory(), ClaimFactory()
    assert refused(lambda: ClaimRelation.objects.create(from_claim=high, to_claim=low, relation=Relation.CONTRADICTS))
    ClaimRelation.objects.create(from_claim=low, to_claim=high, relation=Relation.CONTRADICTS)
    # Even a directed relation cannot be added to a pair already linked, in either order.
    assert refused(lambda: ClaimRelation.objects.create(from_claim=high, to_claim=low, relation=Relation.SUPPORTS))
    assert ClaimRelation.objects.count() == 1


def test_a_published_claim_has_a_rating():
    assert refused(lambda: ClaimFactory(status="published", published_at="2023-08-26T00:00Z"))
    assert not Claim.objects.exists()


def test_a_rating_off_the_scale_is_refused_by_the_database():
    assert refused(lambda: ClaimFactory(rating="sort-of"))


def test_a_source_is_evidence_for_a_claim_once():
    evidence = EvidenceFactory()
    assert refused(lambda: Evidence.objects.create(claim=evidence.claim, source=evidence.source, stance="supports"))


def test_a_quote_needs_words():
    assert refused(lambda: QuoteFactory(text="", start=None, end=None))
