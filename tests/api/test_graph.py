"""Graph reads: a claim's relations, a speaker's statements and self-contradictions, a quote's printings."""

import datetime

import pytest
from django.urls import reverse

from claims import services
from claims.choices import Relation
from claims.services import system_account
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_a_claims_relations_read_from_its_side(editor):
    claim, contradicting, supporting, supported = ClaimFactory.create_batch(4)
    services.relate_claims(
        claim=contradicting, other=claim, relation=Relation.CONTRADICTS, acting_user=system_account()
    )
    services.relate_claims(claim=supporting, other=claim, relation=Relation.SUPPORTS, acting_user=system_account())
    services.relate_claims(claim=claim, other=supported, relation=Relation.SUPPORTS, acting_user=system_account())
    rows = client_for(editor).get(reverse("api:claim-relations", args=[claim.pk])).json()
    assert {(r["relation"], r["claim"]["id"]) for r in rows} == {
        ("contradicts", contradicting.pk),
        ("supported_by", supporting.pk),
        ("supports", supported.pk),
    }


def test_a_speakers_statements_come_newest_first_with_their_own_contradictions(editor):
    speaker = SpeakerFactory()
    old = QuoteFactory(speaker=speaker, said_on=datetime.date(2020, 1, 1))
    new = QuoteFactory(speaker=speaker, said_on=datetime.date(2024, 1, 1))
    then, now = ClaimFactory(claimant=speaker), ClaimFactory(claimant=speaker)
    services.relate_claims(claim=now, other=then, relation=Relation.CONTRADICTS, acting_user=system_account())
    services.relate_claims(claim=now, other=ClaimFactory(), relation=Relation.SAME_CLAIM, acting_user=system_account())

    body = client_for(editor).get(reverse("api:speaker-statements", args=[speaker.pk])).json()
    assert [q["id"] for q in body["results"]] == [new.pk, old.pk]
    assert [(c["from_claim"]["id"], c["to_claim"]["id"]) for c in body["self_contradictions"]] == [(then.pk, now.pk)]


def test_a_quote_printed_again_elsewhere_is_found_with_near_identical_words(editor):
    speaker = SpeakerFactory()
    words = "We will close the gap by 2027 without raising a single tax"
    first = QuoteFactory(speaker=speaker, article=ArticleFactory(body=f"She said: {words}."), text=words)
    again = QuoteFactory(
        speaker=speaker,
        article=ArticleFactory(body="Quote: we will close the gap by 2027 without raising a single tax!"),
        text="we will close the gap by 2027 without raising a single tax",
    )
    QuoteFactory(speaker=speaker)  # other words
    QuoteFactory(article=ArticleFactory(body=f"Another said {words}."), text=words)  # another speaker
    ids = [q["id"] for q in client_for(editor).get(reverse("api:quote-printings", args=[first.pk])).json()]
    assert ids == [again.pk]
