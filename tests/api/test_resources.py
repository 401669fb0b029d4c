"""Reads embed what a client shows; lists cost the same queries at any size; writes go through the rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.choices import Relation
from claims.models import ClaimRelation, Quote
from tests.api.conftest import client_for, if_match
from tests.factories import (
    ClaimFactory,
    ClaimRelationFactory,
    EvidenceFactory,
    QuoteFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def test_a_quote_shows_its_speaker_and_its_articles_headline_outlet_and_date(anonymous, newsroom):
    body = client_for(anonymous).get(reverse("api:quote-detail", args=[newsroom.published_quote.pk])).json()
    assert body["speaker"] == {
        "id": newsroom.published_speaker.pk,
        "name": newsroom.published_speaker.name,
        "slug": newsroom.published_speaker.slug,
        "kind": "person",
    }
    assert body["article"]["headline"] == newsroom.published_article.headline
    assert body["article"]["outlet"]["name"] == newsroom.outlet.name
    assert body["article"]["published_at"]


def test_a_claim_shows_claimant_rating_and_counts_but_no_internals_to_the_public(anonymous, editor, newsroom):
    url = reverse("api:claim-detail", args=[newsroom.published_claim.pk])
    public = client_for(anonymous).get(url).json()
    assert public["claimant"]["name"] == newsroom.published_speaker.name
    assert (public["rating"], public["rating_label"], public["rating_value"]) == ("mostly_false", "Mostly false", 3)
    assert public["evidence_count"] == 1
    assert public["contradiction_count"] == 1
    assert "created_by" not in public and "reviewer" not in public
    assert "created_by" in client_for(editor).get(url).json()


def test_internal_notes_are_for_staff_only(anonymous, editor, newsroom):
    url = reverse("api:evidence-detail", args=[newsroom.published_evidence.pk])
    assert "note" not in client_for(anonymous).get(url).json()
    assert client_for(editor).get(url).json()["note"] == "internal"


LISTS = [
    ("api:quote-list", lambda: QuoteFactory.create_batch(20)),
    ("api:claim-list", lambda: [EvidenceFactory(claim=c) for c in ClaimFactory.create_batch(20, published=True)]),
    ("api:speaker-list", lambda: SpeakerFactory.create_batch(20)),
    ("api:article-list", lambda: [q.article for q in QuoteFactory.create_batch(20)]),
    ("api:outlet-list", lambda: [q.article.outlet for q in QuoteFactory.create_batch(20)]),
    ("api:source-list", lambda: EvidenceFactory.create_batch(20)),
    ("api:evidence-list", lambda: EvidenceFactory.create_batch(20)),
    ("api:relation-list", lambda: ClaimRelationFactory.create_batch(20)),
]


@pytest.mark.parametrize("name, add_rows", LISTS, ids=[name for name, _ in LISTS])
def test_a_list_costs_the_same_queries_after_twenty_more_rows(name, add_rows, editor, newsroom, nothing_kept):
    client = client_for(editor)
    url = reverse(name)
    client.get(url)  # the user's permissions are cached after the first request
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    add_rows()
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(response.json()["results"]) > 20
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_the_public_claim_list_costs_the_same_queries_after_twenty_more_claims(anonymous, newsroom):
    client = client_for(anonymous)
    url = reverse("api:claim-list")
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for claim in ClaimFactory.create_batch(20, published=True):
        EvidenceFactory(claim=claim)
        claim.quotes.add(QuoteFactory())
    with CaptureQueriesContext(connection) as after:
        assert len(client.get(url).json()["results"]) > 20
    assert len(after) == len(before)


def test_quotes_filter_by_speaker_kind_outlet_via_and_date(editor, newsroom):
    client = client_for(editor)
    quote = newsroom.published_quote
    url = reverse("api:quote-list")
    found = lambda **params: {row["id"] for row in client.get(url, params).json()["results"]}  # noqa: E731
    assert found(speaker=quote.speaker_id) == {quote.pk}
    assert found(outlet=quote.article.outlet.slug) == {quote.pk}
    assert quote.pk in found(kind="direct")
    assert found(said_on_after="2023-08-22") == set()
    assert quote.pk in found(said_on_after="2023-08-21", said_on_before="2023-08-21")


def test_claims_filter_by_contradictions_status_and_rating(editor, newsroom):
    client = client_for(editor)
    url = reverse("api:claim-list")
    contradicted = {row["id"] for row in client.get(url, {"has_contradictions": "true"}).json()["results"]}
    assert contradicted == {newsroom.relation.from_claim_id, newsroom.relation.to_claim_id}
    drafts = {row["id"] for row in client.get(url, {"status": "draft"}).json()["results"]}
    assert drafts == {newsroom.draft_claim.pk}
    response = client.get(url, {"rating": "wobbly"})
    assert response.status_code == 400
    assert "rating" in response.json()["error"]["fields"]


def test_speakers_are_found_by_alias(editor, newsroom):
    speaker = newsroom.published_speaker
    speaker.aliases.create(name="The Chancellor")
    rows = client_for(editor).get(reverse("api:speaker-list"), {"name": "chancellor"}).json()["results"]
    assert [row["id"] for row in rows] == [speaker.pk]


def test_cursor_pages_walk_every_row_once(editor, newsroom):
    QuoteFactory.create_batch(7)
    client = client_for(editor)
    seen, url = [], reverse("api:quote-list") + "?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(Quote.objects.values_list("pk", flat=True))


def test_a_quote_created_with_only_its_words_is_anchored(editor, newsroom):
    article = newsroom.published_article
    response = client_for(editor).post(
        reverse("api:quote-list"),
        {"article": article.pk, "speaker": newsroom.published_speaker.pk, "text": "Critics said", "kind": "indirect"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert article.body[body["start"] : body["end"]] == "Critics said"
    assert response["ETag"]


def test_a_quote_not_in_the_article_is_refused_and_nothing_is_written(editor, newsroom):
    before = Quote.objects.count()
    response = client_for(editor).post(
        reverse("api:quote-list"),
        {"article": newsroom.published_article.pk, "speaker": newsroom.published_speaker.pk, "text": "never said"},
        format="json",
    )
    assert response.status_code == 400
    assert "not in the article" in response.json()["error"]["fields"]["text"][0]
    assert Quote.objects.count() == before


def test_relating_a_pair_twice_is_a_conflict(editor, newsroom):
    relation = newsroom.relation
    response = client_for(editor).post(
        reverse("api:relation-list"),
        {"claim": relation.to_claim_id, "other": relation.from_claim_id, "relation": Relation.CONTRADICTS},
        format="json",
    )
    assert response.status_code == 409
    assert "already linked" in response.json()["error"]["fields"]["other"][0]
    assert ClaimRelation.objects.count() == 2


def test_an_editor_rates_and_publishes_a_claim_through_the_api(editor, newsroom):
    client = client_for(editor)
    claim = newsroom.draft_claim
    verdict = client.post(
        reverse("api:claim-verdict", args=[claim.pk]),
        {"rating": "true", "summary": "The record shows it."},
        **if_match(client, reverse("api:claim-detail", args=[claim.pk])),
    )
    assert verdict.json()["rating"] == "true"
    # The answer to a write carries the new version, so the next step needs no fresh GET.
    published = client.post(
        reverse("api:claim-status", args=[claim.pk]), {"status": "published"}, HTTP_IF_MATCH=verdict["ETag"]
    ).json()
    assert published["status"] == "published" and published["published_at"]


def test_publishing_an_unrated_claim_says_what_is_missing(editor, newsroom):
    client = client_for(editor)
    response = client.post(
        reverse("api:claim-status", args=[newsroom.draft_claim.pk]),
        {"status": "published"},
        **if_match(client, reverse("api:claim-detail", args=[newsroom.draft_claim.pk])),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["rating"] == ["Rate the claim before publishing it."]


def test_merging_speakers_through_the_api_keeps_every_name(editor, newsroom):
    keep, merge = newsroom.published_speaker, newsroom.draft_speaker
    body = client_for(editor).post(reverse("api:speaker-merge", args=[keep.pk]), {"merge": merge.pk}).json()
    assert merge.name in body["aliases"]
    assert Quote.objects.filter(speaker=keep).count() == 2


def test_speaker_aliases_are_replaced_by_a_patch(editor, newsroom):
    speaker = newsroom.published_speaker
    speaker.aliases.create(name="Old alias")
    url = reverse("api:speaker-detail", args=[speaker.pk])
    client = client_for(editor)
    body = client.patch(url, {"aliases": ["New alias"]}, format="json", **if_match(client, url)).json()
    assert body["aliases"] == ["New alias"]
