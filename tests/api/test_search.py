"""Search: ranked hits with escaped, highlighted snippets, websearch syntax, and the lists' filters."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from claims.models import Quote
from claims.search import StoredVector
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Trigram similarity and index use exist only on PostgreSQL."
)


@pytest.fixture
def drones(editor):
    ryabkov = SpeakerFactory(name="Sergei Ryabkov", slug="sergei-ryabkov")
    body = (
        "Iran sent drones to Russia before the war, officials said. "
        "Moscow denied that its forces used Iranian drones. "
        "The White House said <b>several hundred</b> drones were transferred."
    )
    article = ArticleFactory(body=body)
    quotes = {
        "iran": QuoteFactory(article=article, text="Iran sent drones to Russia before the war"),
        "moscow": QuoteFactory(
            article=article, text="Moscow denied that its forces used Iranian drones", speaker=ryabkov
        ),
        "white_house": QuoteFactory(article=article, text="<b>several hundred</b> drones were transferred"),
    }
    claim = ClaimFactory(text="Russian forces have not used Iranian drones in Ukraine.", claimant=ryabkov)
    return quotes, claim, ryabkov


def search(client, **params):
    response = client.get(reverse("api:search"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_every_word_must_match_and_hits_are_ranked(editor, drones):
    quotes, claim, _ = drones
    hits = search(client_for(editor), q="Iranian drones")
    found = {(h["type"], h["id"]) for h in hits}
    assert ("quote", quotes["moscow"].pk) in found
    assert ("claim", claim.pk) in found
    assert ("quote", quotes["iran"].pk) not in found or connection.vendor == "postgresql"  # stemming: Iran ≈ Iranian
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_a_minus_word_excludes(editor, drones):
    quotes, _, _ = drones
    ids = {h["id"] for h in search(client_for(editor), q="drones -Moscow", type="quote")}
    assert quotes["moscow"].pk not in ids
    assert quotes["white_house"].pk in ids


def test_a_quoted_phrase_must_appear_as_a_phrase(editor, drones):
    quotes, _, _ = drones
    ids = {h["id"] for h in search(client_for(editor), q='"several hundred"', type="quote")}
    assert ids == {quotes["white_house"].pk}


def test_snippets_mark_matches_and_escape_markup(editor, drones):
    hits = search(client_for(editor), q="hundred", type="quote")
    snippet = hits[0]["snippet"]
    assert "<mark>" in snippet
    # Markup in the text never reaches the client as markup (PostgreSQL's headline drops tags).
    assert "<b>" not in snippet


def test_search_takes_the_lists_filters(editor, drones):
    quotes, _, ryabkov = drones
    ids = {h["id"] for h in search(client_for(editor), q="drones", type="quote", speaker=ryabkov.pk)}
    assert ids == {quotes["moscow"].pk}


def test_the_public_finds_only_published_work(anonymous, drones):
    assert search(client_for(anonymous), q="drones") == []


def test_speakers_are_found_by_name(editor, drones):
    _, _, ryabkov = drones
    hits = search(client_for(editor), q="Ryabkov", type="speaker")
    assert hits[0]["speaker"]["id"] == ryabkov.pk


@on_postgres
def test_a_misspelled_speaker_name_is_found_by_trigram_similarity(editor, drones):
    _, _, ryabkov = drones
    hits = search(client_for(editor), q="Sergey Riabkov", type="speaker")
    assert [h["speaker"]["id"] for h in hits] == [ryabkov.pk]


@on_postgres
def test_the_text_search_uses_the_gin_index(drones):
    with connection.cursor() as cursor:
        # Whatever the test data's statistics say, only an index that answers the match is left to read.
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        matching = Quote.objects.alias(v=StoredVector()).filter(v=SearchQuery("drones", config="english"))
        plan, public_plan = matching.explain(), matching.public().explain()
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "claims_quote_search_vector" in plan, plan
    # The public's search reads the index of public quotes alone.
    assert "claims_quote_public_search_vector" in public_plan, public_plan


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "drones", "type": "tweets"}])
def test_bad_search_requests_are_a_400(anonymous, params):
    assert client_for(anonymous).get(reverse("api:search"), params).status_code == 400
