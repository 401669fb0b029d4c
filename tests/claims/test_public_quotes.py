"""Quote.is_public follows the claims that state a quote, whichever way they change."""

import pytest

from claims import services
from claims.choices import ClaimStatus
from claims.models import Quote
from tests.factories import ClaimFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def public(quote) -> bool:
    return Quote.objects.get(pk=quote.pk).is_public


def test_a_quote_is_public_while_a_published_claim_states_it(editor):
    quote = QuoteFactory()
    assert not public(quote)
    claim = ClaimFactory(published=True)
    services.link_quotes(claim=claim, quotes=[quote], acting_user=editor)
    assert public(quote)
    assert list(Quote.objects.visible_to(None)) == [quote]

    services.change_claim_status(claim=claim, status=ClaimStatus.IN_REVIEW, acting_user=editor)
    assert not public(quote)
    assert not Quote.objects.public().exists()


def test_a_second_published_claim_keeps_it_public_when_the_first_goes(editor):
    quote = QuoteFactory()
    first, second = ClaimFactory(published=True), ClaimFactory(published=True)
    first.quotes.add(quote)
    quote.claims.add(second)  # from the quote's side
    services.delete_record(first, acting_user=editor)
    assert public(quote)
    second.quotes.remove(quote)
    assert not public(quote)


def test_clearing_a_claims_quotes_or_a_quotes_claims_makes_them_private():
    quotes = QuoteFactory.create_batch(2)
    claim = ClaimFactory(published=True)
    claim.quotes.set(quotes)
    assert all(map(public, quotes))
    claim.quotes.clear()
    assert not any(map(public, quotes))
    claim.quotes.add(quotes[0])
    quotes[0].claims.clear()
    assert not public(quotes[0])


def test_a_published_claim_made_with_its_quotes_makes_them_public(editor):
    quote = QuoteFactory()
    claim = ClaimFactory(status=ClaimStatus.DRAFT)
    claim.quotes.add(quote)
    assert not public(quote)
    services.rate_claim(claim=claim, rating="false", summary="No.", acting_user=editor)
    services.change_claim_status(claim=claim, status=ClaimStatus.PUBLISHED, acting_user=editor)
    assert public(quote)
