"""Verdicts imported from other fact-checkers, as the API shows and filters them."""

import pytest

from claims.choices import ClaimStatus, Rating
from tests.factories import ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verdicts():
    checker = OutletFactory(name="Other Checkers", slug="other-checkers")
    imported = ClaimFactory(
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        reviewed_by=checker,
        review_url="https://checkers.example/review/1",
        review_headline="No, the bridge was not free",
        rating_as_written="Falso",
        venue="a mailer",
    )
    own = ClaimFactory(published=True)
    return imported, own


def test_an_imported_verdict_says_whose_it_is_and_where_to_read_it(api, verdicts):
    imported, _ = verdicts
    body = api.get(f"/api/v1/claims/{imported.pk}/").json()
    assert body["reviewed_by"] == {"id": imported.reviewed_by_id, "name": "Other Checkers", "slug": "other-checkers"}
    assert (body["review_url"], body["review_headline"]) == (imported.review_url, "No, the bridge was not free")
    assert (body["rating"], body["rating_as_written"], body["venue"]) == ("false", "Falso", "a mailer")


def test_claims_filter_by_whose_verdict_they_are(api, verdicts):
    imported, own = verdicts

    def ids(query):
        response = api.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("imported=true") == [imported.pk]
    assert ids("imported=false") == [own.pk]
    assert ids("reviewed_by=other-checkers") == [imported.pk]
    assert api.get("/api/v1/claims/?imported=maybe").status_code == 400


def test_listing_claims_with_their_reviewers_costs_the_same_for_one_or_many(
    api, verdicts, django_assert_max_num_queries
):
    checker = verdicts[0].reviewed_by
    with django_assert_max_num_queries(20) as one:
        api.get("/api/v1/claims/")
    ClaimFactory.create_batch(20, status=ClaimStatus.PUBLISHED, rating=Rating.TRUE, reviewed_by=checker)
    with django_assert_max_num_queries(len(one.captured_queries)):
        api.get("/api/v1/claims/")
