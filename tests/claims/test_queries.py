"""Who sees what, and the counts lists show: read once, in the QuerySets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.choices import Relation
from claims.models import Claim, Quote
from tests.factories import ClaimFactory, ClaimRelationFactory, EvidenceFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_anonymous_readers_see_only_published_claims_and_their_quotes(anonymous, editor):
    published = ClaimFactory(published=True)
    draft = ClaimFactory()
    public_quote, private_quote = QuoteFactory(), QuoteFactory()
    published.quotes.add(public_quote)
    draft.quotes.add(private_quote)

    assert list(Claim.objects.visible_to(anonymous)) == [published]
    assert list(Quote.objects.visible_to(anonymous)) == [public_quote]
    assert set(Claim.objects.visible_to(editor)) == {published, draft}
    assert set(Quote.objects.visible_to(editor)) == {public_quote, private_quote}


def test_users_without_a_role_see_what_the_public_sees(outsider):
    ClaimFactory()
    assert not Claim.objects.visible_to(outsider).exists()


def test_counts_are_right_and_cost_one_query_however_many_claims(editor):
    claim, other, third = ClaimFactory.create_batch(3)
    EvidenceFactory.create_batch(2, claim=claim)
    ClaimRelationFactory(from_claim=claim, to_claim=other, relation=Relation.CONTRADICTS)
    ClaimRelationFactory(from_claim=third, to_claim=claim, relation=Relation.SUPPORTS)

    counted = {c.pk: (c.evidence_count, c.contradiction_count) for c in Claim.objects.with_counts(editor)}
    assert counted == {claim.pk: (2, 1), other.pk: (0, 1), third.pk: (0, 0)}

    ClaimFactory.create_batch(20)
    with CaptureQueriesContext(connection) as queries:
        assert len(list(Claim.objects.with_counts(editor))) == 23
    assert len(queries) == 1
