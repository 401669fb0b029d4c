"""Every create, change and delete of an editorial row is kept, with who and when."""

import pytest

from claims import services
from claims.choices import Rating
from tests.factories import ClaimFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_a_claims_verdict_history_shows_each_change_and_who_made_it(editor, reporter):
    claim = services.make_claim(text="Crime doubled.", claimant=QuoteFactory().speaker, acting_user=reporter)
    services.rate_claim(claim=claim, rating=Rating.FALSE, summary="It fell.", acting_user=editor)
    services.rate_claim(claim=claim, rating=Rating.MOSTLY_FALSE, summary="It fell slightly.", acting_user=editor)

    versions = list(claim.history.order_by("history_date"))
    assert [v.history_type for v in versions] == ["+", "~", "~"]
    assert [v.history_user for v in versions] == [reporter, editor, editor]
    delta = versions[2].diff_against(versions[1])
    assert set(delta.changed_fields) >= {"rating", "rating_summary"}


def test_an_earlier_version_can_be_restored_through_the_named_edit(editor):
    claim = services.make_claim(text="First wording.", claimant=QuoteFactory().speaker, acting_user=editor)
    services.edit_claim(claim, text="Second wording.", acting_user=editor)
    services.revert_record(claim, version=claim.history.earliest(), acting_user=editor)
    claim.refresh_from_db()
    assert claim.text == "First wording."
    assert claim.history.latest().history_user == editor


def test_which_quotes_state_a_claim_is_kept_in_its_history(editor):
    claim, quote = ClaimFactory(), QuoteFactory()
    services.link_quotes(claim=claim, quotes=[quote], acting_user=editor)
    assert claim.history.latest().quotes.count() == 1
