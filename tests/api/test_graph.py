"""Graph reads: a claim's relations, a speaker's statements and self-contradictions, a quote's printings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.choices import Relation
from claims.services import system_account
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, ClaimRelationFactory, QuoteFactory, SpeakerFactory

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


# --- Each graph read costs the same queries however much it returns ----------------------


@pytest.fixture(autouse=True)
def built_from_the_database(nothing_kept):
    pass


def _same_queries_after(client, url, add_rows, django_assert_max_num_queries, *, grew):
    client.get(url)  # the user's permissions are cached after the first request
    with CaptureQueriesContext(connection) as before:
        first = client.get(url)
    assert first.status_code == 200, first.content
    add_rows()
    with django_assert_max_num_queries(len(before)):
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert grew(first.json(), response.json())


def test_a_speakers_statements_cost_the_same_queries_after_twenty_more(editor, django_assert_max_num_queries):
    speaker = SpeakerFactory()
    QuoteFactory(speaker=speaker)
    first, second = ClaimFactory(claimant=speaker), ClaimFactory(claimant=speaker)
    ClaimRelationFactory(from_claim=first, to_claim=second, relation=Relation.CONTRADICTS)

    def add_rows():
        QuoteFactory.create_batch(20, speaker=speaker)
        for claim in ClaimFactory.create_batch(20, claimant=speaker):
            ClaimRelationFactory(from_claim=first, to_claim=claim, relation=Relation.CONTRADICTS)

    _same_queries_after(
        client_for(editor),
        reverse("api:speaker-statements", args=[speaker.pk]),
        add_rows,
        django_assert_max_num_queries,
        grew=lambda a, b: len(b["results"]) == 21 and len(b["self_contradictions"]) == 21 > len(a["results"]),
    )


def test_a_quotes_printings_cost_the_same_queries_after_twenty_more(editor, django_assert_max_num_queries):
    speaker = SpeakerFactory()
    words = "We will close the gap by 2027 without raising a single tax"
    quote = QuoteFactory(speaker=speaker, article=ArticleFactory(body=f"She said: {words}."), text=words)
    QuoteFactory(speaker=speaker, article=ArticleFactory(body=f"Again: {words}!"), text=words)

    def add_rows():
        for n in range(20):
            QuoteFactory(speaker=speaker, article=ArticleFactory(body=f"Part {n}: {words}."), text=words)

    _same_queries_after(
        client_for(editor),
        reverse("api:quote-printings", args=[quote.pk]),
        add_rows,
        django_assert_max_num_queries,
        grew=lambda a, b: len(b) == 21 > len(a),
    )


def test_a_claims_relations_cost_the_same_queries_after_twenty_more(editor, django_assert_max_num_queries):
    claim = ClaimFactory()
    ClaimRelationFactory(from_claim=ClaimFactory(), to_claim=claim, relation=Relation.SUPPORTS)

    def add_rows():
        for other in ClaimFactory.create_batch(10):
            ClaimRelationFactory(from_claim=other, to_claim=claim, relation=Relation.SUPPORTS)
        for other in ClaimFactory.create_batch(10):
            ClaimRelationFactory(from_claim=claim, to_claim=other, relation=Relation.CONTRADICTS)

    _same_queries_after(
        client_for(editor),
        reverse("api:claim-relations", args=[claim.pk]),
        add_rows,
        django_assert_max_num_queries,
        grew=lambda a, b: len(b) == 21 > len(a),
    )


@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_search_costs_the_same_queries_after_twenty_more_hits(role, anonymous, editor, django_assert_max_num_queries):
    reader = {"anonymous": anonymous, "editor": editor}[role]
    words = "the harbour levy will fund the new lighthouse"

    def add(n):
        for i in range(n):
            speaker = SpeakerFactory(name=f"Harbour Master {i}", slug=f"harbour-master-{role}-{i}-{n}")
            quote = QuoteFactory(speaker=speaker, article=ArticleFactory(body=f"{i}: {words}."), text=words)
            claim = ClaimFactory(published=True, claimant=speaker, text=f"The harbour levy pays for lighthouse {i}.")
            claim.quotes.add(quote)

    add(1)
    _same_queries_after(
        client_for(reader),
        reverse("api:search") + "?q=harbour&page_size=100",
        lambda: add(20),
        django_assert_max_num_queries,
        grew=lambda a, b: len(b["results"]) >= 60 > len(a["results"]),
    )


def test_the_claim_list_costs_the_same_queries_with_20_more_assigned_claims(editor):
    client = client_for(editor)

    def assign_twenty():
        for claim in ClaimFactory.create_batch(20):
            services.assign_claim(claim=claim, assignee=editor, acting_user=editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("api:claim-list")).status_code == 200
        return len(captured)

    assign_twenty()
    before = queries()
    assign_twenty()
    assert queries() == before
