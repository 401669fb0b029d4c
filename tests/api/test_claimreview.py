"""ClaimReview JSON-LD as schema.org's own examples lay it out."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.claimreview import claim_review
from tests.api.conftest import client_for
from tests.factories import ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db


def test_a_published_claim_reads_as_a_claimreview(anonymous, editor, newsroom, settings):
    settings.FACTCHECK_PUBLISHER_NAME = "Northbridge Fact Check"
    claim = newsroom.published_claim
    editor.first_name, editor.last_name = "Erin", "Okoye"
    editor.save()
    claim.reviewer = editor
    claim.save()

    response = client_for(anonymous).get(reverse("api:claim-claimreview", args=[claim.pk]))
    assert response["Content-Type"] == "application/ld+json"
    review = response.json()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.text
    assert review["url"].endswith(f"/api/v1/claims/{claim.pk}/claimreview/")
    assert review["datePublished"] == claim.published_at.date().isoformat()
    assert review["author"] == {"@type": "Organization", "name": "Northbridge Fact Check"}
    assert review["creator"] == {"@type": "Person", "name": "Erin Okoye"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Mostly false",
        "ratingExplanation": claim.rating_summary,
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": claim.claimant.name}
    assert item["datePublished"] == "2023-08-21"
    article = newsroom.published_article
    assert item["appearance"] == [
        {
            "@type": "NewsArticle",
            "url": article.url,
            "headline": article.headline,
            "datePublished": article.published_at.date().isoformat(),
            "publisher": {"@type": "Organization", "name": article.outlet.name},
        }
    ]
    assert item["firstAppearance"] == item["appearance"][0]


def test_an_organisation_as_claimant_is_an_organization(newsroom):
    claim = newsroom.published_claim
    claim.claimant.kind = "organization"
    review = claim_review(claim, url="https://facts.example.org/1")
    assert review["itemReviewed"]["author"]["@type"] == "Organization"


def test_the_feed_lists_every_published_review_and_pages(anonymous, newsroom):
    ClaimFactory.create_batch(3, published=True)
    client = client_for(anonymous)
    first = client.get(reverse("api:claimreview-feed"), {"page_size": 2}).json()
    assert first["@type"] == "DataFeed"
    assert len(first["dataFeedElement"]) == 2
    reviewed, page = [], first
    while page:
        reviewed += [r["claimReviewed"] for r in page["dataFeedElement"]]
        page = client.get(page["next"]).json() if page["next"] else None
    assert newsroom.published_claim.text in reviewed
    assert newsroom.draft_claim.text not in reviewed
    assert len(reviewed) == len(set(reviewed)) == 5


def test_the_feed_costs_the_same_queries_for_more_reviews(anonymous, newsroom):
    client = client_for(anonymous)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("api:claimreview-feed"))
    ClaimFactory.create_batch(20, published=True)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("api:claimreview-feed"))
    assert len(after) == len(before)


@pytest.fixture
def imported_verdict():
    return ClaimFactory(
        published=True,
        reviewed_by=OutletFactory(name="Other Checkers", slug="other-checkers"),
        review_url="https://checkers.example/reviews/1",
    )


def test_the_feed_carries_only_the_newsrooms_own_verdicts(anonymous, newsroom, imported_verdict):
    feed = client_for(anonymous).get(reverse("api:claimreview-feed")).json()
    reviewed = [r["claimReviewed"] for r in feed["dataFeedElement"]]
    assert newsroom.published_claim.text in reviewed
    assert imported_verdict.text not in reviewed


def test_an_imported_verdicts_claimreview_is_a_404_pointing_to_the_reviewer(anonymous, imported_verdict):
    response = client_for(anonymous).get(reverse("api:claim-claimreview", args=[imported_verdict.pk]))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == (
        "This verdict is Other Checkers’s, and its ClaimReview theirs to publish. "
        "Read it at https://checkers.example/reviews/1"
    )


def test_the_feed_and_the_export_file_are_the_same_mapping(anonymous, newsroom, imported_verdict, tmp_path):
    ClaimFactory.create_batch(3, published=True)
    feed = client_for(anonymous).get(reverse("api:claimreview-feed"), {"page_size": 100}).json()
    call_command(
        "export_claimreview", str(tmp_path / "out.jsonld"), "--base-url", "http://testserver", stdout=StringIO()
    )
    exported = json.loads((tmp_path / "out.jsonld").read_text(encoding="utf-8"))
    assert exported["dataFeedElement"] == feed["dataFeedElement"]
    assert len(exported["dataFeedElement"]) == 5
    assert {key: exported[key] for key in ("@context", "@type")} == {key: feed[key] for key in ("@context", "@type")}
